#include "cli/pipeline.h"

#include <map>
#include <optional>

#include "mie/core/error.h"
#include "mie/io/fmnerg.h"
#include "mie/ner/encoder.h"
#include "mie/ner/tagger.h"

namespace mie::cli {

namespace {
std::map<std::string, StageFactory>& factories() {
  static std::map<std::string, StageFactory> f;
  return f;
}

// With a "fine_tree" in its header (`mie train ner --fine`) the tagger's labels are FMNERG fine
// types: each entity then gets fine_type = label and type = the label's FMNERG coarse type, or its
// GMNER type (PER/LOC/ORG/OTHER) when the header says "entity_types": "gmner" (`mie ensemble
// --types gmner`: fine taggers serving as a GMNER model).
class NerStage : public Stage {
 public:
  NerStage(std::shared_ptr<const ner::Tagger> t, std::optional<io::TypeTree> tree, bool to_gmner)
      : tagger_(std::move(t)), tree_(std::move(tree)), to_gmner_(to_gmner) {}
  std::string name() const override { return ner::kNerSection; }
  void run(std::vector<Post>& posts) const override {
    tagger_->predict(posts);
    if (!tree_) return;
    for (auto& p : posts)
      for (auto& e : p.entities) {
        e.fine_type = e.type;
        e.type = tree_->coarse_of(e.type);
        if (to_gmner_) e.type = io::fmnerg_to_gmner_type(e.type);
      }
  }

 private:
  std::shared_ptr<const ner::Tagger> tagger_;
  std::optional<io::TypeTree> tree_;
  bool to_gmner_;
};

StageRegistrar ner_stage(ner::kNerSection, [](const ModelFile& mf, const ModelSection& s) -> std::unique_ptr<Stage> {
  try {
    std::optional<io::TypeTree> tree;
    if (s.header.contains("fine_tree")) tree = io::type_tree_from_json(s.header["fine_tree"]);
    const bool to_gmner = gmner_entity_types(s.header);  // throws on a bad "entity_types"
    auto tagger = ner::Tagger::load(s);
    if (tree)
      for (const auto& label : tagger->encoder().labels()) io::fine_label_to_gmner(*tree, label);  // throws
    return std::make_unique<NerStage>(std::move(tagger), std::move(tree), to_gmner);
  } catch (const Error& e) {
    throw Error(mf.path() + ": " + e.what());
  }
});
}  // namespace

bool gmner_entity_types(const nlohmann::json& ner_header) {
  if (!ner_header.contains("entity_types")) return false;
  const auto& t = ner_header["entity_types"];
  if (!ner_header.contains("fine_tree"))
    throw Error("NER section: \"entity_types\" is only for a fine-type tagger (one with a \"fine_tree\")");
  if (t != "fmnerg" && t != "gmner") throw Error("NER section: entity_types " + t.dump() + " is not \"fmnerg\" or \"gmner\"");
  return t == "gmner";
}

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

void Pipeline::warm_up() const {
  for (const auto& s : stages_) s->warm_up();
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
