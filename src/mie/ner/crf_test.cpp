#include "mie/ner/crf.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace {
using namespace mie::ner;

// Score of one path from raw tensors (double accessors).
double path_score(const torch::Tensor& em, const std::vector<int>& y, const torch::Tensor& tr, const torch::Tensor& st,
                  const torch::Tensor& en) {
  double s = st[y[0]].item<double>() + em[0][y[0]].item<double>();
  for (size_t t = 1; t < y.size(); ++t) s += tr[y[t - 1]][y[t]].item<double>() + em[t][y[t]].item<double>();
  return s + en[y.back()].item<double>();
}

void for_each_path(int T, int L, const std::function<void(const std::vector<int>&)>& f) {
  std::vector<int> y(static_cast<size_t>(T), 0);
  while (true) {
    f(y);
    int t = T - 1;
    while (t >= 0 && ++y[static_cast<size_t>(t)] == L) y[static_cast<size_t>(t--)] = 0;
    if (t < 0) break;
  }
}

using LogZ = torch::Tensor (*)(const torch::Tensor&, const torch::Tensor&, const torch::Tensor&, const torch::Tensor&,
                               const torch::Tensor&);
const std::vector<std::pair<const char*, LogZ>> kLogZ{{"logspace", crf_log_partition_logspace},
                                                      {"scaled", crf_log_partition_scaled}};

TEST(Crf, LogPartitionPathScoreAndViterbiMatchBruteForce) {
  for (auto [name, logz_fn] : kLogZ) {
  SCOPED_TRACE(name);
  torch::manual_seed(3);
  const int L = 4, Tmax = 5;
  auto em = torch::randn({3, Tmax, L}, torch::kDouble);
  auto tr = torch::randn({L, L}, torch::kDouble), st = torch::randn({L}, torch::kDouble),
       en = torch::randn({L}, torch::kDouble);
  auto lengths = torch::tensor({5, 3, 1}, torch::kLong);
  auto logz = logz_fn(em, lengths, tr, st, en);
  for (int b = 0; b < 3; ++b) {
    int T = static_cast<int>(lengths[b].item<int64_t>());
    auto e = em[b].narrow(0, 0, T);
    double z = 0, best = -1e300;
    std::vector<int> best_y;
    for_each_path(T, L, [&](const std::vector<int>& y) {
      double s = path_score(e, y, tr, st, en);
      z += std::exp(s);
      if (s > best) { best = s; best_y = y; }
    });
    EXPECT_NEAR(logz[b].item<double>(), std::log(z), 1e-9) << "batch " << b;
    // Path score of the brute-force best path (padded with arbitrary tags past the length).
    auto tags = torch::full({1, Tmax}, 2, torch::kLong);
    for (int t = 0; t < T; ++t) tags[0][t] = best_y[static_cast<size_t>(t)];
    auto ps = crf_path_score(em[b].unsqueeze(0), tags, lengths[b].unsqueeze(0), tr, st, en);
    EXPECT_NEAR(ps.item<double>(), best, 1e-9);
    auto ef = e.to(torch::kFloat).contiguous(), trf = tr.to(torch::kFloat).contiguous(),
         stf = st.to(torch::kFloat).contiguous(), enf = en.to(torch::kFloat).contiguous();
    auto vit = viterbi(ef.data_ptr<float>(), T, L, trf.data_ptr<float>(), stf.data_ptr<float>(), enf.data_ptr<float>());
    EXPECT_EQ(vit, best_y) << "batch " << b;
  }
  }
}

TEST(Crf, BioConstraintsForbidInvalidPaths) {
  std::vector<std::string> labels{"O", "B-PER", "I-PER", "B-LOC", "I-LOC"};
  auto [tm, sm] = bio_constraints(labels);
  EXPECT_EQ(sm[2].item<float>(), kForbidden);
  EXPECT_EQ(sm[1].item<float>(), 0.f);
  EXPECT_EQ(tm[0][2].item<float>(), kForbidden);  // O -> I-PER
  EXPECT_EQ(tm[3][2].item<float>(), kForbidden);  // B-LOC -> I-PER
  EXPECT_EQ(tm[1][2].item<float>(), 0.f);         // B-PER -> I-PER
  EXPECT_EQ(tm[2][2].item<float>(), 0.f);         // I-PER -> I-PER
  // Emissions that strongly prefer I-PER everywhere still decode to a valid BIO sequence.
  const int T = 4, L = 5;
  std::vector<float> em(T * L, 0.f);
  for (int t = 0; t < T; ++t) em[t * L + 2] = 5.f;
  auto tr = tm.contiguous(), st = sm.contiguous();
  std::vector<float> end(L, 0.f);
  auto path = viterbi(em.data(), T, L, tr.data_ptr<float>(), st.data_ptr<float>(), end.data());
  EXPECT_EQ(path, (std::vector<int>{1, 2, 2, 2}));
}

