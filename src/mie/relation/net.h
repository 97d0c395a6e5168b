// mie/relation/net.h — the relation classifier network (libtorch). Internal to the relation
// module: include it only from relation/*.cpp (it pulls in <torch/torch.h>).
//
//   mie::relation::NetConfig cfg;  cfg.labels = mie::relation::mnre_labels();
//   mie::relation::RelNet net(cfg, n_glove_rows, n_word_rows, n_shapes);
//   mie::relation::Batch b = mie::relation::make_batch(encoded_ptrs, label_ids);
//   mie::relation::NetOutput out = net->forward(b);   // out.logits [B, labels]
//
// Input per token: frozen GloVe row + trainable word row, char CNN over bytes, word shape,
// 17 tweet token features, distance to head and tail, segment (head/tail/marker). Encoder:
// BiLSTM (1-4 layers) or a 2-layer CNN. Pooling: "<h>"/"<t>" marker states, max over each argument span,
// and attention over all tokens with the argument pair as query. Heads: argument types
// (per/org/loc/misc, auxiliary loss) and relations; the relation logits get
// compat * (log p(head type) + log p(tail type)) of the label's signature, and the image vector
// enters the hidden layer through a zero-initialised linear map.
// Thread safety: a module in eval mode may run forward() from one thread at a time.
#pragma once

#include <torch/torch.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mie/relation/features.h"

namespace mie::relation {

struct NetConfig {
  std::string encoder = "lstm";  // lstm | cnn
  int glove_dim = 0;             // 0 = no pre-trained vectors
  int word_dim = 100;            // trainable row size (= glove_dim when glove is used)
  int char_dim = 24, char_filters = 48;
  int shape_dim = 16, pos_dim = 16, seg_dim = 8;
  int hidden = 128;              // per direction (lstm) / channels/2 (cnn)
  int layers = 1;                // BiLSTM layers (lstm only; dropout between them)
  int mlp = 256;
  float dropout = 0.3f;
  std::vector<std::string> labels;
  nlohmann::json to_json() const;
  static NetConfig from_json(const nlohmann::json& j);
};

struct Batch {
  torch::Tensor words, glove, shapes, chars, pos_h, pos_t, seg, feats, mask, lengths;
  torch::Tensor head_marker, tail_marker, head_span, tail_span, image;
  torch::Tensor labels;  // [B] int64, or undefined
};

// label_ids may be empty (inference).
Batch make_batch(const std::vector<const Encoded*>& ex, const std::vector<int64_t>& label_ids);

struct NetOutput {
  torch::Tensor logits, type_head, type_tail;
};

struct RelNetImpl : torch::nn::Module {
  RelNetImpl(const NetConfig& cfg, int64_t glove_rows, int64_t word_rows, int64_t shape_rows);
  NetOutput forward(const Batch& b);

  NetConfig cfg;
  torch::Tensor glove;  // buffer [glove_rows, glove_dim] (row 0 zeros), frozen
  torch::nn::Embedding word{nullptr}, chr{nullptr}, shape{nullptr}, pos_h{nullptr}, pos_t{nullptr}, seg{nullptr};
  torch::nn::Conv1d char_cnn{nullptr}, cnn1{nullptr}, cnn2{nullptr};
  torch::nn::LSTM lstm{nullptr};
  torch::nn::Linear att_q{nullptr}, att_k{nullptr}, att_v{nullptr}, type_h{nullptr}, type_t{nullptr};
  torch::nn::Linear hid{nullptr}, img{nullptr}, out{nullptr};
  torch::nn::Dropout drop{nullptr};
  torch::Tensor compat, sig_head, sig_tail;  // compat: parameter; sig_*: [4, L] buffers
};
TORCH_MODULE(RelNet);

}  // namespace mie::relation
