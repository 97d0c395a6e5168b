// The "fine" pipeline stage: fine-grained FMNERG typing of the entities the NER stage found
// (mie/typing/typer.h). Registered for the model-file section "fine"; the JSONL output carries
// each entity's fine_type and its (FMNERG) coarse type.
#include "cli/pipeline.h"
#include "mie/core/error.h"
#include "mie/typing/typer.h"

namespace mie::cli {
namespace {

class FineStage : public Stage {
 public:
  explicit FineStage(std::shared_ptr<const typing::Typer> t) : typer_(std::move(t)) {}
  std::string name() const override { return typing::kFineSection; }
  void run(std::vector<Post>& posts) const override { typer_->predict(posts); }

 private:
  std::shared_ptr<const typing::Typer> typer_;
};

StageRegistrar fine_stage(typing::kFineSection, [](const ModelFile& mf, const ModelSection& s) -> std::unique_ptr<Stage> {
  try {
    return std::make_unique<FineStage>(typing::Typer::load(s));
  } catch (const Error& e) {
    throw Error(mf.path() + ": " + e.what());
  }
});

}  // namespace
}  // namespace mie::cli
