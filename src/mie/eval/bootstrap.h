// mie/eval/bootstrap.h — percentile bootstrap confidence intervals over posts.
//
//   mie::eval::Evaluation ev = mie::eval::score_gmner(gold, aligned);
//   auto ci = mie::eval::bootstrap(ev, {.samples = 1000, .seed = 1});
//   ci.at("gmner").f1.lo;   // 2.5th percentile of F1 over 1000 resamples of the posts
//
// Each replicate draws as many posts as the gold has, uniformly with replacement (index =
// splitmix64-seeded mt19937_64 output mod n, so results are reproducible across platforms), and
// recomputes every metric's micro P/R/F1 (and accuracy, where the metric has one) from the
// replicate's summed counts; all metrics share the same draws. The interval is the
// [(1-level)/2, (1+level)/2] percentile range with linear interpolation (numpy's default).
// Thread safety: pure function.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "mie/eval/tally.h"

namespace mie::eval {

struct Interval {
  double lo = 0, hi = 0;
};

struct MetricCi {
  Interval p, r, f1;
  std::optional<Interval> acc;
  nlohmann::json to_json() const;
};

struct BootstrapOptions {
  int samples = 1000;
  uint64_t seed = 1;
  double level = 0.95;
};

// Keyed by Metric::name. Throws mie::Error when samples < 1 or level is not in (0, 1).
std::map<std::string, MetricCi> bootstrap(const Evaluation& ev, const BootstrapOptions& opt = {});

// Percentile q in [0, 1] of `v` (sorted in place) with linear interpolation.
double percentile(std::vector<double>& v, double q);

}  // namespace mie::eval
