#include "mie/ner/crf.h"

#include <algorithm>
#include <cmath>
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
  if (trans.size(0) > kScaledCrfMinLabels) return crf_log_partition_scaled(em, lengths, trans, start, end);
  return crf_log_partition_logspace(em, lengths, trans, start, end);
}

namespace {

// Scaled forward-backward (Rabiner's scaling) as one autograd node. Forward keeps the
// normalised forward vectors a_t (each sums to 1) and the shifts m_t; backward runs the scaled
// backward recursion and accumulates the marginals: d logZ / d em[t,j] = P(y_t = j),
// d / d trans[i,j] = sum_t P(y_{t-1} = i, y_t = j), start and end the first and last marginals.
// Everything in float64: exp(trans) of forbidden transitions (kForbidden) is exactly 0.
struct ScaledLogZ : torch::autograd::Function<ScaledLogZ> {
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& em_in,
                               const torch::Tensor& lengths, const torch::Tensor& trans_in,
                               const torch::Tensor& start_in, const torch::Tensor& end_in) {
    auto em = em_in.to(torch::kDouble);
    auto E = trans_in.to(torch::kDouble).exp();  // [L, L]
    const int64_t B = em.size(0), T = em.size(1), L = em.size(2);
    auto a_all = torch::empty({T, B, L}, em.options());
    auto m_all = torch::zeros({T, B}, em.options());
    auto la = start_in.to(torch::kDouble).unsqueeze(0) + em.select(1, 0);  // [B, L]
    auto m = std::get<0>(la.max(1));
    auto a = (la - m.unsqueeze(1)).exp();
    auto s = a.sum(1);
    a = a / s.unsqueeze(1);
    auto logz = m + s.log();
    a_all[0] = a;
    m_all[0] = m;
    for (int64_t t = 1; t < T; ++t) {
      auto lv = a.mm(E).log() + em.select(1, t);  // log of sum_i a_i E_ij, + emission
      auto mt = std::get<0>(lv.max(1));
      auto at = (lv - mt.unsqueeze(1)).exp();
      auto st = at.sum(1);
      at = at / st.unsqueeze(1);
      auto live = lengths > t;
      a = torch::where(live.unsqueeze(1), at, a);
      logz = torch::where(live, logz + mt + st.log(), logz);
      a_all[t] = a;
      m_all[t] = mt;
    }
    logz = logz + torch::logsumexp(a.log() + end_in.to(torch::kDouble).unsqueeze(0), 1);
    ctx->save_for_backward({em, E, a_all, m_all, lengths, end_in});
    ctx->saved_data["dtype"] = static_cast<int64_t>(em_in.scalar_type());
    return logz.to(em_in.scalar_type());
  }

  static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                               torch::autograd::tensor_list grads) {
    auto saved = ctx->get_saved_variables();
    auto em = saved[0], E = saved[1], a_all = saved[2], m_all = saved[3], lengths = saved[4];
    auto end = saved[5].to(torch::kDouble);
    const auto dtype = static_cast<torch::ScalarType>(ctx->saved_data["dtype"].toInt());
    const int64_t B = em.size(0), T = em.size(1), L = em.size(2);
    auto g = grads[0].to(torch::kDouble);                     // [B]
    auto d_em = torch::zeros({B, T, L}, em.options());
    auto d_trans = torch::zeros({L, L}, em.options());
    auto d_start = torch::zeros({L}, em.options()), d_end = torch::zeros({L}, em.options());
    auto init = (end - end.max()).exp().unsqueeze(0).expand({B, L});  // beta at each row's last position
    auto last = lengths - 1;
    torch::Tensor beta = init, q_next;  // q_next = W_{t+1} * beta_{t+1}
    for (int64_t t = T - 1; t >= 0; --t) {
      auto before_last = (last > t).unsqueeze(1);
      if (t < T - 1) {
        auto rec = q_next.mm(E.t());
        rec = rec / rec.sum(1, true).clamp_min(1e-300);
        beta = torch::where(before_last, rec, init);
      }
      auto live = (lengths > t).to(torch::kDouble);  // [B]
      auto at = a_all[t];
      auto p = at * beta;
      p = p / p.sum(1, true).clamp_min(1e-300);  // marginals P(y_t = j)
      auto gl = (g * live).unsqueeze(1);
      d_em.select(1, t).copy_(p * gl);
      if (t == 0) d_start = (p * gl).sum(0);
      d_end += (p * (g * (last == t).to(torch::kDouble)).unsqueeze(1)).sum(0);
      auto w = (em.select(1, t) - m_all[t].unsqueeze(1)).exp();  // W_t, shifted as in forward
      auto q = w * beta;
      if (t > 0) {
        auto prev = a_all[t - 1];
        auto n = (prev.mm(E) * q).sum(1).clamp_min(1e-300);  // [B] normaliser of xi_t
        d_trans += (prev * (g * live / n).unsqueeze(1)).t().mm(q);
      }
      q_next = q;
    }
    d_trans = d_trans * E;
    return {d_em.to(dtype), torch::Tensor(), d_trans.to(dtype), d_start.to(dtype), d_end.to(dtype)};
  }
};

}  // namespace

