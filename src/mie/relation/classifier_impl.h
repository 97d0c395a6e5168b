// mie/relation/classifier_impl.h — RelationClassifier's state (torch). Internal to the relation
// module: include only from relation/*.cpp.
//
//   auto impl = std::make_shared<mie::relation::RelationClassifier::Impl>(cfg, vocab);
//   impl->net->eval();  RelationClassifier clf(impl);
//
// Thread safety: `mu` guards forward passes; the rest is immutable after construction.
#pragma once

#include <mutex>

#include "mie/relation/classifier.h"
#include "mie/relation/features.h"
#include "mie/relation/net.h"

namespace mie::relation {

struct RelationClassifier::Impl {
  Impl(NetConfig c, Vocab v);
  // A network of config `c` sized for this vocabulary (GloVe rows + 1, training words, shapes).
  RelNet make_net(const NetConfig& c) const;
  NetConfig cfg;
  Vocab vocab;
  mutable RelNet net{nullptr};  // forward() is non-const in torch; guarded by mu
  // The other members of an ensemble (merge_relation_models): same vocabulary, labels and GloVe
  // rows (their glove buffer is `net`'s); their log-probabilities are averaged with net's.
  mutable std::vector<RelNet> members;
  std::vector<nlohmann::json> member_headers;  // {"config", "train"} of each member
  float none_bias = 0.f;
  int none_index = -1;
  nlohmann::json train_info = nlohmann::json::object();
  mutable std::mutex mu;

  // The batch's label scores: net's logits, or for an ensemble the mean of the members'
  // log-softmax. Caller holds mu.
  torch::Tensor scores(const Batch& b) const;
  // Logits -> predictions with the type constraint and none_bias applied.
  std::vector<Prediction> decode(const torch::Tensor& logits, const std::vector<const Encoded*>& ex) const;
  std::vector<Prediction> predict_encoded(const std::vector<const Encoded*>& ex) const;
};

}  // namespace mie::relation
