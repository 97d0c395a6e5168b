// mie/ner/net.h — the BiLSTM-CRF network (torch). Internal to mie_ner: tagger.cpp (inference)
// and tagger_train.cpp (training) share it; nothing outside ner/ includes this header.
//
//   mie::ner::TaggerNet net(cfg, encoder, glove_rows);
//   mie::ner::Batch b = mie::ner::make_batch(encoded_ptrs);
//   torch::Tensor em = net->emissions(b);      // [B, T, L]
//   torch::Tensor nll = net->nll(em, b);       // [B]
//
// Thread safety: forward passes in eval mode under torch::NoGradGuard only read parameters and
// may run concurrently; training mutates the module and must be exclusive.
#pragma once

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <vector>

#include "mie/core/model_file.h"
#include "mie/ner/encoder.h"
#include "mie/ner/tagger.h"

namespace mie::ner {

struct Batch {
  torch::Tensor words, chars, shapes, feats;  // [B,T], [B,T,C], [B,T], [B,T,F]
  torch::Tensor lengths;                      // [B] all positions (tweet + context)
  torch::Tensor tweet_lengths;                // [B] labelled prefix
  torch::Tensor labels;                       // [B,Tt] (-1 padding)
};

Batch make_batch(const std::vector<const EncodedPost*>& posts);

struct TaggerNetImpl : torch::nn::Module {
  TaggerNetImpl(const TaggerConfig& cfg, const Encoder& enc, const std::vector<float>& word_vectors);
  torch::Tensor emissions(const Batch& b);                 // [B, Tt, L]: hidden2tag(features(b))
  // The BiLSTM's states over the tweet positions, after dropout: [B, Tt, 2 * hidden]. Training
  // heads besides hidden2tag (tagger_train.cpp's auxiliary labels) read them.
  torch::Tensor features(const Batch& b);
  // The BiLSTM one layer at a time, the dropout between layers drawn from `gen` (training with
  // a generator); the same function as the module's own multi-layer forward.
  torch::Tensor lstm_by_layer(const torch::Tensor& x, const Batch& b);
  // Dropout at cfg.dropout: from `gen` when set, else torch's global generator (nn::Dropout).
  torch::Tensor dropout(const torch::Tensor& x);
  torch::Tensor nll(const torch::Tensor& em, const Batch& b);  // [B]
  // Constrained transition parameters (trans + BIO mask, start + mask, end).
  torch::Tensor eff_trans() const { return trans + trans_mask; }
  torch::Tensor eff_start() const { return start + start_mask; }

  TaggerConfig cfg;
  int64_t n_labels;
  torch::nn::Embedding word_emb{nullptr}, char_emb{nullptr}, shape_emb{nullptr};
  torch::nn::Conv1d char_conv{nullptr};
  torch::nn::LSTM lstm{nullptr};
  torch::nn::Linear hidden2tag{nullptr};
  torch::nn::Dropout drop{nullptr};
  torch::Tensor trans, start, end, trans_mask, start_mask;
  // Training replicas each draw their dropout masks from their own generator, so two replicas can
  // train on two threads deterministically (tagger_train.cpp); unset, the global generator is used.
  c10::optional<at::Generator> gen;
};
TORCH_MODULE(TaggerNet);

// Parameters <-> model-file tensors ("net.<parameter name>"); the frozen word table included.
// Tensors are named prefix + parameter name ("net.lstm.weight_ih_l0"; ensemble members use
// "member<k>.net.").
void save_net(TaggerNet& net, ModelSection& section, const std::string& prefix = "net.");
void load_net(TaggerNet& net, const ModelSection& section, const std::string& prefix = "net.");

}  // namespace mie::ner
