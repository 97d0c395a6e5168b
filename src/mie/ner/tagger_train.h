// mie/ner/tagger_train.h — trains the BiLSTM-CRF tagger (training code, kept apart from
// inference in tagger.cpp).
//
//   mie::ner::TrainOptions opt;                  // defaults: Adam, early stopping on dev F1
//   opt.seed = 1;
//   mie::ModelSection sec = mie::ner::train_tagger(train_posts, dev_posts, glove, opt);
//   mf.set_section(sec);  mf.save("models/gmner.mie");
//
// Deterministic for a seed (torch::manual_seed, seeded shuffles). With shards = 2 (data parallel)
// a replica of the network takes the second half of every batch, on a second thread when
// threads >= 2, each replica drawing its dropout from its own generator and the gradients summed
// in a fixed order: the same model on one thread or two. shards = 1 is the single-network path
// (torch's global generator) that the models recorded before 2026-12-05 were trained with.
// Prints an epoch table (loss, dev P/R/F1, tokens/s, ETA)
// on stderr when opt.verbose. Posts carry gold entities; with net.use_context their
// caption/knowledge fields are encoded after the tweet (dropped for a share of the training
// posts, so the model also works without context).
// Thread safety: uses the global torch thread setting; run one training at a time.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "mie/core/model_file.h"
#include "mie/core/train_log.h"
#include "mie/core/post.h"
#include "mie/ner/encoder.h"
#include "mie/ner/tagger.h"

namespace mie::text {
class Embeddings;
}

namespace mie::ner {

struct TrainOptions {
  TaggerConfig net;
  EncoderConfig enc;
  int epochs = 30;
  int patience = 6;            // epochs without dev improvement before stopping
  int batch_size = 16;
  double lr = 2e-3;
  double lr_decay = 0.05;      // lr_epoch = lr / (1 + decay * epoch)
  double clip = 5.0;
  double context_drop = 0.3;   // share of training posts seen without their context
  int dict_folds = 5;          // jackknife folds for enc.use_train_dict
  double word_dropout = 0;     // share of training words replaced by <unk> in each batch
  bool tune_words = false;     // train the GloVe rows too (frozen by default)
  uint64_t seed = 1;
  int shards = 1;              // 1 or 2 (see above)
  // Auxiliary labels (multi-task training): posts aligned with the training posts (the same ids
  // and tokens, in order) whose entity types are a second label set, e.g. FMNERG's fine types. A
  // second CRF head learns them from the shared BiLSTM states, its loss weighted by aux_weight;
  // it exists during training only (the saved model is the usual tagger). shards = 1 only.
  const std::vector<Post>* aux = nullptr;
  double aux_weight = 0.5;
  int threads = 1;             // with shards = 2: 2 runs the shards in parallel (both cores)
  double max_minutes = 0;      // stop after this wall time (0 = no limit)
  bool calibrate = true;       // fit the entity scores' temperature on dev (fit_score_temperature)
  bool verbose = true;
  TrainLog log;                // progress lines when verbose (empty: stderr; core/train_log.h)
};

struct TrainReport {
  double best_f1 = 0, best_p = 0, best_r = 0;
  int best_epoch = 0, epochs_run = 0;
  double seconds = 0;
  nlohmann::json history = nlohmann::json::array();  // per epoch
};

// Returns the finished "ner" section (best dev epoch). Throws mie::Error on empty data.
ModelSection train_tagger(const std::vector<Post>& train, const std::vector<Post>& dev, const text::Embeddings& glove,
                          const TrainOptions& opt, TrainReport* report = nullptr);

}  // namespace mie::ner
