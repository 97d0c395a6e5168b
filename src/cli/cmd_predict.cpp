// `mie predict`: runs the stages of a model file over text lines, JSONL posts or a CoNLL file.
#include <ATen/Parallel.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include "cli/command.h"
#include "cli/pipeline.h"
#include "cli/post_input.h"
#include "mie/core/error.h"
#include "mie/core/files.h"
#include "mie/io/conll.h"
#include "mie/io/jsonl.h"
#include "mie/io/mnre.h"
#include "mie/ner/tagger.h"
#include "mie/relation/classifier.h"
#include "mie/io/aux.h"
#include "mie/text/tokenizer.h"

namespace mie::cli {
namespace {

struct Opts {
  std::string model, input = "-", in_format = "auto", format = "jsonl", caption, knowledge, text;
  int threads = 1, batch = 256;
  std::string image;        // the --text post's image
  GroundCliOptions ground;  // grounding stage
};

// Reads posts in chunks: text lines, JSONL objects, or (whole) CoNLL files.
class Reader {
 public:
  Reader(std::istream& in, std::string name, std::string fmt) : in_(in), name_(std::move(name)), fmt_(std::move(fmt)) {
    if (fmt_ == "auto") {
      int c;
      while ((c = in_.peek()) != EOF && std::isspace(c)) in_.get();
      if (c == '{') fmt_ = "jsonl";
      else if (c == 'I') {
        std::string head;
        std::getline(in_, head);
        if (head.rfind("IMGID:", 0) == 0) fmt_ = "conll";
        else fmt_ = "text";
        pending_ = head;
        has_pending_ = true;
      } else fmt_ = "text";
    }
    if (fmt_ != "text" && fmt_ != "jsonl" && fmt_ != "conll")
      throw Error("unknown input format '" + fmt_ + "' (auto, text, jsonl, conll)");
  }
  const std::string& format() const { return fmt_; }

  // Appends up to n posts; returns false at end of input.
  bool next(std::vector<Post>& out, size_t n) {
    if (fmt_ == "conll") {
      if (done_) return false;
      std::stringstream all;
      if (has_pending_) all << pending_ << "\n";
      all << in_.rdbuf();
      io::ConllOptions any_type;  // gold tags are ignored, whatever their types
      any_type.allowed_types.clear();
      any_type.extra_columns = true;  // FMNERG files: token, coarse tag, fine tag
      auto posts = io::read_conll(all, name_, any_type);
      for (auto& p : posts) p.entities.clear();
      out.insert(out.end(), std::make_move_iterator(posts.begin()), std::make_move_iterator(posts.end()));
      done_ = true;
      return !out.empty();
    }
    std::string line;
    while (out.size() < n && next_line(line)) {
      ++line_no_;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      if (fmt_ == "text") {
        Post p;
        p.id = std::to_string(line_no_);
        try {
          p.tokens = text::tokenize(line);
        } catch (const Error& e) {
          throw ParseError(name_, line_no_, e.what());
        }
        out.push_back(std::move(p));
      } else {
        out.push_back(parse_json(line));
      }
    }
    return !out.empty();
  }

