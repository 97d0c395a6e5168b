// The pipeline's stages over their modules: ner (ner/tagger.h), fine (typing/typer.h), ground
// (grounding/grounder.h), relation (relation/classifier.h).
#include <optional>

#include "mie/core/error.h"
#include "mie/grounding/grounder.h"
#include "mie/io/fmnerg.h"
#include "mie/ner/encoder.h"
#include "mie/ner/tagger.h"
#include "mie/pipeline/pipeline.h"
#include "mie/relation/classifier.h"
#include "mie/typing/typer.h"

namespace mie::pipeline {
namespace {

// With a "fine_tree" in its header (`mie train ner --fine`) the tagger's labels are FMNERG fine
// types: each entity then gets fine_type = label and type = the label's FMNERG coarse type, or its
// GMNER type (PER/LOC/ORG/OTHER) when the header says "entity_types": "gmner" (`mie ensemble
// --types gmner`: fine taggers serving as a GMNER model).
class NerStage : public Stage {
 public:
  NerStage(std::shared_ptr<const ner::Tagger> t, std::optional<io::TypeTree> tree, bool to_gmner)
      : tagger_(std::move(t)), tree_(std::move(tree)), to_gmner_(to_gmner) {}
  std::string name() const override { return ner::kNerSection; }
  void predict(std::vector<Post>& posts) const override {
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

// Fine-grained FMNERG typing of the entities the NER stage found; each entity gets its fine_type
// and its (FMNERG) coarse type.
class FineStage : public Stage {
 public:
  explicit FineStage(std::shared_ptr<const typing::Typer> t) : typer_(std::move(t)) {}
  std::string name() const override { return typing::kFineSection; }
  void predict(std::vector<Post>& posts) const override { typer_->predict(posts); }

 private:
  std::shared_ptr<const typing::Typer> typer_;
};

// For each entity: groundable or not and its box. Each predict() call analyses every distinct image
// once, and only for posts with entities; concurrent calls use their own analysers over one set of
// detectors (SharedDetectors::for_runtime: one per detector setting in the process), loaded on the
// first image or by warm_up().
class GroundStage : public Stage {
 public:
  GroundStage(grounding::Grounder g, grounding::GroundRuntime rt)
      : g_(std::move(g)), rt_(std::move(rt)), detectors_(grounding::SharedDetectors::for_runtime(rt_)) {}
  std::string name() const override { return grounding::kGroundSection; }
  void predict(std::vector<Post>& posts) const override {
    grounding::ImageAnalyser an(rt_, detectors_);
    grounding::ground_posts(g_, an, posts);
  }
  void warm_up() const override {
    if (rt_.vinvl_dir.empty()) detectors_->get();  // VinVL mode reads regions, not detectors
  }

 private:
  grounding::Grounder g_;
  grounding::GroundRuntime rt_;
  std::shared_ptr<grounding::SharedDetectors> detectors_;
};

// Relations between the entities of each post: every ordered pair goes through the relation
// classifier, whose labels' argument signatures rule out pairs of the wrong types; a pair is kept
// when its best label is not "None" and its probability reaches the threshold (the section's
// "post_threshold", calibrated on dev by `mie calibrate-rel`, or Options::relation_threshold).
// The image signals are left out: the MNRE-trained classifier saw no images (they are not on this
// machine), so it reads an all-zero image vector.
class RelationStage : public Stage {
 public:
  RelationStage(relation::RelationClassifier clf, float threshold) : clf_(std::move(clf)), threshold_(threshold) {}
  std::string name() const override { return relation::kSectionName; }
  void predict(std::vector<Post>& posts) const override {
    for (Post& p : posts) {
      if (p.entities.size() < 2) {
        p.relations.clear();
        continue;
      }
      relation::fill_relations(clf_, p, nullptr, threshold_);
    }
  }

 private:
  relation::RelationClassifier clf_;
  float threshold_;
};

}  // namespace

std::unique_ptr<Stage> load_ner_stage(const ModelSection& s, const Options&) {
  std::optional<io::TypeTree> tree;
  if (s.header.contains("fine_tree")) tree = io::type_tree_from_json(s.header["fine_tree"]);
  const bool to_gmner = gmner_entity_types(s.header);  // throws on a bad "entity_types"
  auto tagger = ner::Tagger::load(s);
  if (tree)
    for (const auto& label : tagger->encoder().labels()) io::fine_label_to_gmner(*tree, label);  // throws
  return std::make_unique<NerStage>(std::move(tagger), std::move(tree), to_gmner);
}

std::unique_ptr<Stage> load_fine_stage(const ModelSection& s, const Options&) {
  return std::make_unique<FineStage>(typing::Typer::load(s));
}

std::unique_ptr<Stage> load_ground_stage(const ModelSection& s, const Options& o) {
  return std::make_unique<GroundStage>(grounding::Grounder::from_section(s), ground_runtime(o));
}

std::unique_ptr<Stage> load_relation_stage(const ModelSection& s, const Options& o) {
  const float threshold = o.relation_threshold >= 0 ? o.relation_threshold : s.header.value("post_threshold", 0.f);
  return std::make_unique<RelationStage>(relation::RelationClassifier::from_section(s, s.name), threshold);
}

}  // namespace mie::pipeline
