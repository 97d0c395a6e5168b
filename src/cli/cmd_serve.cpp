// `mie serve`: the prediction pipeline of one model file behind an HTTP server (cpp-httplib), loaded
// once and shared by the worker threads (Pipeline is immutable; each request runs on its own posts).
//
//   mie serve --model models/gmner.mie --port 8080 --threads 2 &
//   curl -s localhost:8080/health
//   curl -s localhost:8080/predict -d '{"text": "Messi scores for Barcelona", "image": "/data/1.jpg"}'
//   curl -s localhost:8080/predict -F 'post={"text": "Messi scores"}' -F image=@photo.jpg
//   curl -s localhost:8080/detect -F image=@photo.jpg
//
// POST /predict takes the JSONL posts of `mie predict` (one JSON object per line, or one JSON array
// of them; "image" is a path on the server, relative ones resolve in --images), or a multipart form
// with a "post" field and an uploaded "image" file; it answers mie JSONL, one line per post. POST
// /detect takes {"image": "path"} or a form with an uploaded "image" and answers its region
// proposals as `mie detect` prints them. Bad input (invalid JSON or UTF-8, a corrupt, huge or
// missing image) answers 400 with {"error": "..."} naming the request line or file; a body over
// --max-body-mb answers 413. GET /health answers the model and its stages. The model and its
// detectors load before the server listens (errors: exit 2). Logs go to stderr; SIGINT or SIGTERM
// stops the server (exit 0).
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

#include <atomic>
#include <csignal>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/engine_commands.h"
#include "cli/post_input.h"
#include "cli/serve_images.h"
#include "cli/serve_metrics.h"
#include "cli/serve_pool.h"
#include "cli/web_index.h"
#include "mie/core/error.h"
#include "mie/grounding/grounder.h"
#include "mie/io/jsonl.h"
#include "mie/mie.h"
#include "mie/pipeline/pipeline.h"
#include "mie/vision/candidate.h"
#include "mie/vision/image.h"
#include "mie/vision/proposer.h"
#include "mie/ner/tagger.h"

