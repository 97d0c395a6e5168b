// mie/typing/typer_train.h — trains the fine-grained typing model on gold spans (training code,
// kept apart from inference in typer.cpp).
//
//   mie::typing::TypingTrainOptions opt;          // Adam, early stopping on dev fine accuracy
//   mie::typing::Resources res{wordnet.get(), gazetteer.get()};
//   auto labels = mie::typing::Labels::from_tree(tree);
//   mie::typing::TypingReport rep;
//   mie::ModelSection sec = mie::typing::train_typer(train, dev, glove, res, labels, opt, &rep);
//   mf.set_section(sec);                          // section "fine"
//
// Loss: cross-entropy over the 51 fine scores with logit adjustment (Menon et al. 2021: the
// training logits get + tau * log prior(fine), prediction uses the raw scores, which gives rare
// fine types a fair chance), plus coarse_weight * the negative log of the coarse marginal
// (sum of p(fine) under the gold coarse type). Posts carry gold entities with fine_type (and the
// caption in Post::caption when the caption group is on); entities whose fine type is not in
// the tree throw mie::Error. Deterministic for a seed and thread count (torch::manual_seed,
// seeded shuffles, at::set_num_threads(threads)).
// Thread safety: uses the global torch thread setting; run one training at a time.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <nlohmann/json.hpp>
#include <vector>

#include "mie/core/model_file.h"
#include "mie/core/train_log.h"
#include "mie/core/post.h"
#include "mie/typing/features.h"
#include "mie/typing/typer.h"

namespace mie::text {
class Embeddings;
}

namespace mie::typing {

struct TypingTrainOptions {
  FeatureConfig feats;
  NetConfig net;
  int epochs = 20;
  int patience = 4;
  int batch_size = 32;         // posts per step
  double lr = 2e-3;
  double weight_decay = 0;
  double tau = 0.3;            // logit adjustment strength (0 = plain cross-entropy; 0.3 measured best, see docs/RESULTS.md)
  double coarse_weight = 0.5;
  double clip = 5.0;
  uint64_t seed = 1;
  int threads = 1;             // torch threads; a second one is slower for these small models (docs/RESULTS.md)
  double max_minutes = 0;      // stop after this wall time (0 = none)
  std::string coarse_mode = "joint";  // written into the section header (see typer.h)
  bool verbose = true;
  TrainLog log;                // progress lines when verbose (empty: stderr; core/train_log.h)
};

struct TypingReport {
  double best_fine_acc = 0, best_coarse_acc = 0, best_macro_f1 = 0;
  int best_epoch = 0, epochs_run = 0;
  double seconds = 0;
  nlohmann::json dev_metrics;   // typing_metrics() of the best epoch (per type included)
  nlohmann::json history = nlohmann::json::array();
};

ModelSection train_typer(const std::vector<Post>& train, const std::vector<Post>& dev, const text::Embeddings& glove,
                         const Resources& res, const Labels& labels, const TypingTrainOptions& opt,
                         TypingReport* report = nullptr);

// The coarse mode ("joint" or "respect") and NER weight the typer runs with, chosen end to end on
// dev: `spans` are dev's posts with the base pipeline's entities (gold entities in `dev`); each
// allowed mode (`coarse_mode` "auto": both) and each weight is scored by fine-MNER F1 and the best
// kept. `scores` gets each try's span_type_f1(); `log` (if any) one line per try.
struct FineModeChoice {
  std::string mode;
  float ner_weight = 0;
  double fine_f1 = -1;
  nlohmann::json scores = nlohmann::json::object();
};
FineModeChoice choose_fine_mode(const Typer& typer, const std::vector<Post>& dev, const std::vector<Post>& spans,
                                const std::string& coarse_mode, const std::vector<float>& ner_weights,
                                std::ostream* log = nullptr);

}  // namespace mie::typing
