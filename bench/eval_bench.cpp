// Time to score GMNER dev (1,500 posts, 2,450 entities) with pre-loaded posts. Target < 50 ms.
//
//   build/bench/mie_eval_bench --benchmark_filter=Gmner
#include <benchmark/benchmark.h>

#include <iostream>

#include "mie/core/paths.h"
#include "mie/eval/align.h"
#include "mie/eval/bootstrap.h"
#include "mie/eval/gmner.h"
#include "mie/eval/inputs.h"

namespace {

struct Dev {
  std::vector<mie::Post> gold, pred;
  Dev() {
    const std::string dir = mie::data_dir() + "/gmner";
    gold = mie::eval::load_gold("gmner", dir + "/dev.txt", dir + "/xml");
    pred = gold;  // a realistic mix: every 4th entity dropped, every 3rd box moved
    long k = 0;
    for (auto& p : pred) {
      std::vector<mie::Entity> out;
      for (auto e : p.entities) {
        if (k % 3 == 1)
          for (auto& b : e.boxes) b.x1 += 40, b.x2 += 40;
        if (k++ % 4 != 3) out.push_back(e);
      }
      p.entities = out;
    }
  }
};

const Dev& dev() {
  static const Dev d;
  return d;
}

void BM_GmnerDevAlignAndScore(benchmark::State& st) {
  const Dev& d = dev();
  for (auto _ : st) {
    auto aligned = mie::eval::align_predictions(d.gold, d.pred);
    auto r = mie::eval::score_gmner(d.gold, aligned);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_GmnerDevAlignAndScore)->Unit(benchmark::kMillisecond);

void BM_GmnerDevScoreOnly(benchmark::State& st) {
  const Dev& d = dev();
  const auto aligned = mie::eval::align_predictions(d.gold, d.pred);
  for (auto _ : st) {
    auto r = mie::eval::score_gmner(d.gold, aligned);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_GmnerDevScoreOnly)->Unit(benchmark::kMillisecond);

void BM_GmnerDevBootstrap1000(benchmark::State& st) {
  const Dev& d = dev();
  const auto r = mie::eval::score_gmner(d.gold, mie::eval::align_predictions(d.gold, d.pred));
  for (auto _ : st) {
    auto ci = mie::eval::bootstrap(r, {.samples = 1000});
    benchmark::DoNotOptimize(ci);
  }
}
BENCHMARK(BM_GmnerDevBootstrap1000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
