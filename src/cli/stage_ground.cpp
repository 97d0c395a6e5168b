// The "ground" pipeline stage: for each entity the NER stage found, groundable or not and its box
// (mie/grounding/grounder.h). Registered for the model-file section "ground". Runtime options
// (detector sources, VinVL dir, images dir) come from the section header's "runtime" object,
// which `mie predict` fills from its command line (--regions, --vinvl, --images); a model file
// without it uses the detectors face,object,text,image. Each run() call analyses every distinct
// image once (the ImageAnalyser caches by path), and only for posts with entities; concurrent
// run() calls use their own analysers over one set of detectors (SharedDetectors::for_runtime:
// one per detector setting in the process), loaded on the first image or by warm_up(); `mie
// serve` answers every request with them (before, each run() loaded its own).
#include "cli/pipeline.h"
#include "mie/core/error.h"
#include "mie/grounding/grounder.h"

namespace mie::cli {
namespace {

class GroundStage : public Stage {
 public:
  GroundStage(grounding::Grounder g, grounding::GroundRuntime rt)
      : g_(std::move(g)), rt_(std::move(rt)), detectors_(grounding::SharedDetectors::for_runtime(rt_)) {}
  std::string name() const override { return grounding::kGroundSection; }
  void run(std::vector<Post>& posts) const override {
    grounding::ImageAnalyser an(rt_, detectors_);
    grounding::ground_posts(g_, an, posts);
  }
  void warm_up() const override {
    if (rt_.vinvl_dir.empty()) detectors_->get();  // VinVL mode reads regions, not detectors
  }

 private:
  grounding::Grounder g_;
  grounding::GroundRuntime rt_;
  std::shared_ptr<grounding::SharedDetectors> detectors_;  // loaded on first use, then shared
};

StageRegistrar ground_stage(grounding::kGroundSection, [](const ModelFile& mf, const ModelSection& s) -> std::unique_ptr<Stage> {
  try {
    return std::make_unique<GroundStage>(grounding::Grounder::from_section(s),
                                         grounding::GroundRuntime::from_json(s.header.value("runtime", nlohmann::json::object())));
  } catch (const Error& e) {
    throw Error(mf.path() + ": " + e.what());
  }
});

}  // namespace
}  // namespace mie::cli