TEST(Crf, GradientMatchesFiniteDifferences) {
  for (auto [name, logz_fn] : kLogZ) {
  SCOPED_TRACE(name);
  torch::manual_seed(5);
  const int L = 3, T = 4;
  auto em = torch::randn({2, T, L}, torch::kDouble).requires_grad_(true);
  auto tr = torch::randn({L, L}, torch::kDouble).requires_grad_(true);
  auto st = torch::randn({L}, torch::kDouble).requires_grad_(true);
  auto en = torch::randn({L}, torch::kDouble).requires_grad_(true);
  auto lengths = torch::tensor({4, 2}, torch::kLong);
  auto tags = torch::tensor({{0, 1, 2, 1}, {2, 0, -1, -1}}, torch::kLong);
  auto nll = [&] {
    return (logz_fn(em, lengths, tr, st, en) - crf_path_score(em, tags, lengths, tr, st, en)).sum();
  };
  auto loss = nll();
  loss.backward();
  const double h = 1e-6;
  for (auto* p : {&em, &tr, &st, &en}) {
    auto flat = p->detach().view({-1});  // shares storage
    auto grad = p->grad().reshape({-1});
    for (int64_t i = 0; i < flat.numel(); ++i) {
      double orig = flat[i].item<double>();
      double up, down;
      {
        torch::NoGradGuard ng;
        flat[i] = orig + h;
        up = nll().item<double>();
        flat[i] = orig - h;
        down = nll().item<double>();
        flat[i] = orig;
      }
      EXPECT_NEAR(grad[i].item<double>(), (up - down) / (2 * h), 1e-6) << "param element " << i;
    }
  }
  }
}

// FMNERG-sized label sets take the scaled path; it must agree with the log-space recursion in
// value and in every gradient, with BIO constraints (exp(kForbidden) = 0) and float32 inputs of
// trained-model magnitude, including a one-token sequence and padding past each length.
TEST(Crf, ScaledMatchesLogSpaceOnLargeConstrainedLabelSets) {
  std::vector<std::string> labels{"O"};
  for (int k = 0; k < 12; ++k) {
    labels.push_back("B-T" + std::to_string(k));
    labels.push_back("I-T" + std::to_string(k));
  }
  const int64_t L = static_cast<int64_t>(labels.size()), B = 4, T = 9;
  ASSERT_GT(L, kScaledCrfMinLabels);
  auto [tm, sm] = bio_constraints(labels);
  torch::manual_seed(11);
  auto em0 = torch::randn({B, T, L}) * 8;
  auto tr0 = torch::randn({L, L}) * 3, st0 = torch::randn({L}), en0 = torch::randn({L});
  auto lengths = torch::tensor({9, 5, 1, 7}, torch::kLong);
  std::vector<std::vector<torch::Tensor>> grads;
  std::vector<torch::Tensor> values;
  for (auto [name, logz_fn] : kLogZ) {
    auto em = em0.clone().requires_grad_(true), tr = tr0.clone().requires_grad_(true),
         st = st0.clone().requires_grad_(true), en = en0.clone().requires_grad_(true);
    auto z = logz_fn(em, lengths, tr + tm, st + sm, en);
    auto w = torch::tensor({1.0f, -0.5f, 2.0f, 0.25f});  // distinct upstream gradients per row
    (z * w).sum().backward();
    values.push_back(z.detach());
    grads.push_back({em.grad(), tr.grad(), st.grad(), en.grad()});
  }
  EXPECT_TRUE(torch::allclose(values[0], values[1], 1e-5, 1e-3)) << values[0] << values[1];
  const char* what[] = {"em", "trans", "start", "end"};
  for (size_t k = 0; k < 4; ++k)
    EXPECT_TRUE(torch::allclose(grads[0][k], grads[1][k], 1e-4, 1e-5)) << what[k];
  // Positions past a row's length get no gradient.
  EXPECT_EQ(grads[1][0][2].narrow(0, 1, T - 1).abs().sum().item<float>(), 0.f);
  // The dispatching entry point takes the scaled path here.
  auto z = crf_log_partition(em0, lengths, tr0 + tm, st0 + sm, en0);
  EXPECT_TRUE(torch::allclose(z, values[1]));
}

}  // namespace

