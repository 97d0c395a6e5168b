// mie/ner/crf.h — linear-chain CRF: forward algorithm (log partition), path scores, Viterbi,
// span marginals and BIO transition constraints. Internal to mie_ner (includes torch).
//
//   auto [trans_mask, start_mask] = mie::ner::bio_constraints({"O", "B-PER", "I-PER"});
//   torch::Tensor nll = mie::ner::crf_nll(em, tags, lengths, trans + trans_mask, start + start_mask, end);
//   std::vector<int> best = mie::ner::viterbi(em_ptr, T, L, trans_ptr, start_ptr, end_ptr);
//   mie::ner::CrfLattice lat = mie::ner::crf_lattice(em_ptr, T, L, trans_ptr, start_ptr, end_ptr);
//   double p = std::exp(mie::ner::span_marginal_logprob(lat, em_ptr, trans_ptr, end_ptr, s, e, b_id, i_id));
//
// Shapes: em [B, T, L] (batch first), lengths [B] int64 (>= 1, <= T), tags [B, T] int64,
// trans [L, L] (from, to), start/end [L]. Positions >= length are ignored.
// Thread safety: pure functions.
#pragma once

#include <torch/torch.h>

#include <string>
#include <utility>
#include <vector>

namespace mie::ner {

inline constexpr float kForbidden = -10000.f;

// (trans_mask [L,L], start_mask [L]): 0 where allowed, kForbidden where BIO forbids
// (I-X only after B-X or I-X; no I-X at the start).
std::pair<torch::Tensor, torch::Tensor> bio_constraints(const std::vector<std::string>& labels);

// log Z per sequence [B]. Label sets of more than kScaledCrfMinLabels use
// crf_log_partition_scaled (same value and gradient up to rounding); smaller ones the log-space
// recursion, whose numerics every recorded 9-label model was trained with.
torch::Tensor crf_log_partition(const torch::Tensor& em, const torch::Tensor& lengths, const torch::Tensor& trans,
                                const torch::Tensor& start, const torch::Tensor& end);
inline constexpr int64_t kScaledCrfMinLabels = 16;
// log Z by the scaled forward-backward algorithm in float64 (one [B,L]x[L,L] product per step,
// gradients = marginals, no autograd graph over the steps). It is several times faster than the
// log-space recursion, which builds [B,L,L] tensors per step, for large label sets (FMNERG's 103).
torch::Tensor crf_log_partition_scaled(const torch::Tensor& em, const torch::Tensor& lengths,
                                       const torch::Tensor& trans, const torch::Tensor& start,
                                       const torch::Tensor& end);
// The log-space recursion (autograd through logsumexp).
torch::Tensor crf_log_partition_logspace(const torch::Tensor& em, const torch::Tensor& lengths,
                                         const torch::Tensor& trans, const torch::Tensor& start,
                                         const torch::Tensor& end);
torch::Tensor crf_path_score(const torch::Tensor& em, const torch::Tensor& tags, const torch::Tensor& lengths,
                             const torch::Tensor& trans, const torch::Tensor& start, const torch::Tensor& end);
// Negative log-likelihood of the tag paths [B]: log Z - path score (the training loss).
inline torch::Tensor crf_nll(const torch::Tensor& em, const torch::Tensor& tags, const torch::Tensor& lengths,
                             const torch::Tensor& trans, const torch::Tensor& start, const torch::Tensor& end) {
  return crf_log_partition(em, lengths, trans, start, end) - crf_path_score(em, tags, lengths, trans, start, end);
}

// Best path for one sequence; em is row-major [T, L], trans [L, L] (from, to).
std::vector<int> viterbi(const float* em, int T, int L, const float* trans, const float* start, const float* end);

// Log-probabilities over entity types of the span [s, e) of `path`, the rest of the path fixed:
// type k scores the path with the span relabelled B-k I-k ... (type_bi[k] = {B id, I id}; an I id
// of -1, a type without I label, cannot cover more than one token), normalised by log-sum-exp
// over the types. Same array layouts as viterbi().
std::vector<float> span_type_logprobs(const float* em, int T, int L, const float* trans, const float* start,
                                      const float* end, const std::vector<int>& path, int s, int e,
                                      const std::vector<std::pair<int, int>>& type_bi);

// Forward and backward log-scores of one sequence (same array layouts as viterbi()): alpha[t*L+j]
// scores every path prefix ending in label j at t (start and emissions included), beta[t*L+j]
// every suffix after label j at t (end included); log_z is the log partition. With a temperature
// every score is divided by it first (> 1 flattens the distribution; Viterbi's path is unchanged).
struct CrfLattice {
  int T = 0, L = 0;
  double inv_temp = 1;
  std::vector<double> alpha, beta;
  double log_z = 0;
};
CrfLattice crf_lattice(const float* em, int T, int L, const float* trans, const float* start, const float* end,
                       float temperature = 1.f);

// Marginal log-probability that [s, e) is exactly one entity with labels B I ... I (b_id, i_id):
// y_s = b_id, y_t = i_id for s < t < e, and y_e != i_id (or e == T). The CRF's confidence in an
// entity (span and type together), summed over every path that contains it.
double span_marginal_logprob(const CrfLattice& lat, const float* em, const float* trans, const float* end, int s,
                             int e, int b_id, int i_id);

}  // namespace mie::ner
