// The public API (mie/mie.h) on one post, one thread: what a program embedding mie pays.
//   ./mie_api_bench                      # models/gmner.mie (MIE_MODEL=... for another)
// BM_PredictTextPost: one text-only post of GMNER dev per call, cycling through the first 200
// (target p50 <= 0.5 ms: read the median of --benchmark_repetitions=N). BM_LoadModel: Model::load
// of the file (target <= 0.2 s for models/gmner.mie). BM_ReadModelFile: the file read alone.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>

#include "bench_main.h"
#include "mie/core/model_file.h"
#include "mie/core/paths.h"
#include "mie/io/conll.h"
#include "mie/mie.h"

namespace {

std::string model_path() {
  const char* env = std::getenv("MIE_MODEL");
  return env ? env : mie::models_dir() + "/gmner.mie";
}

void BM_PredictTextPost(benchmark::State& state) {
  const mie::Model m = mie::Model::load(model_path());
  auto posts = mie::io::read_conll(mie::data_dir() + "/gmner/dev.txt");
  posts.resize(200);
  for (auto& p : posts) {
    p.entities.clear();
    p.image.reset();
  }
  size_t i = 0, tokens = 0;
  for (auto _ : state) {
    mie::Post out = m.predict(posts[i]);
    tokens += out.tokens.size();
    benchmark::DoNotOptimize(out);
    i = (i + 1) % posts.size();
  }
  state.counters["posts/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["tokens/post"] = static_cast<double>(tokens) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_PredictTextPost)->Unit(benchmark::kMicrosecond);

void BM_LoadModel(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(mie::Model::load(model_path()));
}
BENCHMARK(BM_LoadModel)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_ReadModelFile(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(mie::ModelFile::load(model_path()));
}
BENCHMARK(BM_ReadModelFile)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace

MIE_BENCHMARK_MAIN();
