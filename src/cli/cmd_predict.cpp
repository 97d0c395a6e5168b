// `mie predict`: runs the stages of a model file over text lines, JSONL posts or a CoNLL file.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include "cli/command.h"
#include "cli/engine_commands.h"
#include "cli/post_input.h"
#include "mie/core/error.h"
#include "mie/core/files.h"
#include "mie/core/progress.h"
#include "mie/io/conll.h"
#include "mie/io/jmere.h"
#include "mie/io/jsonl.h"
#include "mie/io/mnre.h"
#include "mie/ner/tagger.h"
#include "mie/relation/classifier.h"
#include "mie/io/aux.h"
#include "mie/mie.h"
#include "mie/text/tokenizer.h"
#include <nlohmann/json.hpp>

namespace mie::cli {
namespace {

struct Opts {
  std::string model, input = "-", in_format = "auto", format = "jsonl", caption, knowledge, text;
  std::string on_error = "fail", errors;  // --on-error skip: bad inputs go to --errors (or stderr)
  int threads = 1, batch = 256;
  std::string image;        // the --text post's image
  Options ground;  // the library's runtime options (add_ground_options); threads: --threads
};

// Where --on-error skip puts each bad input: one {"file","line","error"} JSON line.
class ErrorLog {
 public:
  ErrorLog(const std::string& path, std::string input) : input_(std::move(input)) {
    if (!path.empty() && path != "-") {
      file_.open(path, std::ios::binary | std::ios::trunc);
      if (!file_) throw Error(path + ": cannot write the errors file");
    }
  }
  void add(long line, const std::string& what) {  // held until flush(), which writes in line order
    pending_.emplace_back(line, nlohmann::json{{"file", input_}, {"line", line}, {"error", what}}.dump(
                                    -1, ' ', false, nlohmann::json::error_handler_t::replace));
    ++count_;
  }
  void flush() {
    std::stable_sort(pending_.begin(), pending_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::ostream& out = file_.is_open() ? static_cast<std::ostream&>(file_) : std::cerr;
    for (const auto& [line, text] : pending_) out << text << '\n';
    out.flush();
    pending_.clear();
  }
  long count() const { return count_; }
  void close(const std::string& path) {
    flush();
    if (file_.is_open() && !file_.flush()) throw Error(path + ": cannot write the errors file (disk full?)");
  }

 private:
  std::string input_;
  std::ofstream file_;
  std::vector<std::pair<long, std::string>> pending_;  // this chunk's: parse errors come before image errors
  long count_ = 0;
};

// Reads posts in chunks: text lines, JSONL objects, or (whole) CoNLL files. With an ErrorLog, a
// malformed line is logged and skipped; without, it throws ParseError(file, line).
class Reader {
 public:
  Reader(std::istream& in, std::string name, std::string fmt) : in_(in), name_(std::move(name)), fmt_(std::move(fmt)) {
    if (fmt_ == "auto") {
      int c;
      while ((c = in_.peek()) != EOF && std::isspace(c)) in_.get();
      if (c == '{') {  // JSONL, or MNRE's Python-literal dicts ({'token': ...})
        in_.get();
        fmt_ = in_.peek() == '\'' ? "mnre" : "jsonl";
        in_.putback('{');
      }
      else if (c == 'I') {
        std::string head;
        std::getline(in_, head);
        if (head.rfind("IMGID:", 0) == 0) fmt_ = "conll";
        else fmt_ = "text";
        pending_ = head;
        has_pending_ = true;
      } else fmt_ = "text";
    }
    if (fmt_ != "text" && fmt_ != "jsonl" && fmt_ != "conll" && fmt_ != "mnre")
      throw Error("unknown input format '" + fmt_ + "' (auto, text, jsonl, conll, mnre)");
  }
  const std::string& format() const { return fmt_; }

  void skip_bad_lines(ErrorLog* log) { log_ = log; }

