// mie/grounding/classifier.h — groundability classifier: logistic regression over hashed sparse
// entity features + kDenseDim dense ones (features.h), trained with libtorch, run in plain C++.
//
//   mie::grounding::ClassifierTrainOptions opt;  opt.seed = 1;
//   auto cls = mie::grounding::train_classifier(train_posts, cfg, opt);   // Entity::groundable = label
//   float p = cls.prob(post, 0, nullptr);            // text (+caption) only
//   float q = cls.prob(post, 0, &summary);           // + hand-set detector rule (features.h)
//   mie::grounding::BinaryScores s = mie::grounding::evaluate_classifier(cls, dev_posts);
//   cls.save(section);  auto back = mie::grounding::GroundClassifier::load(section);
//
// Training: Adam on binary cross-entropy, zero-initialised weights (MLP: seeded normal init), fixed epochs, mini-batches
// shuffled by a std::mt19937_64 seeded with opt.seed: the result is deterministic for a seed
// (single torch thread). Thread safety: a const classifier may be used from many threads.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <nlohmann/json.hpp>
#include <vector>

#include "mie/core/model_file.h"
#include "mie/core/post.h"
#include "mie/grounding/features.h"

namespace mie::grounding {

struct ClassifierTrainOptions {
  // Chosen on GMNER dev (docs/grounding.md): more epochs / a higher rate overfit the hashed weights.
  int epochs = 6;
  int batch = 32;
  float lr = 0.002f;
  float l2 = 1e-4f;  // on the sparse weights that are active in a batch
  uint64_t seed = 1;
  int hidden = 0;    // 0: logistic regression; > 0: one ReLU hidden layer of this width (MLP)
};

class GroundClassifier {
 public:
  FeatureConfig cfg;
  DetectorRule rule;
  float threshold = 0.5f;
  std::vector<float> sparse_w;  // 2^cfg.hash_bits
  std::array<float, kDenseDim> dense_w{};
  float bias = 0.f;
  // MLP variant (hidden > 0): h = relu(emb^T x_sparse + dense_h^T x_dense + b_h), logit = out . h + bias.
  int hidden = 0;
  std::vector<float> emb, dense_h, b_h, out;  // [V*H], [D*H], [H], [H]

  float logit(const Post& p, int entity, const ImageSummary* image) const;  // image: nullptr = none
  float prob(const Post& p, int entity, const ImageSummary* image) const;
  void save(ModelSection& s) const;  // header "classifier" + tensors "cls.sparse", "cls.dense"
  static GroundClassifier load(const ModelSection& s);  // throws mie::Error on a bad section
};

GroundClassifier train_classifier(const std::vector<Post>& train, const FeatureConfig& cfg,
                                  const ClassifierTrainOptions& opt, nlohmann::json* log = nullptr);

struct BinaryScores {
  long n = 0, correct = 0, tp = 0, fp = 0, fn = 0;
  // Probability quality, over the entities added with a probability (scored = their count): summed
  // log loss and squared error, and 10 equal-width bins of (count, sum of p, positives).
  long scored = 0;
  double log_loss_sum = 0, brier_sum = 0;
  std::array<long, 10> bin_n{};
  std::array<double, 10> bin_p{}, bin_pos{};

  void add(bool pred, bool gold, double prob = -1);  // prob < 0: no probability
  double accuracy() const { return n ? 100.0 * static_cast<double>(correct) / static_cast<double>(n) : 0; }
  double f1() const { return tp ? 200.0 * static_cast<double>(tp) / static_cast<double>(2 * tp + fp + fn) : 0; }
  double log_loss() const;  // mean, natural log, p clipped to [1e-6, 1 - 1e-6]; 0 when none scored
  double brier() const;     // mean squared error of p
  double ece() const;       // expected calibration error: sum over bins of |mean p - positive rate| * share
  nlohmann::json to_json() const;
};

// Text (+caption) only: Entity::groundable of `gold` is the label.
// per_type (optional) receives the scores by entity type.
BinaryScores evaluate_classifier(const GroundClassifier& cls, const std::vector<Post>& gold,
                                 std::map<std::string, BinaryScores>* per_type = nullptr);
// Always predicting the training set's majority class; its probability is the training set's
// positive rate (the prior), so log loss and Brier score have a baseline too.
BinaryScores majority_baseline(const std::vector<Post>& train, const std::vector<Post>& gold);

}  // namespace mie::grounding