torch::Tensor crf_log_partition_scaled(const torch::Tensor& em, const torch::Tensor& lengths,
                                       const torch::Tensor& trans, const torch::Tensor& start,
                                       const torch::Tensor& end) {
  return ScaledLogZ::apply(em, lengths, trans, start, end);
}

torch::Tensor crf_log_partition_logspace(const torch::Tensor& em, const torch::Tensor& lengths,
                                         const torch::Tensor& trans, const torch::Tensor& start,
                                         const torch::Tensor& end) {
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

std::vector<float> span_type_logprobs(const float* em, int T, int L, const float* trans, const float* start,
                                      const float* end, const std::vector<int>& path, int s, int e,
                                      const std::vector<std::pair<int, int>>& type_bi) {
  const float ninf = -std::numeric_limits<float>::infinity();
  std::vector<float> out(type_bi.size(), ninf);
  if (s < 0 || e > T || s >= e || static_cast<int>(path.size()) != T) return out;
  float mx = ninf;
  for (size_t k = 0; k < type_bi.size(); ++k) {
    const auto [b, i] = type_bi[k];
    if (b < 0 || b >= L || (e - s > 1 && (i < 0 || i >= L))) continue;
    float sc = (s == 0 ? start[b] : trans[path[s - 1] * L + b]) + em[s * L + b];
    int prev = b;
    for (int t = s + 1; t < e; ++t) {
      sc += trans[prev * L + i] + em[t * L + i];
      prev = i;
    }
    sc += e == T ? end[prev] : trans[prev * L + path[e]];
    out[k] = sc;
    mx = std::max(mx, sc);
  }
  if (mx == ninf) return out;
  double z = 0;
  for (float v : out) z += v == ninf ? 0.0 : std::exp(static_cast<double>(v - mx));
  const float lz = mx + static_cast<float>(std::log(z));
  for (auto& v : out) v = v == ninf ? ninf : v - lz;
  return out;
}

namespace {
double log_sum_exp(const double* v, int n) {
  double mx = -std::numeric_limits<double>::infinity();
  for (int k = 0; k < n; ++k) mx = std::max(mx, v[k]);
  if (mx == -std::numeric_limits<double>::infinity()) return mx;
  double z = 0;
  for (int k = 0; k < n; ++k) z += std::exp(v[k] - mx);
  return mx + std::log(z);
}
}  // namespace

CrfLattice crf_lattice(const float* em, int T, int L, const float* trans, const float* start, const float* end,
                       float temperature) {
  CrfLattice lat;
  lat.T = T;
  lat.L = L;
  lat.inv_temp = 1.0 / double(temperature);
  if (T <= 0 || L <= 0) return lat;
  const double k = lat.inv_temp;
  lat.alpha.assign(static_cast<size_t>(T) * L, 0.0);
  lat.beta.assign(static_cast<size_t>(T) * L, 0.0);
  std::vector<double> tmp(static_cast<size_t>(L));
  for (int j = 0; j < L; ++j) lat.alpha[j] = k * (double(start[j]) + em[j]);
  for (int t = 1; t < T; ++t)
    for (int j = 0; j < L; ++j) {
      for (int i = 0; i < L; ++i) tmp[i] = lat.alpha[(t - 1) * L + i] + k * trans[i * L + j];
      lat.alpha[t * L + j] = log_sum_exp(tmp.data(), L) + k * em[t * L + j];
    }
  for (int i = 0; i < L; ++i) lat.beta[(T - 1) * L + i] = k * end[i];
  for (int t = T - 2; t >= 0; --t)
    for (int i = 0; i < L; ++i) {
      for (int j = 0; j < L; ++j)
        tmp[j] = k * (double(trans[i * L + j]) + em[(t + 1) * L + j]) + lat.beta[(t + 1) * L + j];
      lat.beta[t * L + i] = log_sum_exp(tmp.data(), L);
    }
  for (int j = 0; j < L; ++j) tmp[j] = lat.alpha[(T - 1) * L + j] + k * end[j];
  lat.log_z = log_sum_exp(tmp.data(), L);
  return lat;
}

double span_marginal_logprob(const CrfLattice& lat, const float* em, const float* trans, const float* end, int s,
                             int e, int b_id, int i_id) {
  const int T = lat.T, L = lat.L;
  const double ninf = -std::numeric_limits<double>::infinity();
  if (s < 0 || e > T || s >= e || b_id < 0 || b_id >= L || (e - s > 1 && (i_id < 0 || i_id >= L))) return ninf;
  const double k = lat.inv_temp;
  double sc = lat.alpha[s * L + b_id];
  int prev = b_id;
  for (int t = s + 1; t < e; ++t) {
    sc += k * (double(trans[prev * L + i_id]) + em[t * L + i_id]);
    prev = i_id;
  }
  if (e == T) return sc + k * end[prev] - lat.log_z;
  std::vector<double> next;  // the label after the span: anything but a continuation (I of the type)
  for (int j = 0; j < L; ++j)
    if (j != i_id) next.push_back(k * (double(trans[prev * L + j]) + em[e * L + j]) + lat.beta[e * L + j]);
  return sc + log_sum_exp(next.data(), static_cast<int>(next.size())) - lat.log_z;
}

}  // namespace mie::ner
