#include "mie/ner/crf.h"

#include <limits>

namespace mie::ner {

std::pair<torch::Tensor, torch::Tensor> bio_constraints(const std::vector<std::string>& labels) {
  const auto L = static_cast<int64_t>(labels.size());
  auto trans = torch::zeros({L, L});
  auto start = torch::zeros({L});
  auto a = trans.accessor<float, 2>();
  for (int64_t j = 0; j < L; ++j) {
    const std::string& to = labels[static_cast<size_t>(j)];
    if (to.rfind("I-", 0) != 0) continue;
    const std::string type = to.substr(2);
    start[j] = kForbidden;
    for (int64_t i = 0; i < L; ++i) {
      const std::string& from = labels[static_cast<size_t>(i)];
      bool ok = from.size() > 2 && from.substr(2) == type && (from[0] == 'B' || from[0] == 'I');
      if (!ok) a[i][j] = kForbidden;
    }
  }
  return {trans, start};
}

torch::Tensor crf_log_partition(const torch::Tensor& em, const torch::Tensor& lengths, const torch::Tensor& trans,
                                const torch::Tensor& start, const torch::Tensor& end) {
  const int64_t T = em.size(1);
  auto alpha = start.unsqueeze(0) + em.select(1, 0);  // [B, L]
  auto tr = trans.unsqueeze(0);                        // [1, L, L]
  for (int64_t t = 1; t < T; ++t) {
    auto next = torch::logsumexp(alpha.unsqueeze(2) + tr, 1) + em.select(1, t);
    auto live = (lengths > t).unsqueeze(1);
    alpha = torch::where(live, next, alpha);
  }
  return torch::logsumexp(alpha + end.unsqueeze(0), 1);
}

torch::Tensor crf_path_score(const torch::Tensor& em, const torch::Tensor& tags, const torch::Tensor& lengths,
                             const torch::Tensor& trans, const torch::Tensor& start, const torch::Tensor& end) {
  const int64_t T = em.size(1);
  auto pos = torch::arange(T, torch::kLong).unsqueeze(0);
  auto mask = (pos < lengths.unsqueeze(1)).to(em.scalar_type());           // [B, T]
  auto safe_tags = tags.clamp_min(0);
  auto emit = em.gather(2, safe_tags.unsqueeze(2)).squeeze(2);             // [B, T]
  auto score = (emit * mask).sum(1) + start.index_select(0, safe_tags.select(1, 0));
  if (T > 1) {
    auto from = safe_tags.narrow(1, 0, T - 1);
    auto to = safe_tags.narrow(1, 1, T - 1);
    auto L = trans.size(0);
    auto tr = trans.reshape({-1}).index_select(0, (from * L + to).reshape({-1})).reshape(from.sizes());
    score = score + (tr * mask.narrow(1, 1, T - 1)).sum(1);
  }
  auto last = safe_tags.gather(1, (lengths - 1).unsqueeze(1)).squeeze(1);
  return score + end.index_select(0, last);
}

std::vector<int> viterbi(const float* em, int T, int L, const float* trans, const float* start, const float* end) {
  std::vector<int> path(static_cast<size_t>(T), 0);
  if (T <= 0) return {};
  std::vector<float> score(static_cast<size_t>(L)), next(static_cast<size_t>(L));
  std::vector<int> back(static_cast<size_t>(T) * L, 0);
  for (int j = 0; j < L; ++j) score[j] = start[j] + em[j];
  for (int t = 1; t < T; ++t) {
    for (int j = 0; j < L; ++j) {
      float best = -std::numeric_limits<float>::infinity();
      int arg = 0;
      for (int i = 0; i < L; ++i) {
        float s = score[i] + trans[i * L + j];
        if (s > best) { best = s; arg = i; }
      }
      next[j] = best + em[t * L + j];
      back[static_cast<size_t>(t) * L + j] = arg;
    }
    score.swap(next);
  }
  int arg = 0;
  float best = -std::numeric_limits<float>::infinity();
  for (int j = 0; j < L; ++j)
    if (score[j] + end[j] > best) { best = score[j] + end[j]; arg = j; }
  for (int t = T - 1; t >= 0; --t) {
    path[static_cast<size_t>(t)] = arg;
    arg = back[static_cast<size_t>(t) * L + arg];
  }
  return path;
}

}  // namespace mie::ner
