// Relation classifier throughput on MNRE val instances, one thread (target >= 2,000 instances/s).
//   MIE_REL_MODEL=models/mnre.mie ./mie_rel_bench
// Without MIE_REL_MODEL (or <models>/mnre.mie) a small model is trained on 1,000 MNRE train
// instances first (its accuracy is irrelevant here; only speed is measured).
#include <benchmark/benchmark.h>

#include "bench_main.h"
#include <torch/torch.h>

#include <cstdlib>
#include <iostream>

#include "mie/core/paths.h"
#include "mie/io/mnre.h"
#include "mie/relation/classifier.h"
#include "mie/relation/rel_train.h"
#include "mie/text/embeddings.h"

namespace {

using namespace mie::relation;

struct Fixture {
  std::vector<RelExample> val;
  RelationClassifier clf{nullptr};
};

Fixture& fixture() {
  static Fixture f = [] {
    Fixture r;
    const std::string dir = mie::data_dir() + "/mnre/";
    r.val = from_mnre(mie::io::read_mnre(dir + "val.txt"));
    const char* env = std::getenv("MIE_REL_MODEL");
    const std::string path = env ? env : mie::models_dir() + "/mnre.mie";
    if (mie::file_exists(path)) {
      std::cerr << "rel_bench: model " << path << "\n";
      r.clf = RelationClassifier::load(path);
    } else {
      std::cerr << "rel_bench: no model at " << path << ", training a small one (1 epoch, 1,000 instances)\n";
      auto tr = from_mnre(mie::io::read_mnre(dir + "train.txt"));
      tr.resize(1000);
      TrainOptions o;
      o.epochs = 1;
      o.verbose = false;
      if (mie::file_exists(mie::text::default_glove_path())) o.glove_path = mie::text::default_glove_path();
      r.clf = train_relation(tr, {}, o);
    }
    torch::set_num_threads(1);
    return r;
  }();
  return f;
}

void BM_PredictMnreVal(benchmark::State& state) {
  Fixture& f = fixture();
  const int batch = static_cast<int>(state.range(0));
  for (auto _ : state) {
    auto p = f.clf.predict(f.val, batch);
    benchmark::DoNotOptimize(p.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(f.val.size()));
}
BENCHMARK(BM_PredictMnreVal)->Arg(64)->Arg(256)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

MIE_BENCHMARK_MAIN();
