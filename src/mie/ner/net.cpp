#include "mie/ner/net.h"

#include "mie/core/section_tensors.h"

#include <algorithm>

#include "mie/core/error.h"
#include "mie/ner/crf.h"

namespace mie::ner {

Batch make_batch(const std::vector<const EncodedPost*>& posts) {
  const auto B = static_cast<int64_t>(posts.size());
  int64_t T = 1, Tt = 1;
  for (const auto* p : posts) {
    T = std::max<int64_t>(T, static_cast<int64_t>(p->size()));
    Tt = std::max<int64_t>(Tt, p->n_tweet);
  }
  const int64_t C = kMaxWordChars, F = posts.empty() ? 0 : posts[0]->n_feats;
  Batch b;
  b.words = torch::zeros({B, T}, torch::kLong);
  b.chars = torch::zeros({B, T, C}, torch::kLong);
  b.shapes = torch::zeros({B, T}, torch::kLong);
  b.feats = torch::zeros({B, T, F});
  b.lengths = torch::zeros({B}, torch::kLong);
  b.tweet_lengths = torch::zeros({B}, torch::kLong);
  b.labels = torch::full({B, Tt}, -1, torch::kLong);
  auto* w = b.words.data_ptr<int64_t>();
  auto* c = b.chars.data_ptr<int64_t>();
  auto* s = b.shapes.data_ptr<int64_t>();
  auto* f = b.feats.data_ptr<float>();
  auto* l = b.labels.data_ptr<int64_t>();
  for (int64_t i = 0; i < B; ++i) {
    const EncodedPost& p = *posts[static_cast<size_t>(i)];
    const auto n = static_cast<int64_t>(p.size());
    std::copy(p.words.begin(), p.words.end(), w + i * T);
    std::copy(p.shapes.begin(), p.shapes.end(), s + i * T);
    std::copy(p.chars.begin(), p.chars.end(), c + i * T * C);
    std::copy(p.feats.begin(), p.feats.end(), f + i * T * F);
    std::copy(p.labels.begin(), p.labels.end(), l + i * Tt);
    b.lengths[i] = std::max<int64_t>(n, 1);
    b.tweet_lengths[i] = std::max<int64_t>(p.n_tweet, 1);
  }
  return b;
}

TaggerNetImpl::TaggerNetImpl(const TaggerConfig& c, const Encoder& enc, const std::vector<float>& vectors)
    : cfg(c), n_labels(static_cast<int64_t>(enc.labels().size())) {
  const int64_t V = static_cast<int64_t>(enc.num_words()), D = enc.word_dim();
  word_emb = register_module("word_emb", torch::nn::Embedding(torch::nn::EmbeddingOptions(V, D).padding_idx(0)));
  if (!vectors.empty()) {
    if (static_cast<int64_t>(vectors.size()) != V * D) throw Error("word vector table has the wrong size");
    torch::NoGradGuard ng;
    word_emb->weight.copy_(torch::from_blob(const_cast<float*>(vectors.data()), {V, D}));
  }
  word_emb->weight.set_requires_grad(false);
  int64_t in = D;
  if (cfg.use_chars) {
    char_emb = register_module("char_emb", torch::nn::Embedding(
        torch::nn::EmbeddingOptions(static_cast<int64_t>(enc.num_chars()), cfg.char_dim).padding_idx(0)));
    char_conv = register_module("char_conv", torch::nn::Conv1d(
        torch::nn::Conv1dOptions(cfg.char_dim, cfg.char_filters, cfg.char_width).padding(cfg.char_width / 2)));
    in += cfg.char_filters;
  }
  if (cfg.use_shapes) {
    shape_emb = register_module("shape_emb", torch::nn::Embedding(
        torch::nn::EmbeddingOptions(static_cast<int64_t>(enc.num_shapes()), cfg.shape_dim).padding_idx(0)));
    in += cfg.shape_dim;
  }
  if (cfg.use_feats) in += enc.num_feats();
  lstm = register_module("lstm", torch::nn::LSTM(torch::nn::LSTMOptions(in, cfg.hidden)
                                                      .num_layers(cfg.layers)
                                                      .bidirectional(true)
                                                      .batch_first(true)
                                                      .dropout(cfg.layers > 1 ? cfg.dropout : 0.0)));
  hidden2tag = register_module("hidden2tag", torch::nn::Linear(2 * cfg.hidden, n_labels));
  drop = register_module("drop", torch::nn::Dropout(cfg.dropout));
  trans = register_parameter("trans", torch::zeros({n_labels, n_labels}));
  start = register_parameter("start", torch::zeros({n_labels}));
  end = register_parameter("end", torch::zeros({n_labels}));
  auto [tm, sm] = bio_constraints(enc.labels());
  trans_mask = register_buffer("trans_mask", tm);
  start_mask = register_buffer("start_mask", sm);
}

torch::Tensor TaggerNetImpl::emissions(const Batch& b) { return hidden2tag->forward(features(b)); }

torch::Tensor TaggerNetImpl::features(const Batch& b) {
  std::vector<torch::Tensor> parts{word_emb->forward(b.words)};
  const int64_t B = b.words.size(0), T = b.words.size(1);
  if (cfg.use_chars) {
    auto ce = char_emb->forward(b.chars.reshape({B * T, kMaxWordChars})).transpose(1, 2);  // [BT, cd, C]
    auto conv = char_conv->forward(dropout(ce));
    parts.push_back(std::get<0>(conv.max(2)).reshape({B, T, cfg.char_filters}));
  }
  if (cfg.use_shapes) parts.push_back(shape_emb->forward(b.shapes));
  if (cfg.use_feats) parts.push_back(b.feats);
  auto x = dropout(torch::cat(parts, 2));
  torch::Tensor h;
  if (is_training() && gen && cfg.layers > 1) {
    h = lstm_by_layer(x, b);
  } else if (B == 1) {
    h = std::get<0>(lstm->forward(x));
  } else {
    auto packed = torch::nn::utils::rnn::pack_padded_sequence(x, b.lengths, /*batch_first=*/true,
                                                              /*enforce_sorted=*/false);
    auto out = std::get<0>(lstm->forward_with_packed_input(packed));
    h = std::get<0>(torch::nn::utils::rnn::pad_packed_sequence(out, /*batch_first=*/true, 0.0, T));
  }
  const int64_t Tt = b.labels.size(1);
  h = h.narrow(1, 0, Tt);
  return dropout(h);
}

torch::Tensor TaggerNetImpl::dropout(const torch::Tensor& x) {
  if (!is_training() || cfg.dropout <= 0) return x;
  if (!gen) return drop->forward(x);
  const double keep = 1.0 - cfg.dropout;
  return x * (torch::empty_like(x).bernoulli_(keep, *gen) / keep);
}

torch::Tensor TaggerNetImpl::lstm_by_layer(const torch::Tensor& x, const Batch& b) {
  const std::vector<torch::Tensor>& w = lstm->all_weights();  // per layer: w_ih, w_hh, b_ih, b_hh, then _reverse
  const int64_t B = x.size(0), T = x.size(1), L = cfg.layers;
  if (int64_t(w.size()) != 8 * L) throw Error("NER LSTM: expected 8 weight tensors per bidirectional layer");
  const torch::Tensor zeros = torch::zeros({2, B, cfg.hidden});
  auto layer = [&](int64_t l) { return std::vector<torch::Tensor>(w.begin() + 8 * l, w.begin() + 8 * (l + 1)); };
  if (B == 1) {
    torch::Tensor h = x;
    for (int64_t l = 0; l < L; ++l) {
      h = std::get<0>(at::lstm(h, {zeros, zeros}, layer(l), true, 1, 0.0, is_training(), true, true));
      if (l + 1 < L) h = dropout(h);
    }
    return h;
  }
  auto packed = torch::nn::utils::rnn::pack_padded_sequence(x, b.lengths, /*batch_first=*/true, /*enforce_sorted=*/false);
  torch::Tensor data = packed.data();
  for (int64_t l = 0; l < L; ++l) {
    data = std::get<0>(at::lstm(data, packed.batch_sizes(), {zeros, zeros}, layer(l), true, 1, 0.0, is_training(), true));
    if (l + 1 < L) data = dropout(data);
  }
  torch::nn::utils::rnn::PackedSequence out(data, packed.batch_sizes(), packed.sorted_indices(), packed.unsorted_indices());
  return std::get<0>(torch::nn::utils::rnn::pad_packed_sequence(out, /*batch_first=*/true, 0.0, T));
}

torch::Tensor TaggerNetImpl::nll(const torch::Tensor& em, const Batch& b) {
  auto tr = eff_trans(), st = eff_start();
  return crf_nll(em, b.labels, b.tweet_lengths, tr, st, end);
}

void save_net(TaggerNet& net, ModelSection& section, const std::string& prefix) { save_tensors(*net, section, prefix); }

void load_net(TaggerNet& net, const ModelSection& section, const std::string& prefix) {
  load_tensors(*net, section, prefix, "NER");
}

}  // namespace mie::ner
