#include "mie/eval/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "mie/core/error.h"

namespace mie::eval {

nlohmann::json MetricCi::to_json() const {
  nlohmann::json j = {{"p", {p.lo, p.hi}}, {"r", {r.lo, r.hi}}, {"f1", {f1.lo, f1.hi}}};
  if (acc) j["acc"] = {acc->lo, acc->hi};
  return j;
}

double percentile(std::vector<double>& v, double q) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

std::map<std::string, MetricCi> bootstrap(const Evaluation& ev, const BootstrapOptions& opt) {
  if (opt.samples < 1) throw Error("bootstrap needs at least 1 sample, got " + std::to_string(opt.samples));
  if (!(opt.level > 0 && opt.level < 1)) throw Error("bootstrap level must be in (0, 1)");
  const size_t k = ev.metrics.size();
  size_t n = 0;
  for (const Metric& m : ev.metrics) n = std::max(n, m.per_post.size());
  for (const Metric& m : ev.metrics)
    if (m.per_post.size() != n || (!m.acc_per_post.empty() && m.acc_per_post.size() != n))
      throw Error("bootstrap: metric '" + m.name + "' does not have one count per post");
  std::vector<std::vector<double>> p(k), r(k), f(k), a(k);
  std::map<std::string, MetricCi> out;
  if (n == 0) {
    for (const Metric& m : ev.metrics) out[m.name] = {};
    return out;
  }
  // splitmix64 of the seed, so that small seeds give well-mixed generator states.
  uint64_t z = opt.seed + 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  std::mt19937_64 rng(z ^ (z >> 31));
  std::vector<size_t> draw(n);
  for (int b = 0; b < opt.samples; ++b) {
    for (auto& d : draw) d = static_cast<size_t>(rng() % n);
    for (size_t j = 0; j < k; ++j) {
      const Metric& m = ev.metrics[j];
      Tally t;
      Hits h;
      for (size_t d : draw) {
        t += m.per_post[d];
        if (!m.acc_per_post.empty()) h += m.acc_per_post[d];
      }
      const Prf s = t.prf();
      p[j].push_back(s.p);
      r[j].push_back(s.r);
      f[j].push_back(s.f1);
      if (!m.acc_per_post.empty()) a[j].push_back(h.percent());
    }
  }
  const double qlo = (1 - opt.level) / 2, qhi = (1 + opt.level) / 2;
  for (size_t j = 0; j < k; ++j) {
    MetricCi c;
    c.p = {percentile(p[j], qlo), percentile(p[j], qhi)};
    c.r = {percentile(r[j], qlo), percentile(r[j], qhi)};
    c.f1 = {percentile(f[j], qlo), percentile(f[j], qhi)};
    if (!a[j].empty()) c.acc = Interval{percentile(a[j], qlo), percentile(a[j], qhi)};
    out[ev.metrics[j].name] = c;
  }
  return out;
}

}  // namespace mie::eval
