// mie/relation/classifier.h — load a relation model and classify argument pairs (no torch here).
//
//   auto clf = mie::relation::RelationClassifier::load("models/mnre.mie");
//   std::vector<mie::relation::Prediction> p = clf.predict(examples);   // p[i].label, p[i].score
//   mie::relation::fill_relations(clf, post);        // JMERE: all ordered entity pairs -> post.relations
//   auto objs = mie::relation::entity_object_relations(clf, post, signals);   // MORE
//
// The model lives in a mie::ModelFile section "relation" (header: architecture, config,
// vocabularies, none_bias; tensors: the network's parameters and buffers, named as in
// RelNetImpl). Labels incompatible with an argument's known type (RelArg::type >= 0, e.g. NER
// PER for a "/org/..." label) are never predicted; unknown types (-1) constrain nothing.
// none_bias is added to the "None" logit before the softmax (negative = more positives). A section
// may hold an ensemble (merge_relation_models).
// Thread safety: predict() and the free functions may be called from several threads; forward
// passes serialise on an internal mutex.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "mie/core/model_file.h"
#include "mie/core/post.h"
#include "mie/io/mnre.h"
#include "mie/relation/example.h"
#include "mie/relation/image_signals.h"

namespace mie::relation {

inline constexpr const char* kSectionName = "relation";

struct Prediction {
  std::string label;
  float score = 0.f;         // probability of `label`
  std::vector<float> probs;  // per label, in labels() order
};

class RelationClassifier {
 public:
  struct Impl;
  explicit RelationClassifier(std::shared_ptr<Impl> impl);

  static RelationClassifier load(const std::string& path);  // throws mie::Error
  static RelationClassifier from_section(const ModelSection& s, const std::string& file_name);
  ModelSection to_section() const;
  void save(const std::string& path, const nlohmann::json& meta = nlohmann::json::object()) const;

  std::vector<Prediction> predict(const std::vector<RelExample>& ex, int batch_size = 64) const;
  const std::vector<std::string>& labels() const;
  int none_index() const;  // -1 when the label set has no "None"
  float none_bias() const;
  void set_none_bias(float b);
  // The model's frozen word vectors (for image_features); empty when trained without GloVe.
  WordVectors word_vectors() const;
  nlohmann::json info() const;  // config and training info from the model header

  Impl& impl() const { return *impl_; }

 private:
  std::shared_ptr<Impl> impl_;
};

// An ensemble of relation models trained on the same data with the same vocabulary options
// (seeds differ): the loaded classifier averages the members' log-probabilities before the type
// constraint and none_bias (K members cost K forward passes). Returns the first section with the
// other members' weights as "member<k>.*" tensors (their GloVe rows are the first's, stored once)
// and their config/train headers under "ensemble"; none_bias is the first's. Throws mie::Error
// when a section is not a version-1 relation model or already an ensemble, or when the
// vocabularies, label sets or GloVe rows differ.
ModelSection merge_relation_models(const std::vector<const ModelSection*>& sections);

// MNRE instance file -> one {"id", "relation", "score"} line per instance (id = 0-based index).
std::vector<Prediction> predict_mnre(const RelationClassifier& clf, const std::vector<io::MreInstance>& in,
                                     std::ostream* out);

// JMERE: classifies every ordered pair of p.entities and replaces p.relations with the pairs
// whose best label is not "None" and whose score >= min_score. `image` (optional) adds the
// image signals to every pair.
void fill_relations(const RelationClassifier& clf, Post& p, const ImageSignals* image = nullptr,
                    float min_score = 0.f);

// MORE: one relation per (entity, image object) pair whose best label is not "None". The object
// is appended to the tokens as "<obj> label words" (the tail argument) and its box, class and
// region feature fill the image vector's target block.
struct ObjectRelation {
  int entity = 0;
  int object = 0;  // index into image.objects
  std::string label;
  float score = 0.f;
};
std::vector<RelExample> entity_object_examples(const Post& p, const ImageSignals& image, const WordVectors& wv);
std::vector<ObjectRelation> entity_object_relations(const RelationClassifier& clf, const Post& p,
                                                    const ImageSignals& image, float min_score = 0.f);

}  // namespace mie::relation
