// mie/typing/net.h — the libtorch typing network (internal to the typing module: includes torch).
//
//   mie::typing::TypingNet net(cfg, num_words, word_dim, num_feats, labels);
//   net->set_vectors(glove_rows);                 // frozen word vectors
//   torch::Tensor scores = net->forward(net->batch(encoded_posts));   // (entities x fine types)
//
// Entity representation: the context ("window": mean GloVe of up to `window` words left and
// right plus the previous and next word; "bilstm": BiLSTM over the post -> mean / first / last
// hidden state of the span); the mean GloVe of the mention; a bag (sum) of sparse feature
// embeddings (mention strings, char n-grams, WordNet hypernyms, gazetteers, caption words); the
// caption's mean GloVe. An MLP gives fine scores s_f and coarse scores s_c, and a linear path
// over the same sparse features (a log-linear model) adds d_f. Following GEM's coarse->fine
// transition, score(f) = s_f[f] + d_f[f] + s_c[parent(f)] + T[parent(f), f], where T
// (coarse x fine) is learnt and only its hierarchy entries are ever read (the mask), so every
// fine type is scored together with its own coarse type.
// Thread safety: forward() in eval mode under torch::NoGradGuard is safe from many threads.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "mie/typing/features.h"
#include "mie/typing/typer.h"

namespace mie::typing {

struct Batch {
  torch::Tensor words;          // P x L (0-padded)
  torch::Tensor lengths;        // P (int64)
  std::vector<int64_t> ent_post, ent_start, ent_end;
  torch::Tensor feat_ids, feat_offsets;  // bag inputs per entity
  torch::Tensor cap_ids, cap_offsets;    // bag inputs per post
  torch::Tensor gold;           // E, -1 when unknown
  int64_t num_entities() const { return static_cast<int64_t>(ent_post.size()); }
};

class TypingNetImpl : public torch::nn::Module {
 public:
  TypingNetImpl(const NetConfig& cfg, int64_t num_words, int64_t word_dim, int64_t num_feats, const Labels& labels);
  Batch batch(const std::vector<const EncodedPost*>& posts) const;
  torch::Tensor forward(const Batch& b);   // E x num_fine scores
  // log p(coarse) from fine scores: logsumexp over each coarse type's fine types.
  torch::Tensor coarse_log_probs(const torch::Tensor& fine_scores) const;
  void set_vectors(const std::vector<float>& rows);

  NetConfig cfg;
  torch::Tensor parent;  // num_fine (int64), buffer
  torch::nn::Embedding emb{nullptr};
  torch::nn::LSTM lstm{nullptr};
  torch::nn::EmbeddingBag bag{nullptr}, direct{nullptr};
  torch::nn::Linear hidden{nullptr}, fine_out{nullptr}, coarse_out{nullptr};
  torch::Tensor trans;   // coarse x fine
  int64_t num_coarse = 0, num_fine = 0;
};
TORCH_MODULE(TypingNet);

// Parameter/buffer tensors <-> model-file tensors (names as in named_parameters()).
void net_to_section(TypingNet& net, ModelSection& s);
void net_from_section(TypingNet& net, const ModelSection& s);  // throws mie::Error on mismatch

}  // namespace mie::typing
