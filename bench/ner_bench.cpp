// NER prediction throughput on one core: tokens/s of Tagger::predict over the GMNER dev split.
//
//   build/mie_ner_bench                       # uses $MIE_MODELS/gmner.mie (scripts/train-benchmarks.sh)
//   MIE_NER_MODEL=/tmp/x.mie build/mie_ner_bench
//
// Target: >= 50,000 tokens/s with one thread (at::set_num_threads(1)).
#include <ATen/Parallel.h>
#include <benchmark/benchmark.h>

#include "bench_main.h"

#include <cstdlib>

#include "mie/core/model_file.h"
#include "mie/core/paths.h"
#include "mie/io/conll.h"
#include "mie/ner/tagger.h"

namespace {

std::string model_path() {
  if (const char* p = std::getenv("MIE_NER_MODEL")) return p;
  return mie::models_dir() + "/gmner.mie";
}

void BM_NerPredict(benchmark::State& state) {
  if (!mie::file_exists(model_path())) {
    state.SkipWithError(("no model at " + model_path() + " (run scripts/train-benchmarks.sh)").c_str());
    return;
  }
  at::set_num_threads(1);
  auto mf = mie::ModelFile::load(model_path());
  auto tagger = mie::ner::Tagger::load(mf.section(mie::ner::kNerSection));
  const auto gold = mie::io::read_conll(mie::data_dir() + "/gmner/dev.txt");
  long tokens = 0;
  for (const auto& p : gold) tokens += static_cast<long>(p.tokens.size());
  for (auto _ : state) {
    auto posts = gold;
    tagger->predict(posts, static_cast<int>(state.range(0)));
    benchmark::DoNotOptimize(posts.data());
  }
  state.SetItemsProcessed(state.iterations() * tokens);
  state.counters["tokens/s"] = benchmark::Counter(static_cast<double>(state.iterations() * tokens),
                                                  benchmark::Counter::kIsRate);
}
BENCHMARK(BM_NerPredict)->Arg(1)->Arg(16)->Arg(32)->Arg(64)->Arg(128)->Unit(benchmark::kMillisecond);  // rates per CPU second of the one thread

}  // namespace

MIE_BENCHMARK_MAIN();