  // Appends up to n posts and their 1-based input lines (0 for whole-file formats); returns
  // false at end of input.
  bool next(std::vector<Post>& out, std::vector<long>& lines, size_t n) {
    const size_t before = out.size();
    read(out, n);
    lines.resize(before);
    for (size_t i = before; i < out.size(); ++i)
      lines.push_back(i - before < read_lines_.size() ? read_lines_[i - before] : 0);
    read_lines_.clear();
    return !out.empty();
  }

 private:
  bool read(std::vector<Post>& out, size_t n) {
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
    if (fmt_ == "mnre") {  // MNRE read as posts: one per distinct token sequence (io/jmere.h)
      if (done_) return false;
      auto posts = io::mnre_as_posts(io::read_mnre(in_, name_));
      for (auto& p : posts) {
        p.entities.clear();
        p.relations.clear();
      }
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
          if (!bad(e)) throw ParseError(name_, line_no_, e.what());
          continue;
        }
        out.push_back(std::move(p));
      } else {
        try {
          out.push_back(parse_post(line, std::to_string(line_no_)));
        } catch (const Error& e) {
          if (!bad(e)) throw ParseError(name_, line_no_, e.what());
          continue;
        }
      }
      read_lines_.push_back(line_no_);
    }
    return !out.empty();
  }
  bool bad(const Error& e) {  // logged and skipped?
    if (!log_) return false;
    log_->add(line_no_, e.what());
    return true;
  }
  bool next_line(std::string& line) {
    if (has_pending_) {
      line = pending_;
      has_pending_ = false;
      return true;
    }
    return static_cast<bool>(std::getline(in_, line));
  }
  std::istream& in_;
  std::string name_, fmt_, pending_;
  bool has_pending_ = false, done_ = false;
  long line_no_ = 0;
  std::vector<long> read_lines_;
  ErrorLog* log_ = nullptr;
};

// Runs the model over a chunk; with a log, a post whose image or input fails is logged with its
// line and dropped, the others kept in order (the chunk is retried post by post to find it).
void predict_chunk(const Model& model, std::vector<Post>& posts, const std::vector<long>& lines, ErrorLog* log,
                   const std::string& name) {
  try {
    model.predict(posts);
    return;
  } catch (const Error&) {
    if (!log) throw;
  }
  std::vector<Post> kept;
  for (size_t i = 0; i < posts.size(); ++i) {
    std::vector<Post> one{std::move(posts[i])};
    try {
      model.predict(one);
      kept.push_back(std::move(one.front()));
    } catch (const Error& e) {
      log->add(lines[i], lines[i] ? e.what() : name + ": post " + one.front().id + ": " + e.what());
    }
  }
  posts.swap(kept);
}

constexpr int kExitSkipped = 4;  // the run finished; some inputs were bad and skipped

int run(const Opts& o) {
  if (o.format != "jsonl" && o.format != "conll") throw Error("--format must be jsonl or conll");
  if (!o.image.empty() && o.text.empty()) throw Error("--image goes with --text (JSONL input carries \"image\" per post)");
  Options lib = o.ground;
  lib.threads = o.threads;
  const Model model = Model::load(o.model, lib);
  if (!model.has_stage(ner::kNerSection) && model.has_stage(relation::kSectionName)) {
    // A relation model (mie train rel): MNRE instance file in, {"id","relation","score"} lines out.
    if (!o.text.empty()) throw Error(o.model + ": a relation model reads MNRE instances (--input FILE or -), not --text");
    relation::predict_mnre(relation::RelationClassifier::load(o.model), io::read_mnre(o.input), &std::cout);
    return 0;
  }
  io::AuxMap caps, know;
  if (!o.caption.empty()) caps = io::read_captions(o.caption);
  if (!o.knowledge.empty()) know = io::read_knowledge(o.knowledge);
  for (const std::string& kind : model.context()) {  // a hint, not an error: context is optional
    const std::string& given = kind == "caption" ? o.caption : o.knowledge;
    if (given.empty())
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
  std::unique_ptr<ErrorLog> log;
  if (o.on_error == "skip") {
    log = std::make_unique<ErrorLog>(o.errors, name);
    reader.skip_bad_lines(log.get());
  }
  long n_posts = 0, n_tokens = 0;
  Progress bar("predict", o.text.empty() ? Progress::file_size(o.input) : 0);
  const auto t0 = std::chrono::steady_clock::now();
  const size_t chunk = static_cast<size_t>(std::max(1, o.batch)) * static_cast<size_t>(std::max(1, o.threads));
  std::vector<Post> posts;
  std::vector<long> lines;
  while (reader.next(posts, lines, chunk)) {
    for (auto& p : posts) {
      if (reader.format() == "mnre" && o.ground.images_dir.empty()) p.image.reset();  // MNRE's images: only with --images
      if (!o.image.empty()) p.image = ImageRef{o.image, 0, 0};
      else if (reader.format() == "conll" && !o.ground.images_dir.empty() && !p.image && !p.id.empty())
        p.image = ImageRef{p.id + ".jpg", 0, 0};  // CoNLL IMGID (JSONL posts name their image)
    }
    io::attach_aux(posts, caps, know);
    predict_chunk(model, posts, lines, log.get(), name);
    for (const auto& p : posts) n_tokens += static_cast<long>(p.tokens.size());
    n_posts += static_cast<long>(posts.size());
    if (o.format == "conll") io::write_conll(std::cout, posts);
    else for (const auto& p : posts) std::cout << to_jsonl(p) << '\n';
    std::cout.flush();
    if (file.is_open()) bar.update(static_cast<uint64_t>(n_posts), file);
    else bar.update(static_cast<uint64_t>(n_posts));
    posts.clear();
    lines.clear();
    if (log) log->flush();
  }
  bar.finish();
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cerr << "predict: " << n_posts << " posts, " << n_tokens << " tokens in " << s << " s ("
            << (s > 0 ? static_cast<long>(n_tokens / s) : 0) << " tokens/s, " << o.threads << " threads)\n";
  if (!log) return 0;
  log->close(o.errors);
  std::cerr << "predict: " << n_posts + log->count() << " posts in, " << n_posts << " out, " << log->count()
            << " skipped" << (o.errors.empty() || o.errors == "-" ? "" : " (" + o.errors + ")") << "\n";
  return log->count() ? kExitSkipped : 0;
}

Registrar reg("predict", engine_help("predict"),
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
  app.add_option("--input-format", o->in_format, "auto, text (one post per line), jsonl, conll, or mnre (MNRE lines read as posts: one per distinct text)")->capture_default_str();
  app.add_option("--format", o->format, "Output: jsonl (mie JSONL) or conll")->capture_default_str();
  add_threads_option(app, o->threads, "Worker threads");
  app.add_option("--batch", o->batch, "Posts per batch and thread")->capture_default_str();
  app.add_option("--caption", o->caption, "Image captions JSONL (for models trained with context)");
  app.add_option("--knowledge", o->knowledge, "LLM knowledge JSONL (for models trained with context)");
  app.add_option("--image", o->image, "Image of the --text post (grounding stage)");
  app.add_option("--on-error", o->on_error,
                 "fail: stop at the first bad input (exit 2); skip: log it to --errors, go on, exit 4 if any was skipped")
      ->check(CLI::IsMember({"fail", "skip"}))
      ->capture_default_str();
  app.add_option("--errors", o->errors, "With --on-error skip: file of {\"file\",\"line\",\"error\"} lines (default stderr)");
  add_ground_options(app, o->ground);
  app.callback([o] {  // a usage error (exit 1), found while parsing
    if (!o->errors.empty() && o->on_error != "skip") throw CLI::ValidationError("--errors", "goes with --on-error skip");
  });
  return [o]() -> int { return run(*o); };
});

}  // namespace
}  // namespace mie::cli