 private:
  bool next_line(std::string& line) {
    if (has_pending_) {
      line = pending_;
      has_pending_ = false;
      return true;
    }
    return static_cast<bool>(std::getline(in_, line));
  }
  Post parse_json(const std::string& line) {
    try {
      return post_from_input_json(line, std::to_string(line_no_));
    } catch (const Error& e) {
      throw ParseError(name_, line_no_, e.what());
    }
  }
  std::istream& in_;
  std::string name_, fmt_, pending_;
  bool has_pending_ = false, done_ = false;
  long line_no_ = 0;
};

void run_parallel(const Pipeline& pipe, std::vector<Post>& posts, int threads) {
  if (threads <= 1 || posts.size() < 2) {
    pipe.run(posts);
    return;
  }
  const size_t per = (posts.size() + static_cast<size_t>(threads) - 1) / static_cast<size_t>(threads);
  std::vector<std::vector<Post>> parts;
  for (size_t s = 0; s < posts.size(); s += per)
    parts.emplace_back(std::make_move_iterator(posts.begin() + static_cast<std::ptrdiff_t>(s)),
                       std::make_move_iterator(posts.begin() + static_cast<std::ptrdiff_t>(std::min(posts.size(), s + per))));
  std::vector<std::exception_ptr> errors(parts.size());
  std::vector<std::thread> pool;
  for (size_t i = 0; i < parts.size(); ++i)
    pool.emplace_back([&, i] {
      try {
        pipe.run(parts[i]);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    });
  for (auto& t : pool) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  posts.clear();
  for (auto& p : parts) posts.insert(posts.end(), std::make_move_iterator(p.begin()), std::make_move_iterator(p.end()));
}

int run(const Opts& o) {
  if (o.format != "jsonl" && o.format != "conll") throw Error("--format must be jsonl or conll");
  ModelFile mf = ModelFile::load(o.model);
  if (mf.find_section(relation::kSectionName) && !mf.find_section(ner::kNerSection)) {
    // A relation model (mie train rel): MNRE instance file in, {"id","relation","score"} lines out.
    if (!o.text.empty()) throw Error(o.model + ": a relation model reads MNRE instances (--input FILE or -), not --text");
    auto clf = relation::RelationClassifier::from_section(mf.section(relation::kSectionName), o.model);  // already read
    relation::predict_mnre(clf, io::read_mnre(o.input), &std::cout);
    return 0;
  }
  apply_ground_options(mf, o.ground);  // runtime options of the grounding stage
  if (!o.image.empty() && o.text.empty()) throw Error("--image goes with --text (JSONL input carries \"image\" per post)");
  Pipeline pipe = Pipeline::from_model(mf);
  at::set_num_threads(1);  // parallelism comes from --threads workers
  io::AuxMap caps, know;
  if (!o.caption.empty()) caps = io::read_captions(o.caption);
  if (!o.knowledge.empty()) know = io::read_knowledge(o.knowledge);
  if (const ModelSection* ner = mf.find_section(ner::kNerSection)) {  // a hint, not an error: context is optional
    const nlohmann::json ctx = ner->header.value("data", nlohmann::json::object()).value("context", nlohmann::json::object());
    for (const auto& [kind, given] : {std::pair{"caption", &o.caption}, std::pair{"knowledge", &o.knowledge}})
      if (ctx.contains(kind) && given->empty())
        std::cerr << "predict: " << o.model << " was trained reading the post's " << kind << " (--" << kind
                  << " FILE); without it, posts are tagged from their text alone unless they carry a \"" << kind
                  << "\" field\n";
  }
  std::ifstream file;
  std::istringstream text_in(o.text);
  std::istream* in = &std::cin;
  std::string name = "<stdin>";
  std::string in_format = o.in_format;
  if (!o.text.empty()) {
    in = &text_in;
    name = "--text";
    in_format = "text";
  } else if (o.input != "-") {
    file = open_file(o.input, "input file");
    in = &file;
    name = o.input;
  }
  Reader reader(*in, name, in_format);
  long n_posts = 0, n_tokens = 0;
  const auto t0 = std::chrono::steady_clock::now();
  const size_t chunk = static_cast<size_t>(std::max(1, o.batch)) * static_cast<size_t>(std::max(1, o.threads));
  std::vector<Post> posts;
  while (reader.next(posts, chunk)) {
    for (auto& p : posts) {
      if (!o.image.empty()) p.image = ImageRef{o.image, 0, 0};
      else if (!o.ground.images.empty() && !p.image && !p.id.empty()) p.image = ImageRef{p.id + ".jpg", 0, 0};  // CoNLL IMGID
    }
    io::attach_aux(posts, caps, know);
    run_parallel(pipe, posts, o.threads);
    for (auto& p : posts) {
      p.caption.clear();
      p.knowledge.clear();
      n_tokens += static_cast<long>(p.tokens.size());
    }
    n_posts += static_cast<long>(posts.size());
    if (o.format == "conll") io::write_conll(std::cout, posts);
    else for (const auto& p : posts) io::write_jsonl_line(std::cout, p);
    std::cout.flush();
    posts.clear();
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cerr << "predict: " << n_posts << " posts, " << n_tokens << " tokens in " << s << " s ("
            << (s > 0 ? static_cast<long>(n_tokens / s) : 0) << " tokens/s, " << o.threads << " threads)\n";
  return 0;
}

Registrar reg("predict", "Tag posts with a trained model (text lines, JSONL or CoNLL in; mie JSONL or CoNLL out)",
              [](CLI::App& app) {
  auto o = std::make_shared<Opts>();
  app.add_option("--model", o->model, "Model file (mie train ...)")->required();
  app.add_option("--input", o->input, "Input file, - for stdin")->capture_default_str();
  app.add_option("--text", o->text, "Predict this one text instead of reading --input")
      ->check(CLI::Validator(
          [](std::string& t) -> std::string {
            return t.find_first_not_of(" \t\r\n") == std::string::npos ? "the text is empty: nothing to tag" : "";
          },
          "TEXT"));
  app.add_option("--input-format", o->in_format, "auto, text (one post per line), jsonl or conll")->capture_default_str();
  app.add_option("--format", o->format, "Output: jsonl (mie JSONL) or conll")->capture_default_str();
  add_threads_option(app, o->threads, "Worker threads");
  app.add_option("--batch", o->batch, "Posts per batch and thread")->capture_default_str();
  app.add_option("--caption", o->caption, "Image captions JSONL (for models trained with context)");
  app.add_option("--knowledge", o->knowledge, "LLM knowledge JSONL (for models trained with context)");
  app.add_option("--image", o->image, "Image of the --text post (grounding stage)");
  add_ground_options(app, o->ground);
  return [o]() -> int { return run(*o); };
});

}  // namespace
}  // namespace mie::cli
