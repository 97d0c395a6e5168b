// mie/relation/rel_train.h — train a relation classifier (MNRE or any labelled RelExamples).
//
//   mie::relation::TrainOptions opt;            // defaults = the reported MNRE configuration
//   opt.glove_path = mie::text::default_glove_path();
//   mie::relation::TrainReport rep;
//   auto clf = mie::relation::train_relation(train_examples, dev_examples, opt, &rep);
//   clf.save("models/mnre.mie");
//
// Labels: the sorted label set of the training data ("None" included when present). Class
// imbalance: "None" is down-weighted in the loss (none_weight) and the auxiliary argument-type
// loss (types read from the gold label's signature, positives only) teaches the type heads.
// dev is only monitored (per-epoch scores in the report) unless select_best is set, in which
// case the best dev epoch's weights are kept (then dev numbers are no longer held out).
// Deterministic for a seed and thread count. Progress goes to stderr when verbose.
// Thread safety: uses torch's global thread pool and RNG; run one training per process.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mie/core/train_log.h"
#include "mie/relation/classifier.h"

namespace mie::relation {

struct TrainOptions {
  std::string encoder = "lstm";  // lstm | cnn
  int hidden = 128;
  int layers = 1;                // BiLSTM layers
  int mlp = 256;
  float dropout = 0.3f;
  int epochs = 10;
  int batch_size = 32;
  float lr = 2e-3f;
  float none_weight = 0.6f;      // loss weight of "None" (others 1)
  float type_aux = 0.5f;         // weight of the argument-type loss
  bool type_prior = true;        // relation logits += compat * log p(argument types of the label); false: compat fixed at 0
  float word_dropout = 0.05f;
  int seed = 13;
  int threads = 1;             // torch threads; a second one is slower for these small models (docs/RESULTS.md)
  std::string glove_path;        // "" = no pre-trained vectors
  int glove_top = 50000;
  int min_count = 2;
  bool select_best = false;
  bool verbose = true;
  TrainLog log;                // progress lines when verbose (empty: stderr; core/train_log.h)
  double max_seconds = 0;        // > 0: stop after the epoch that passes this budget
};

struct EpochLog {
  int epoch = 0;
  double loss = 0, seconds = 0;
  double dev_f1 = -1, dev_acc = -1;  // micro F1 over non-None labels, accuracy (percent)
};

struct TrainReport {
  std::vector<EpochLog> epochs;
  int best_epoch = 0;
  double seconds = 0;
  nlohmann::json to_json() const;
};

RelationClassifier train_relation(const std::vector<RelExample>& train, const std::vector<RelExample>& dev,
                                  const TrainOptions& opt, TrainReport* report = nullptr);

}  // namespace mie::relation
