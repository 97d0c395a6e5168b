// mie/typing/typer.h — the fine-grained typing stage (FMNERG: 8 coarse / 51 fine types) over
// entity spans that a NER stage (or the gold) supplies.
//
//   mie::ModelFile mf = mie::ModelFile::load("models/fmnerg.mie");
//   auto typer = mie::typing::Typer::load(mf.section("fine"));  // loads WordNet/gazetteers it needs
//   typer->predict(posts);            // sets Entity::fine_type (and a consistent Entity::type)
//   auto preds = typer->score(posts); // per post, per entity: fine/coarse ids and probabilities
//
// Coarse/fine consistency: Entity::type is always rewritten to the FMNERG coarse type (of the
// model's tree) that is the parent of the fine type chosen, so a fine type never appears outside
// its coarse type. Modes (section header "coarse_mode", overridable per call):
//   "joint"   the argmax over all fine types (the incoming type is ignored);
//   "respect" the argmax over the fine types under the incoming type: an FMNERG coarse type, or a
//             GMNER type PER/LOC/ORG/OTHER through io::fmnerg_to_gmner_type (PER -> person's
//             fines, LOC -> location's and building's, ...). An empty or unknown incoming type
//             falls back to "joint".
// Fusion with the NER stage (section header "ner_weight" w > 0): when an entity carries the NER
// stage's log-probabilities of the fine types (Entity::type_logprobs, from an FMNERG fine tagger),
// the typer's probabilities become p(f) ∝ p_typer(f) · exp(w · logprob_ner(f)) before the choice.
// Resources: WordNet from default_wordnet_dir(), gazetteers from text::default_gazetteer_dir(),
// loaded once per process and shared; a model that needs one that is missing throws mie::Error.
// Torch stays in the .cpp files.
// Thread safety: a loaded Typer is immutable; predict()/score() may run concurrently.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mie/core/model_file.h"
#include "mie/core/post.h"
#include "mie/typing/features.h"

namespace mie::typing {

inline constexpr const char* kFineSection = "fine";

struct NetConfig {
  std::string context = "window";  // "window": GloVe of the neighbours; "bilstm": BiLSTM over the post
  int window = 3;         // neighbour tokens each side (window context)
  int hidden = 128;       // BiLSTM units per direction
  int bag_dim = 128;      // sparse feature embedding size
  int mlp = 256;
  double dropout = 0.4;
  double emb_dropout = 0.25;
  nlohmann::json to_json() const;
  static NetConfig from_json(const nlohmann::json& j);
};

struct TypePrediction {
  int fine = -1, coarse = -1;
  float fine_prob = 0, coarse_prob = 0;
  std::vector<float> probs;  // over all fine types (softmax of the scores)
};

class Typer {
 public:
  ~Typer();
  // Resources are taken from `res` (null members = not available).
  static std::shared_ptr<const Typer> load(const ModelSection& section, const Resources& res);
  // Loads the resources the section needs from their default places (cached per process).
  static std::shared_ptr<const Typer> load(const ModelSection& section);

  // ner_weight < 0: the model's (header "ner_weight", default 0 = the typer alone).
  std::vector<std::vector<TypePrediction>> score(const std::vector<Post>& posts, const std::string& mode = "",
                                                 float ner_weight = -1.f) const;
  void predict(std::vector<Post>& posts, const std::string& mode = "", float ner_weight = -1.f) const;

  const Labels& labels() const;
  const Featurizer& featurizer() const;
  const nlohmann::json& header() const;
  std::string coarse_mode() const;
  float ner_weight() const;

  struct Impl;

 private:
  explicit Typer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Per-process shared resources (loaded on first use; throw mie::Error when absent).
std::shared_ptr<const WordNet> shared_wordnet();
std::shared_ptr<const text::Gazetteer> shared_gazetteer();

// Typing quality on gold spans: posts carry gold entities with fine_type; the typer types copies.
// {"entities", "fine_acc", "coarse_acc", "fine_macro_f1", "per_type": {fine: {p, r, f1, support}}}
nlohmann::json evaluate_typing(const Typer& typer, const std::vector<Post>& gold, const std::string& mode = "joint");
// Same from already-typed copies (pred[i] has the same spans as gold[i]).
nlohmann::json typing_metrics(const std::vector<Post>& gold, const std::vector<Post>& pred, const Labels& labels);
// Fine-MNER (span + fine type) and coarse (span + coarse type) micro P/R/F1 of predicted posts
// against gold posts (matched by position; ids must agree, else mie::Error).
nlohmann::json span_type_f1(const std::vector<Post>& gold, const std::vector<Post>& pred);

}  // namespace mie::typing
