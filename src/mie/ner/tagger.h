// mie/ner/tagger.h — the MNER stage: a BiLSTM-CRF tagger over GloVe, characters, word shapes
// and tweet features, optionally reading the image caption / LLM knowledge as context.
//
//   mie::ModelFile mf = mie::ModelFile::load("models/gmner.mie");
//   std::shared_ptr<const mie::ner::Tagger> tagger = mie::ner::Tagger::load(mf.section("ner"));
//   std::vector<mie::Post> posts = ...;          // tokens (+ caption / knowledge)
//   tagger->predict(posts);                      // fills Post::entities (type, score)
//
// A model trained with context uses a post's caption/knowledge when present and still works
// without them (the tweet alone is encoded). A section may hold an ensemble (merge_taggers) and a
// guide tagger over coarser labels (attach_guide).
// Torch stays inside the .cpp files.
// Thread safety: a loaded Tagger is immutable; predict() may run concurrently from several
// threads on different posts (each call keeps its own buffers).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mie/core/model_file.h"
#include "mie/core/post.h"

namespace mie::ner {

class Encoder;

struct TaggerConfig {
  int char_dim = 30;
  int char_filters = 50;
  int char_width = 3;
  int shape_dim = 16;
  int hidden = 200;  // per direction
  int layers = 1;
  double dropout = 0.5;
  bool use_chars = true;
  bool use_shapes = true;
  bool use_feats = true;
  bool use_context = false;  // trained with caption/knowledge context
  nlohmann::json to_json() const;
  static TaggerConfig from_json(const nlohmann::json& j);
};

class Tagger {
 public:
  ~Tagger();
  // Throws mie::Error when the section is not a compatible NER section.
  static std::shared_ptr<const Tagger> load(const ModelSection& section);

  // Replaces each post's entities with predicted ones (Viterbi). Entity::score is the CRF's
  // marginal probability of the entity's span with its type, every score divided by the section's
  // "score_temperature" (fit_score_temperature; 1 when absent). Processes posts in batches of
  // `batch_size` posts of similar length (sorted by length first; output order is the input order).
  void predict(std::vector<Post>& posts, int batch_size = 64) const;
  // BIO tags for one post (no entity decoding).
  std::vector<std::string> tag(const Post& post) const;

  const TaggerConfig& config() const;
  const Encoder& encoder() const;
  const nlohmann::json& header() const;
  size_t members() const;  // 1, or the size of the ensemble
  const Tagger* guide() const;  // the attached guide (attach_guide), or null

  struct Impl;
  friend struct TaggerInternals;

 private:
  explicit Tagger(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// An ensemble of taggers trained with the same options on the same data (seeds differ): the
// loaded Tagger averages their emission and transition scores before Viterbi (K members cost K
// forward passes). Returns the first section with the other members' weights added as
// "member<k>.net.*" tensors and their "train" headers listed under "ensemble". Throws mie::Error
// when the configs or encoders (vocabulary, labels, features) differ or a section already is an
// ensemble or has a guide (merge first, then attach_guide).
ModelSection merge_taggers(const std::vector<const ModelSection*>& sections);

// A guide: a second tagger (one model or an ensemble) trained on the same posts with coarser labels,
// e.g. the GMNER model (PER/LOC/ORG/OTHER) for an FMNERG fine tagger. The loaded tagger adds the
// guide's emission and transition scores, mapped onto its own labels and times `weight`, to its own
// before Viterbi (a product of experts: the guide's span evidence, the tagger's fine types).
// `guide_label_of[l]` names the guide label that the tagger's label l maps to ("B-athlete" ->
// "B-PER"). Each tagger encodes the post with its own encoder (and context). Returns `tagger` with
// the guide's header under "guide" and its tensors as "guide.<name>". Throws mie::Error when a
// section is not a bilstm-crf tagger, `tagger` already has a guide, the map's size differs from
// the tagger's labels or names a label the guide lacks, or the weight is not in (0, 10].
ModelSection attach_guide(const ModelSection& tagger, const ModelSection& guide,
                          const std::vector<std::string>& guide_label_of, float weight);

// The temperature that makes entity scores calibrated on `dev` (posts with gold entities): the
// one of a grid (0.5 .. 4 in steps of 0.25) whose scores give the predicted entities the lowest
// binary log loss of being right (exact span and type). Decisions do not depend on it. `report`, if
// given, receives {"temperature", "log_loss", "log_loss_t1", "entities"} (train_tagger and `mie
// ensemble --calibrate` store it as the section's "score_calibration"). Throws mie::Error for a
// section Tagger::load refuses.
double fit_score_temperature(const ModelSection& section, const std::vector<Post>& dev,
                             nlohmann::json* report = nullptr);

// Section name of the NER stage in a model file.
inline constexpr const char* kNerSection = "ner";

}  // namespace mie::ner
