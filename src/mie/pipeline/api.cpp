// The public API (mie/mie.h) over the pipeline.
#include <ATen/Parallel.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "mie/core/error.h"
#include "mie/core/model_file.h"
#include "mie/io/jsonl.h"
#include "mie/mie.h"
#include "mie/ner/tagger.h"
#include "mie/pipeline/pipeline.h"
#include "mie/text/tokenizer.h"

namespace mie {

struct Model::Impl {
  std::string path;
  Options options;
  pipeline::Pipeline pipe;
  std::vector<std::string> context;
};

Model::Model(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

Model Model::load(const std::string& path, const Options& options) {
  if (options.threads < 1) throw Error("Options::threads must be at least 1, not " + std::to_string(options.threads));
  pipeline::setup_process();
  const ModelFile mf = ModelFile::load(path);
  std::vector<std::string> context;
  if (const ModelSection* ner = mf.find_section(ner::kNerSection)) {
    const nlohmann::json ctx = ner->header.value("data", nlohmann::json::object()).value("context", nlohmann::json::object());
    for (const char* kind : {"caption", "knowledge"})
      if (ctx.contains(kind)) context.emplace_back(kind);
  }
  auto impl = std::make_shared<Impl>(Impl{path, options, pipeline::Pipeline::from_model(mf, options), std::move(context)});
  at::set_num_threads(1);  // parallelism comes from threads over posts (Options::threads)
  return Model(std::move(impl));
}

Post Model::predict(Post post) const {
  std::vector<Post> one;
  one.push_back(std::move(post));
  impl_->pipe.run(one);
  return std::move(one[0]);
}

void Model::predict(std::vector<Post>& posts) const { pipeline::run_parallel(impl_->pipe, posts, impl_->options.threads); }

void Model::warm_up() const { impl_->pipe.warm_up(); }
std::vector<std::string> Model::stages() const { return impl_->pipe.stage_names(); }
bool Model::has_stage(const std::string& name) const { return impl_->pipe.stage(name) != nullptr; }
std::vector<std::string> Model::context() const { return impl_->context; }
const std::string& Model::path() const { return impl_->path; }
const Options& Model::options() const { return impl_->options; }

std::vector<std::string> tokenize(const std::string& text) { return text::tokenize(text); }

Post make_post(const std::string& text, const std::string& image_path, const std::string& id) {
  Post p;
  p.id = id;
  p.tokens = text::tokenize(text);
  if (p.tokens.empty()) throw Error("the post's text is empty: nothing to tag");
  if (!image_path.empty()) p.image = ImageRef{image_path, 0, 0};
  return p;
}

ImageRef image_from_bytes(std::vector<uint8_t> bytes, const std::string& name) {
  ImageRef r{name, 0, 0};
  r.data = std::make_shared<const std::vector<uint8_t>>(std::move(bytes));
  return r;
}

Post parse_post(const std::string& line, const std::string& default_id) {
  constexpr int kMaxDepth = 32;  // a post nests 4 levels; deeper input is refused, not parsed
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(line, [](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
      if (depth > kMaxDepth) throw Error("JSON nested deeper than " + std::to_string(kMaxDepth) + " levels");
      return true;
    });
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("invalid JSON: ") + e.what());
  }
  try {
    if (!j.is_object()) throw Error("expected a JSON object");
    if (!j.contains("tokens") && j.contains("text")) {
      if (!j["text"].is_string()) throw Error("\"text\" must be a string");
      j["tokens"] = text::tokenize(j["text"].get<std::string>());
    }
    j.erase("text");
    if (!j.contains("tokens")) throw Error("post has neither \"tokens\" nor \"text\"");
    if (!j.contains("id")) j["id"] = default_id;
    if (j.contains("image") && j["image"].is_string()) j["image"] = {{"path", j["image"]}, {"width", 0}, {"height", 0}};
    Post p = io::post_from_json(j);
    p.entities.clear();
    p.relations.clear();
    return p;
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("invalid JSON: ") + e.what());
  }
}

std::string to_jsonl(const Post& post) {
  nlohmann::json j = io::post_to_json(post);
  j.erase("caption");  // input context, not output
  j.erase("knowledge");
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace mie