// span_type_logprobs against the path scores of the relabelled paths, normalised by hand.
TEST(Crf, SpanTypeLogProbsMatchRelabelledPathScores) {
  torch::manual_seed(5);
  // Labels: O, B-X, I-X, B-Y, I-Y, B-Z (Z has no I label).
  const int L = 6, T = 6;
  auto em = torch::randn({T, L}, torch::kDouble), tr = torch::randn({L, L}, torch::kDouble);
  auto st = torch::randn({L}, torch::kDouble), en = torch::randn({L}, torch::kDouble);
  const std::vector<std::pair<int, int>> types{{1, 2}, {3, 4}, {5, -1}};
  auto ef = em.to(torch::kFloat).contiguous(), trf = tr.to(torch::kFloat).contiguous(),
       stf = st.to(torch::kFloat).contiguous(), enf = en.to(torch::kFloat).contiguous();
  const std::vector<int> path{0, 1, 2, 2, 0, 3};  // O B-X I-X I-X O B-Y
  for (auto [s, e] : std::vector<std::pair<int, int>>{{1, 4}, {5, 6}, {0, 1}}) {
    SCOPED_TRACE(s);
    auto lp = span_type_logprobs(ef.data_ptr<float>(), T, L, trf.data_ptr<float>(), stf.data_ptr<float>(),
                                 enf.data_ptr<float>(), path, s, e, types);
    ASSERT_EQ(lp.size(), types.size());
    std::vector<double> sc;
    for (auto [b, i] : types) {
      if (e - s > 1 && i < 0) {
        sc.push_back(-INFINITY);
        continue;
      }
      std::vector<int> y = path;
      for (int t = s; t < e; ++t) y[static_cast<size_t>(t)] = t == s ? b : i;
      sc.push_back(path_score(em, y, tr, st, en));
    }
    double mx = *std::max_element(sc.begin(), sc.end()), z = 0;
    for (double v : sc) z += std::isinf(v) ? 0 : std::exp(v - mx);
    for (size_t k = 0; k < sc.size(); ++k) {
      if (std::isinf(sc[k])) {
        EXPECT_TRUE(std::isinf(lp[k]) && lp[k] < 0) << k;
      } else {
        EXPECT_NEAR(lp[k], sc[k] - mx - std::log(z), 1e-4) << k;
      }
    }
  }
  // An empty or out-of-range span gives -inf everywhere.
  auto none = span_type_logprobs(ef.data_ptr<float>(), T, L, trf.data_ptr<float>(), stf.data_ptr<float>(),
                                 enf.data_ptr<float>(), path, 4, 4, types);
  for (float v : none) EXPECT_TRUE(std::isinf(v));
}

namespace {
// Float copies of double tensors (the lattice works on float arrays, as the tagger's Viterbi does).
std::vector<float> floats(const torch::Tensor& t) {
  auto c = t.to(torch::kFloat).contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}
}  // namespace

TEST(Crf, SpanMarginalsMatchBruteForce) {
  const std::vector<std::string> labels = {"O", "B-X", "I-X", "B-Y", "I-Y"};
  const int L = 5, T = 4;
  torch::manual_seed(9);
  for (bool constrained : {false, true}) {
    SCOPED_TRACE(constrained ? "BIO constraints" : "free transitions");
    auto em = torch::randn({T, L}, torch::kDouble), tr = torch::randn({L, L}, torch::kDouble),
         st = torch::randn({L}, torch::kDouble), en = torch::randn({L}, torch::kDouble);
    if (constrained) {
      auto [tm, sm] = bio_constraints(labels);
      tr = tr + tm.to(torch::kDouble);
      st = st + sm.to(torch::kDouble);
    }
    const auto emf = floats(em), trf = floats(tr), stf = floats(st), enf = floats(en);
    for (float temp : {1.f, 2.5f}) {
    SCOPED_TRACE(temp);
    const CrfLattice lat = crf_lattice(emf.data(), T, L, trf.data(), stf.data(), enf.data(), temp);
    double z = 0;
    for_each_path(T, L, [&](const std::vector<int>& y) { z += std::exp(path_score(em, y, tr, st, en) / temp); });
    EXPECT_NEAR(lat.log_z, std::log(z), 1e-4);
    for (auto [b, i] : {std::pair{1, 2}, std::pair{3, 4}})
      for (int s = 0; s < T; ++s)
        for (int e = s + 1; e <= T; ++e) {
          double want = 0;
          for_each_path(T, L, [&](const std::vector<int>& y) {
            bool in = y[s] == b && (e == T || y[e] != i);
            for (int t = s + 1; t < e; ++t) in = in && y[t] == i;
            if (in) want += std::exp(path_score(em, y, tr, st, en) / temp);
          });
          const double got = std::exp(span_marginal_logprob(lat, emf.data(), trf.data(), enf.data(), s, e, b, i));
          EXPECT_NEAR(got, want / z, 1e-5) << "span [" << s << ", " << e << ") label " << b;
        }
    EXPECT_EQ(span_marginal_logprob(lat, emf.data(), trf.data(), enf.data(), 2, 2, 1, 2),
              -std::numeric_limits<double>::infinity());  // empty span
    }
  }
}
