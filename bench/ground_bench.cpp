// Grounding-stage speed per post, region proposal EXCLUDED (bench/vision_bench.cpp covers the
// detectors): classifier features + logistic regression + region scoring over fixed candidates.
//   build-X/bench/mie_ground_bench
// Posts: 3 entities (PER, ORG, LOC), a 20-token text, a caption, 1 whole-image + 4 faces +
// 6 objects + 6 OCR'd text lines (a busy tweet image). A random hashed classifier (2^18 weights).
#include <benchmark/benchmark.h>

#include "bench_main.h"

#include <random>
#include <tuple>

#include "mie/grounding/grounder.h"

namespace {
namespace mg = mie::grounding;

mie::vision::Candidate cand(const char* src, const char* label, float x, float y, float w, float h, const char* text = "") {
  mie::vision::Candidate c;
  c.source = src;
  c.label = label;
  c.score = 0.8f;
  c.box = {x, y, x + w, y + h};
  c.text = text;
  return c;
}

struct Fixture {
  mg::Grounder g;
  mie::Post post;
  mg::Analysis an;
  Fixture() {
    g.cls.sparse_w.resize(size_t{1} << g.cls.cfg.hash_bits);
    std::mt19937 rng(1);
    std::normal_distribution<float> nd(0.f, 0.1f);
    for (float& w : g.cls.sparse_w) w = nd(rng);
    post.tokens = {"RT", "@", "espn", ":", "LeBron", "James", "and", "the", "Lakers", "beat", "Boston", "tonight",
                   "in", "a", "thriller", "#", "NBA", "http://t.co/x", "!", "!"};
    for (auto [s, e, t] : {std::tuple{4, 6, "PER"}, std::tuple{8, 9, "ORG"}, std::tuple{10, 11, "LOC"}}) {
      mie::Entity x;
      x.start = s;
      x.end = e;
      x.type = t;
      post.entities.push_back(x);
    }
    post.caption = "a basketball player in a yellow jersey dunking the ball";
    std::vector<mie::vision::Candidate> cs;
    for (int i = 0; i < 4; ++i) cs.push_back(cand("face", "face", 50.f + 120 * i, 60, 40, 50));
    for (int i = 0; i < 6; ++i) cs.push_back(cand("object", i < 3 ? "person" : "sports ball", 30.f + 90 * i, 40, 80, 300));
    const char* words[] = {"LAKERS", "NBA", "ESPN", "24", "STAPLES CENTER", "ad"};
    for (int i = 0; i < 6; ++i) cs.push_back(cand("text", "text", 20.f + 100 * i, 400, 90, 30, words[i]));
    an = mg::make_analysis(cs, 640, 480);
  }
};

void BM_GroundPostWithImage(benchmark::State& st) {
  Fixture f;
  for (auto _ : st) {
    mie::Post p = f.post;
    f.g.ground(p, &f.an);
    benchmark::DoNotOptimize(p.entities.data());
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_GroundPostWithImage)->Unit(benchmark::kMicrosecond);

void BM_GroundPostTextOnly(benchmark::State& st) {
  Fixture f;
  for (auto _ : st) {
    mie::Post p = f.post;
    f.g.ground(p, nullptr);
    benchmark::DoNotOptimize(p.entities.data());
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_GroundPostTextOnly)->Unit(benchmark::kMicrosecond);

}  // namespace

MIE_BENCHMARK_MAIN();