namespace mie::cli {
namespace {

struct Opts {
  std::string model, host = "127.0.0.1", api_key_file;
  int port = 8080, threads = 2, max_body_mb = 32, timeout_s = 10, queue = 64;
  bool insecure = false;
  Options ground;  // the library's runtime options (add_ground_options)
};

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

// The API key of --api-key-file: its first line, without surrounding blanks; at least 16 bytes.
std::string read_api_key(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot read the API key file");
  std::string key;
  std::getline(in, key);
  const size_t a = key.find_first_not_of(" \t\r"), b = key.find_last_not_of(" \t\r");
  key = a == std::string::npos ? "" : key.substr(a, b - a + 1);
  if (key.size() < 16) throw Error(path + ":1: the API key must be at least 16 characters");
  return key;
}

// "Authorization: Bearer KEY", compared in time independent of where the first difference is.
bool authorized(const httplib::Request& req, const std::string& key) {
  const std::string h = req.get_header_value("Authorization");
  const std::string prefix = "Bearer ";
  const std::string given = h.rfind(prefix, 0) == 0 ? h.substr(prefix.size()) : std::string();
  unsigned char diff = given.size() == key.size() ? 0 : 1;
  for (size_t i = 0; i < key.size(); ++i) diff |= static_cast<unsigned char>(key[i] ^ (i < given.size() ? given[i] : 0));
  return diff == 0;
}

// Per request, on the worker thread that answers it: set when routing starts, read by the logger.
struct RequestState {
  long id = 0, items = 0;
  bool counted = false;
  std::chrono::steady_clock::time_point t0;
};
thread_local RequestState request_state;

// A request's body as sent, read by the handler itself: httplib's own reading would parse a body
// labelled application/x-www-form-urlencoded (what `curl -d` sends) as a form and refuse it over
// 8 KB. Multipart parts are collected by name.
struct Body {
  std::string raw;
  std::map<std::string, httplib::MultipartFormData> parts;
  bool multipart = false;
};

// Throws mie::Error when the body cannot be read whole (httplib then has set 413 when it is over
// the size limit).
Body read_body(const httplib::Request& req, const httplib::ContentReader& read, int max_body_mb) {
  Body b;
  b.multipart = req.is_multipart_form_data();
  bool ok;
  if (b.multipart) {
    std::string name;
    ok = read(
        [&](const httplib::MultipartFormData& part) {
          name = part.name;
          b.parts[name] = part;
          return true;
        },
        [&](const char* data, size_t n) {
          b.parts[name].content.append(data, n);
          return true;
        });
  } else {
    ok = read([&](const char* data, size_t n) {
      b.raw.append(data, n);
      return true;
    });
  }
  if (!ok) throw Error("cannot read the request body (over --max-body-mb " + std::to_string(max_body_mb) + ", or cut short)");
  return b;
}

// JSONL lines, one JSON array of posts, or a multipart form's "post" with an uploaded "image".
std::vector<Post> parse_request(const Body& body, UploadDir& uploads, RequestImages& names) {
  std::vector<Post> posts;
  if (body.multipart) {
    auto post = body.parts.find("post");
    if (post == body.parts.end()) throw Error("multipart request without a \"post\" field (the post's JSON)");
    Post p = parse_post(post->second.content, "1");
    if (auto image = body.parts.find("image"); image != body.parts.end()) {
      names.upload = uploads.write(image->second.content);
      names.add(*names.upload, "upload");
      p.image = ImageRef{*names.upload, 0, 0};
    }
    posts.push_back(std::move(p));
    return posts;
  }
  if (const size_t first = body.raw.find_first_not_of(" \t\r\n"); first != std::string::npos && body.raw[first] == '[') {
    nlohmann::json array;  // one JSON array of posts
    try {
      array = nlohmann::json::parse(body.raw);
    } catch (const nlohmann::json::exception& e) {
      throw Error(std::string("invalid JSON array: ") + e.what());
    }
    for (size_t i = 0; i < array.size(); ++i) {
      try {
        posts.push_back(parse_post(array[i].dump(), std::to_string(i + 1)));
      } catch (const Error& e) {
        throw Error("request post " + std::to_string(i + 1) + ": " + e.what());
      }
    }
    if (posts.empty()) throw Error("empty request: the array holds no post");
    return posts;
  }
  std::istringstream in(body.raw);
  std::string line;
  for (long n = 1; std::getline(in, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      posts.push_back(parse_post(line, std::to_string(n)));
    } catch (const Error& e) {
      throw Error("request line " + std::to_string(n) + ": " + e.what());
    }
  }
  if (posts.empty()) throw Error("empty request: send one JSON post per line ({\"text\": ...})");
  return posts;
}

// The posts of one request, their image paths resolved under the root (names: what the client sees).
std::vector<Post> request_posts(const Body& body, UploadDir& uploads, const ImageRoot& root, RequestImages& names) {
  std::vector<Post> posts = parse_request(body, uploads, names);
  for (Post& p : posts) {
    if (!p.image || (names.upload && p.image->path == *names.upload)) continue;
    std::string real = root.resolve(p.image->path);
    names.add(real, p.image->path);
    p.image->path = std::move(real);
  }
  return posts;
}

// Messages may quote the request's bytes: invalid UTF-8 is replaced (U+FFFD), never a throw.
std::string error_body(const std::string& what) {
  return nlohmann::json{{"error", what}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

int run(const Opts& o) {
  // SIGINT/SIGTERM are taken by one waiting thread (below), so they are blocked first, before any
  // library starts threads of its own (every thread inherits the mask: the workers included).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  const std::string api_key = o.api_key_file.empty() ? "" : read_api_key(o.api_key_file);
  if (api_key.empty() && !is_loopback(o.host) && !o.insecure)
    throw Error("listening on " + o.host + " (beyond loopback) needs --api-key-file FILE, or --insecure to allow any client");
  // One thread per request (the server's workers answer --threads requests at once).
  const Model model = Model::load(o.model, o.ground);  // threads 1: one request per worker
  if (!model.has_stage(ner::kNerSection)) throw Error(o.model + ": mie serve needs a model with an entity stage (mie train ner)");
  model.warm_up();  // detectors loaded now: a bad --text-size or a missing model file stops us here
  std::signal(SIGPIPE, SIG_IGN);  // a client gone before its answer: a failed write, not the process's end
  UploadDir uploads;
  const ImageRoot images(o.ground.images_dir);  // the only paths requests may name
  ServeMetrics metrics(o.model, std::cerr);

  httplib::Server svr;
  // --threads requests compute at once and --queue wait; one worker per connection, so a
  // connection beyond threads + queue is answered 503 by the pool's overflow thread.
  RequestLimiter limiter(o.threads, o.queue);
  svr.new_task_queue = [n = o.threads + o.queue] { return new BoundedPool(static_cast<size_t>(n)); };
  svr.set_payload_max_length(static_cast<size_t>(o.max_body_mb) << 20);
  socket_t listen_fd = INVALID_SOCKET;
  svr.set_socket_options([&listen_fd](socket_t sock) {  // httplib's default adds SO_REUSEPORT: a second
    listen_fd = sock;                                   // server would share the port and split its requests
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));  // accepted sockets inherit it
  });
  svr.set_tcp_nodelay(true);  // answers leave at once: no Nagle wait behind a keep-alive client's ACK
  svr.set_read_timeout(o.timeout_s, 0);  // a stalled or slow client frees its worker
  svr.set_write_timeout(o.timeout_s, 0);
  svr.set_keep_alive_timeout(std::min(o.timeout_s, 5));
  // httplib's default of 5 requests per connection makes busy clients reconnect into its 5-deep
  // listen backlog (SYN retries: seconds) and races their next request with the close.
  svr.set_keep_alive_max_count(1 << 20);
  svr.set_pre_routing_handler([&](const httplib::Request& req, httplib::Response& res) {
    RequestState& st = request_state;
    st = RequestState{metrics.start(), 0, true, std::chrono::steady_clock::now()};
    res.set_header("X-Request-Id", std::to_string(st.id));
    if (BoundedPool::overflowing()) {
      res.status = 503;
      res.set_header("Retry-After", "1");
      res.set_header("Connection", "close");
      res.set_content(error_body("server busy: every one of its " + std::to_string(o.threads + o.queue) +
                                 " connections (--threads + --queue) is taken; retry later"),
                      "application/json");
      return httplib::Server::HandlerResponse::Handled;
    }
    const bool page = req.method == "GET" && req.path == "/";  // static: the page asks for the key itself
    if (api_key.empty() || page || authorized(req, api_key)) return httplib::Server::HandlerResponse::Unhandled;
    res.status = 401;
    res.set_header("WWW-Authenticate", "Bearer");
    res.set_content(error_body("missing or wrong API key (Authorization: Bearer KEY)"), "application/json");
    return httplib::Server::HandlerResponse::Handled;
  });
  svr.set_logger([&](const httplib::Request& req, const httplib::Response& res) {  // after each answer
    RequestState& st = request_state;
    if (!st.counted) return;  // refused before routing (a malformed request line)
    st.counted = false;
    const size_t in = req.has_header("Content-Length") ? req.get_header_value<uint64_t>("Content-Length") : req.body.size();
    metrics.finish(st.id, req.method, req.path, res.status,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - st.t0).count(), in,
                   res.body.size(), st.items);
  });
  // Answers httplib makes itself (413 before the body is read, 404, ...) carry an error as well.
  svr.set_error_handler([&](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    const std::string what = res.status == 413 ? "the request is over --max-body-mb " + std::to_string(o.max_body_mb) + " MiB"
                             : res.status == 404 ? "no such route (POST /predict, POST /detect, GET /, /health, /metrics)"
                                                 : "HTTP " + std::to_string(res.status);
    res.set_content(error_body(what), "application/json");
  });
  svr.Get("/", [&](const httplib::Request&, httplib::Response& res) {  // the page: docs in README
    res.set_content(kIndexHtml, "text/html; charset=utf-8");
  });
  svr.Get("/metrics", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics.prometheus() +
                        "# HELP mie_requests_running Requests computing now (at most --threads).\n"
                        "# TYPE mie_requests_running gauge\nmie_requests_running " + std::to_string(limiter.running()) +
                        "\n# HELP mie_queue_length Requests waiting for a worker (at most --queue).\n"
                        "# TYPE mie_queue_length gauge\nmie_queue_length " + std::to_string(limiter.waiting()) + "\n",
                    "text/plain; version=0.0.4");
  });
  const std::string health = nlohmann::json{{"status", "ok"}, {"model", o.model}, {"stages", model.stages()}}.dump(
                                 -1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  svr.Get("/health", [&](const httplib::Request&, httplib::Response& res) { res.set_content(health, "application/json"); });
  // Runs `make` (it sets the answer and returns how many posts or candidates it holds, which the
  // access log records); its errors answer 400 (413 kept: the body was over the limit) or 500,
  // naming an upload as such.
  auto answer = [&](httplib::Response& res, const RequestImages& names, auto make) {
    try {
      RequestLimiter::Slot slot(limiter);  // waits its turn, or throws Busy
      request_state.items = static_cast<long>(make());
      res.status = 200;
    } catch (const RequestLimiter::Busy& e) {
      res.status = 503;
      res.set_header("Retry-After", "1");
      res.set_content(error_body(e.what()), "application/json");
    } catch (const Error& e) {
      if (res.status != 413) res.status = 400;
      res.set_content(error_body(names.shown(e.what())), "application/json");  // the client's names
    } catch (const std::exception& e) {
      res.status = 500;
      res.set_content(error_body(std::string("internal error: ") + e.what()), "application/json");
    }
  };
  svr.Post("/predict", [&](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& read) {
    RequestImages names;  // an uploaded image's file lives until the answer
    answer(res, names, [&] {
      std::vector<Post> posts = request_posts(read_body(req, read, o.max_body_mb), uploads, images, names);
      model.predict(posts);  // on this worker thread
      std::ostringstream out;
      for (Post& p : posts) {
        if (p.image)
          if (const std::string* shown = names.client_name(p.image->path)) p.image->path = *shown;
        out << to_jsonl(p) << '\n';
      }
      res.set_content(out.str(), "application/x-ndjson");
      return posts.size();
    });
  });
  // Region proposals of one image, as `mie detect` prints them.
  // The grounding stage's detectors (same settings), loaded already when the model grounds.
  const grounding::GroundRuntime runtime = pipeline::ground_runtime(o.ground);
  const std::shared_ptr<grounding::SharedDetectors> detectors = grounding::SharedDetectors::for_runtime(runtime);
  svr.Post("/detect", [&](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& read) {
    RequestImages names;
    answer(res, names, [&] {
      const Body body = read_body(req, read, o.max_body_mb);
      std::string name = "upload";
      cv::Mat bgr;
      if (body.multipart) {
        auto image = body.parts.find("image");
        if (image == body.parts.end()) throw Error("multipart request without an \"image\" file");
        const std::string& bytes = image->second.content;
        bgr = vision::decode_image(std::vector<uint8_t>(bytes.begin(), bytes.end()), "the uploaded image");
      } else {
        nlohmann::json j;
        try {
          j = nlohmann::json::parse(body.raw);
        } catch (const nlohmann::json::exception& e) {
          throw Error(std::string("invalid JSON: ") + e.what());
        }
        if (!j.is_object() || !j.contains("image") || !j["image"].is_string())
          throw Error("expected {\"image\": \"path\"} or a form with an \"image\" file");
        name = j["image"].get<std::string>();
        const std::string real = images.resolve(name);
        names.add(real, name);
        bgr = vision::load_image(real);
      }
      const std::vector<vision::Candidate> cands = detectors->get().propose(bgr);
      res.set_content(vision::detection_json(name, bgr.cols, bgr.rows, cands).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n",
                      "application/json");
      return cands.size();
    });
  });

  int port = o.port;
  if (port == 0) port = svr.bind_to_any_port(o.host);
  else if (!svr.bind_to_port(o.host, port)) port = -1;
  if (port <= 0) throw Error("cannot listen on " + o.host + ":" + std::to_string(o.port) + " (address in use, or not this machine's?)");
  // httplib listens with a backlog of 5: a burst of new connections would wait out SYN retries
  // (1 s, 3 s, ...). Listening again on the bound socket sets the kernel's maximum instead.
  if (listen_fd != INVALID_SOCKET) ::listen(listen_fd, SOMAXCONN);

  std::atomic<bool> signalled{false};
  std::thread stopper([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    signalled = true;
    svr.stop();
  });
  std::cerr << "serve: " << o.model << " (stages";
  for (const auto& s : model.stages()) std::cerr << " " << s;
  std::cerr << ") listening on http://" << o.host << ":" << port << " with " << o.threads << " threads"
            << (api_key.empty() ? "" : ", API key required") << std::endl;
  const bool ok = svr.listen_after_bind();
  if (!signalled) pthread_kill(stopper.native_handle(), SIGTERM);  // listen failed: release the waiting thread
  stopper.join();
  std::cerr << "serve: stopped" << std::endl;
  return ok ? 0 : 2;
}

