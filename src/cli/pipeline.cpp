#include "cli/pipeline.h"

#include <map>

#include "mie/core/error.h"
#include "mie/ner/tagger.h"

namespace mie::cli {

namespace {
std::map<std::string, StageFactory>& factories() {
  static std::map<std::string, StageFactory> f;
  return f;
}

class NerStage : public Stage {
 public:
  explicit NerStage(std::shared_ptr<const ner::Tagger> t) : tagger_(std::move(t)) {}
  std::string name() const override { return ner::kNerSection; }
  void run(std::vector<Post>& posts) const override { tagger_->predict(posts); }

 private:
  std::shared_ptr<const ner::Tagger> tagger_;
};

StageRegistrar ner_stage(ner::kNerSection, [](const ModelFile& mf, const ModelSection& s) -> std::unique_ptr<Stage> {
  try {
    return std::make_unique<NerStage>(ner::Tagger::load(s));
  } catch (const Error& e) {
    throw Error(mf.path() + ": " + e.what());
  }
});
}  // namespace

StageRegistrar::StageRegistrar(const std::string& section, StageFactory f) { factories()[section] = std::move(f); }

Pipeline Pipeline::load(const std::string& model_path) { return from_model(ModelFile::load(model_path)); }

Pipeline Pipeline::from_model(const ModelFile& mf) {
  Pipeline p;
  std::vector<std::string> order = mf.section_names();
  if (mf.meta.contains("stages") && mf.meta["stages"].is_array()) order = mf.meta["stages"].get<std::vector<std::string>>();
  for (const auto& name : order) {
    auto it = factories().find(name);
    if (it == factories().end())
      throw Error(mf.path() + ": model stage '" + name + "' is not supported by this mie build");
    p.stages_.push_back(it->second(mf, mf.section(name)));
  }
  if (p.stages_.empty()) throw Error(mf.path() + ": model file has no stages");
  return p;
}

void Pipeline::run(std::vector<Post>& posts) const {
  for (const auto& s : stages_) s->run(posts);
}

std::vector<std::string> Pipeline::stage_names() const {
  std::vector<std::string> n;
  for (const auto& s : stages_) n.push_back(s->name());
  return n;
}

const Stage* Pipeline::stage(const std::string& name) const {
  for (const auto& s : stages_)
    if (s->name() == name) return s.get();
  return nullptr;
}

}  // namespace mie::cli
