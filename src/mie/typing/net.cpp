#include "mie/typing/net.h"

#include "mie/core/section_tensors.h"

#include <algorithm>

#include "mie/core/error.h"

namespace mie::typing {

TypingNetImpl::TypingNetImpl(const NetConfig& c, int64_t num_words, int64_t word_dim, int64_t num_feats,
                             const Labels& labels)
    : cfg(c) {
  num_coarse = static_cast<int64_t>(labels.coarse.size());
  num_fine = static_cast<int64_t>(labels.fine.size());
  std::vector<int64_t> par(labels.parent.begin(), labels.parent.end());
  parent = register_buffer("parent", torch::tensor(par, torch::kInt64));
  emb = register_module("emb", torch::nn::Embedding(num_words, word_dim));
  emb->weight.set_requires_grad(false);
  int64_t ctx_dim = 0;
  if (cfg.context == "bilstm") {
    lstm = register_module("lstm", torch::nn::LSTM(torch::nn::LSTMOptions(word_dim, cfg.hidden).batch_first(true).bidirectional(true)));
    ctx_dim = 3 * 2 * cfg.hidden;
  } else {
    ctx_dim = 4 * word_dim;  // left window mean, right window mean, previous word, next word
  }
  bag = register_module("bag", torch::nn::EmbeddingBag(torch::nn::EmbeddingBagOptions(num_feats, cfg.bag_dim).mode(torch::kSum)));
  direct = register_module("direct", torch::nn::EmbeddingBag(torch::nn::EmbeddingBagOptions(num_feats, num_fine).mode(torch::kSum)));
  {
    torch::NoGradGuard ng;
    bag->weight.normal_(0, 0.05);
    direct->weight.zero_();
  }
  const int64_t in = ctx_dim + word_dim + cfg.bag_dim + word_dim;
  hidden = register_module("hidden", torch::nn::Linear(in, cfg.mlp));
  fine_out = register_module("fine_out", torch::nn::Linear(cfg.mlp, num_fine));
  coarse_out = register_module("coarse_out", torch::nn::Linear(cfg.mlp, num_coarse));
  trans = register_parameter("trans", torch::zeros({num_coarse, num_fine}));
}

void TypingNetImpl::set_vectors(const std::vector<float>& rows) {
  const auto V = emb->weight.size(0), D = emb->weight.size(1);
  if (static_cast<int64_t>(rows.size()) != V * D) throw Error("typing: word vector table has the wrong size");
  torch::NoGradGuard ng;
  emb->weight.copy_(torch::from_blob(const_cast<float*>(rows.data()), {V, D}));
}

Batch TypingNetImpl::batch(const std::vector<const EncodedPost*>& posts) const {
  Batch b;
  const int64_t P = static_cast<int64_t>(posts.size());
  int64_t L = 1;
  for (auto* p : posts) L = std::max<int64_t>(L, static_cast<int64_t>(p->words.size()));
  std::vector<int64_t> words(static_cast<size_t>(P * L), 0), lengths, fids, foffs, cids, coffs, gold;
  for (int64_t i = 0; i < P; ++i) {
    const auto& p = *posts[i];
    std::copy(p.words.begin(), p.words.end(), words.begin() + i * L);
    lengths.push_back(std::max<int64_t>(1, static_cast<int64_t>(p.words.size())));
    coffs.push_back(static_cast<int64_t>(cids.size()));
    cids.insert(cids.end(), p.caption.begin(), p.caption.end());
    for (const auto& e : p.entities) {
      b.ent_post.push_back(i);
      b.ent_start.push_back(e.start);
      b.ent_end.push_back(e.end);
      foffs.push_back(static_cast<int64_t>(fids.size()));
      fids.insert(fids.end(), e.feats.begin(), e.feats.end());
      gold.push_back(e.fine);
    }
  }
  b.words = torch::tensor(words, torch::kInt64).view({P, L});
  b.lengths = torch::tensor(lengths, torch::kInt64);
  b.feat_ids = torch::tensor(fids, torch::kInt64);
  b.feat_offsets = torch::tensor(foffs, torch::kInt64);
  b.cap_ids = torch::tensor(cids, torch::kInt64);
  b.cap_offsets = torch::tensor(coffs, torch::kInt64);
  b.gold = torch::tensor(gold, torch::kInt64);
  return b;
}

torch::Tensor TypingNetImpl::forward(const Batch& b) {
  const int64_t E = b.num_entities();
  const int64_t L = b.words.size(1);
  auto x = emb->forward(b.words);  // P x L x D
  auto xd = torch::dropout(x, cfg.emb_dropout, is_training());
  // Span pooling as matrix products: M (E x P*L) averages each span's rows; the window context
  // uses the same trick for the neighbours.
  const int64_t P = b.words.size(0);
  const size_t EPL = static_cast<size_t>(E * P * L);
  std::vector<float> avg(EPL, 0.f), left, right, prevw, nextw;
  const bool window = cfg.context != "bilstm";
  if (window) {
    left.assign(EPL, 0.f);
    right.assign(EPL, 0.f);
    prevw.assign(EPL, 0.f);
    nextw.assign(EPL, 0.f);
  }
  auto lengths = b.lengths.data_ptr<int64_t>();
  std::vector<int64_t> first, last;
  for (int64_t e = 0; e < E; ++e) {
    const int64_t base = b.ent_post[e] * L, row = e * P * L + base;
    const float w = 1.f / static_cast<float>(b.ent_end[e] - b.ent_start[e]);
    for (int64_t t = b.ent_start[e]; t < b.ent_end[e]; ++t) avg[static_cast<size_t>(row + t)] = w;
    first.push_back(base + b.ent_start[e]);
    last.push_back(base + b.ent_end[e] - 1);
    if (!window) continue;
    const int64_t n = lengths[b.ent_post[e]];
    const int64_t l0 = std::max<int64_t>(0, b.ent_start[e] - cfg.window), r1 = std::min<int64_t>(n, b.ent_end[e] + cfg.window);
    for (int64_t t = l0; t < b.ent_start[e]; ++t) left[static_cast<size_t>(row + t)] = 1.f / static_cast<float>(b.ent_start[e] - l0);
    for (int64_t t = b.ent_end[e]; t < r1; ++t) right[static_cast<size_t>(row + t)] = 1.f / static_cast<float>(r1 - b.ent_end[e]);
    if (b.ent_start[e] > 0) prevw[static_cast<size_t>(row + b.ent_start[e] - 1)] = 1.f;
    if (b.ent_end[e] < n) nextw[static_cast<size_t>(row + b.ent_end[e])] = 1.f;
  }
  auto M = torch::from_blob(avg.data(), {E, P * L}, torch::kFloat32);
  torch::Tensor span_rep;
  if (window) {
    auto xf = xd.reshape({P * L, -1});
    auto mat = [&](std::vector<float>& v) { return torch::from_blob(v.data(), {E, P * L}, torch::kFloat32).mm(xf); };
    span_rep = torch::cat({mat(left), mat(right), mat(prevw), mat(nextw)}, 1);
  } else {
    auto packed = torch::nn::utils::rnn::pack_padded_sequence(xd, b.lengths, /*batch_first=*/true, /*enforce_sorted=*/false);
    auto out = std::get<0>(lstm->forward_with_packed_input(packed));
    auto h = std::get<0>(torch::nn::utils::rnn::pad_packed_sequence(out, /*batch_first=*/true, 0.0, L));  // P x L x 2H
    auto hf = h.reshape({P * L, -1});
    span_rep = torch::cat({M.mm(hf), hf.index_select(0, torch::tensor(first, torch::kInt64)),
                           hf.index_select(0, torch::tensor(last, torch::kInt64))}, 1);
  }
  auto glove_rep = M.mm(x.reshape({P * L, -1}));
  torch::Tensor feat_rep, direct_scores;
  if (b.feat_ids.numel() > 0) {
    feat_rep = bag->forward(b.feat_ids, b.feat_offsets);
    direct_scores = direct->forward(b.feat_ids, b.feat_offsets);
  } else {
    feat_rep = torch::zeros({E, cfg.bag_dim});
    direct_scores = torch::zeros({E, num_fine});
  }
  // caption: mean of frozen word vectors per post (zeros when empty), then per entity
  auto cap = torch::embedding_bag(emb->weight, b.cap_ids, b.cap_offsets, false, /*mode mean*/ 1);
  auto cap_post = std::get<0>(cap);
  auto ent_post = torch::tensor(b.ent_post, torch::kInt64);
  auto cap_rep = cap_post.index_select(0, ent_post);
  auto z = torch::cat({span_rep, glove_rep, feat_rep, cap_rep}, 1);
  z = torch::dropout(z, cfg.dropout, is_training());
  z = torch::relu(hidden->forward(z));
  z = torch::dropout(z, cfg.dropout, is_training());
  auto s_f = fine_out->forward(z);                       // E x F (plus the linear sparse path)
  auto s_c = coarse_out->forward(z).index_select(1, parent);  // E x F (coarse score of each fine's parent)
  auto t = trans.gather(0, parent.view({1, -1})).view({1, -1});  // 1 x F: T[parent(f), f]
  return s_f + direct_scores + s_c + t;
}

torch::Tensor TypingNetImpl::coarse_log_probs(const torch::Tensor& fine_scores) const {
  auto lp = torch::log_softmax(fine_scores, 1);                       // E x F
  auto children = torch::arange(num_coarse, torch::kInt64).view({-1, 1}) == parent.view({1, -1});  // C x F
  auto mask = torch::zeros({num_coarse, num_fine}).masked_fill(children.logical_not(), -1e9);
  return torch::logsumexp(lp.unsqueeze(1) + mask.unsqueeze(0), 2);   // E x C
}

void net_to_section(TypingNet& net, ModelSection& s) { save_tensors(*net, s, "net."); }

void net_from_section(TypingNet& net, const ModelSection& s) { load_tensors(*net, s, "net.", "typing"); }

}  // namespace mie::typing