Registrar reg("serve", engine_help("serve"),
              [](CLI::App& app) {
  auto o = std::make_shared<Opts>();
  app.add_option("--model", o->model, "Model file (mie train ...)")->required();
  app.add_option("--host", o->host, "Address to listen on (0.0.0.0: every interface; beyond loopback needs --api-key-file or --insecure)")
      ->capture_default_str();
  app.add_option("--api-key-file", o->api_key_file,
                 "File whose first line is the API key clients send as 'Authorization: Bearer KEY' (401 otherwise)");
  app.add_flag("--insecure", o->insecure, "Listen beyond loopback without an API key");
  app.add_option("--queue", o->queue, "Requests that may wait while --threads compute; beyond: 503 with Retry-After")
      ->check(CLI::Range(0, 4096))
      ->capture_default_str();
  app.add_option("--timeout", o->timeout_s, "Seconds a client may take to send a request or read an answer")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  app.add_option("--port", o->port, "Port (0: any free port, printed on stderr)")->check(CLI::Range(0, 65535))->capture_default_str();
  add_threads_option(app, o->threads, "Worker threads (requests answered at once)");
  app.add_option("--max-body-mb", o->max_body_mb, "Largest request body in MiB (larger: 413)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  add_ground_options(app, o->ground);
  return [o]() -> int { return run(*o); };
});

}  // namespace
}  // namespace mie::cli
