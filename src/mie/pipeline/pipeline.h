// mie/pipeline/pipeline.h — the stages of one model file, run in order (what mie::Model wraps).
//
//   mie::ModelFile mf = mie::ModelFile::load("models/gmner.mie");
//   mie::pipeline::Pipeline pipe = mie::pipeline::Pipeline::from_model(mf, mie::Options{});
//   pipe.run(posts);                   // ner fills entities; ground adds boxes; relation relations
//   mie::pipeline::run_parallel(pipe, posts, 2);
//
// Every stage is listed in one table (stage_table(): section name -> loader, newest version read);
// ModelFile::stage_order() fixes the order (meta "stages"). A section no loader knows, or one whose
// "version" is newer than this build reads, makes from_model() throw mie::Error naming the file, the
// section and the version.
// Thread safety: a Pipeline is immutable; run() may be called concurrently on disjoint posts.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mie/core/model_file.h"
#include "mie/grounding/grounder.h"
#include "mie/mie.h"

namespace mie::pipeline {

// One stage's contract at prediction time: loaded from its model-file section and the runtime
// options, then predict(posts) const. Training lives beside each module (ner/tagger_train.h,
// grounding/region_train.h, typing/typer_train.h, relation/rel_train.h) and returns a section.
class Stage {
 public:
  virtual ~Stage() = default;
  virtual std::string name() const = 0;
  virtual void predict(std::vector<Post>& posts) const = 0;
  // Loads what predict() would load on first use (detectors), so configuration errors show early.
  virtual void warm_up() const {}
};

using StageLoader = std::unique_ptr<Stage> (*)(const ModelSection& section, const Options& options);
struct StageEntry {
  const char* section;
  StageLoader load;
  int version;  // the newest section "version" this build reads (a section without one is 1)
};
// ner, fine, ground, relation.
const std::vector<StageEntry>& stage_table();

std::unique_ptr<Stage> load_ner_stage(const ModelSection& s, const Options& o);
std::unique_ptr<Stage> load_fine_stage(const ModelSection& s, const Options& o);
std::unique_ptr<Stage> load_ground_stage(const ModelSection& s, const Options& o);
std::unique_ptr<Stage> load_relation_stage(const ModelSection& s, const Options& o);

class Pipeline {
 public:
  static Pipeline from_model(const ModelFile& mf, const Options& options);
  // Tokenizes posts that carry only raw text, then runs every stage.
  void run(std::vector<Post>& posts) const;
  void warm_up() const;
  std::vector<std::string> stage_names() const;
  const Stage* stage(const std::string& name) const;

 private:
  std::vector<std::shared_ptr<const Stage>> stages_;
};

// Splits posts over `threads` threads (each runs pipe.run on its part); order is kept.
void run_parallel(const Pipeline& pipe, std::vector<Post>& posts, int threads);

// The grounding stage's runtime from the library options.
grounding::GroundRuntime ground_runtime(const Options& o);

// Whether a NER section's fine-type tagger emits GMNER types (header "entity_types": "gmner") rather
// than FMNERG coarse ones ("fmnerg", or no key). Throws mie::Error for another value, or for the key
// on a tagger without a "fine_tree".
bool gmner_entity_types(const nlohmann::json& ner_header);

// Once per process, before the first model runs: OpenBLAS kernels for this CPU, freed tensor memory
// kept in the heap (core/blas_kernels.h, core/heap.h). Later calls return the first one's result.
struct ProcessSetup {
  std::string blas_before, blas_now;  // OpenBLAS core names ("" when OpenBLAS is not loaded)
};
const ProcessSetup& setup_process();

}  // namespace mie::pipeline
