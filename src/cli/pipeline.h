// cli/pipeline.h — the prediction pipeline: stages loaded from one model file, run in order.
//
//   mie::cli::Pipeline pipe = mie::cli::Pipeline::load("models/gmner.mie");
//   pipe.run(posts);                 // ner fills entities; later stages (ground, ...) add boxes
//
// A stage is built from its model-file section by a factory registered under the section name
// (StageRegistrar). The file's meta "stages" list fixes the order. Sections no registered
// factory knows make load() throw mie::Error naming the file and the section.
// Thread safety: a loaded Pipeline is immutable; run() may be called concurrently on disjoint
// post vectors.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mie/core/model_file.h"
#include "mie/core/post.h"

namespace mie::cli {

class Stage {
 public:
  virtual ~Stage() = default;
  virtual std::string name() const = 0;
  virtual void run(std::vector<Post>& posts) const = 0;
  // Loads what run() would load on first use (a server's detectors), so that configuration errors
  // show at startup and the first request is not slower. Throws mie::Error like run().
  virtual void warm_up() const {}
};

using StageFactory = std::function<std::unique_ptr<Stage>(const ModelFile&, const ModelSection&)>;

struct StageRegistrar {
  StageRegistrar(const std::string& section, StageFactory f);
};

// Whether a NER section's fine-type tagger emits GMNER types (header "entity_types": "gmner") rather
// than FMNERG coarse ones ("fmnerg", or no key). Throws mie::Error for another value, or for the key
// on a tagger without a "fine_tree".
bool gmner_entity_types(const nlohmann::json& ner_header);

class Pipeline {
 public:
  static Pipeline load(const std::string& model_path);
  static Pipeline from_model(const ModelFile& mf);
  void run(std::vector<Post>& posts) const;
  void warm_up() const;  // every stage's warm_up()
  std::vector<std::string> stage_names() const;
  const Stage* stage(const std::string& name) const;

 private:
  std::vector<std::shared_ptr<const Stage>> stages_;
};

}  // namespace mie::cli
