// Load time and lookup speed of the GloVe binary (mie::text::Embeddings) and the gazetteer
// matcher. Uses the real files from scripts/setup.sh when present, else a generated file of the
// same shape (341,479 x 100) so the numbers stay comparable.
//
//   build/bench/mie_embeddings_bench --benchmark_filter=Load
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <cstdlib>
#include <random>

#include "mie/text/embeddings.h"
#include "mie/text/gazetteer.h"

namespace {

std::string glove_path() {
  static const std::string path = [] {
    const std::string real = mie::text::default_glove_path();
    if (std::filesystem::exists(real)) return real;
    const std::string tmp = (std::filesystem::temp_directory_path() /
                             ("mie_bench_glove_" + std::to_string(::getpid()) + ".bin")).string();
    const int n = 341479, dim = 100;
    std::vector<std::string> words(n);
    std::vector<float> m(static_cast<size_t>(n) * dim);
    std::mt19937 rng(1);
    std::uniform_real_distribution<float> u(-1, 1);
    for (int i = 0; i < n; ++i) words[i] = "w" + std::to_string(i);
    for (auto& v : m) v = u(rng);
    mie::text::write_embeddings(tmp, dim, words, m);
    std::atexit([] { std::filesystem::remove((std::filesystem::temp_directory_path() /
                                               ("mie_bench_glove_" + std::to_string(::getpid()) + ".bin"))); });
    return tmp;
  }();
  return path;
}

void BM_EmbeddingsLoad(benchmark::State& st) {
  const std::string path = glove_path();
  for (auto _ : st) {
    auto e = mie::text::Embeddings::load(path);
    benchmark::DoNotOptimize(e.size());
  }
}
BENCHMARK(BM_EmbeddingsLoad)->Unit(benchmark::kMillisecond);

// Load plus touching every row once (a cold-ish first pass over the matrix).
void BM_EmbeddingsLoadAndTouch(benchmark::State& st) {
  const std::string path = glove_path();
  for (auto _ : st) {
    auto e = mie::text::Embeddings::load(path);
    float s = 0;
    for (size_t i = 0; i < e.size(); ++i) s += e.row(static_cast<int>(i))[0];
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_EmbeddingsLoadAndTouch)->Unit(benchmark::kMillisecond);

void BM_EmbeddingsFind(benchmark::State& st) {
  const auto e = mie::text::Embeddings::load(glove_path());
  std::vector<std::string> words;
  for (size_t i = 0; i < e.size(); i += 997) words.emplace_back(e.word(static_cast<int>(i)));
  words.push_back("no-such-word-xyz");
  size_t k = 0;
  for (auto _ : st) benchmark::DoNotOptimize(e.find(words[k++ % words.size()]));
}
BENCHMARK(BM_EmbeddingsFind);

void BM_GazetteerMatchTweet(benchmark::State& st) {
  const std::string dir = mie::text::default_gazetteer_dir();
  if (!std::filesystem::exists(dir + "/city.txt")) {
    st.SkipWithError("gazetteers absent: run scripts/setup.sh");
    return;
  }
  const auto gz = mie::text::Gazetteer::load_dir(dir);
  const std::vector<std::string> toks = {"RT", "@", "nasa", ":", "Barack", "Obama", "visits", "Los", "Angeles", ",",
                                         "California", "and", "the", "United", "Kingdom", "with", "Google", "today",
                                         "#", "NewYork", "http://t.co/x"};
  for (auto _ : st) benchmark::DoNotOptimize(gz.match(toks).tags.data());
}
BENCHMARK(BM_GazetteerMatchTweet)->Unit(benchmark::kMicrosecond);

void BM_GazetteerLoad(benchmark::State& st) {
  const std::string dir = mie::text::default_gazetteer_dir();
  if (!std::filesystem::exists(dir + "/city.txt")) {
    st.SkipWithError("gazetteers absent: run scripts/setup.sh");
    return;
  }
  for (auto _ : st) benchmark::DoNotOptimize(mie::text::Gazetteer::load_dir(dir).size());
}
BENCHMARK(BM_GazetteerLoad)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
