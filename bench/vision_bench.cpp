// Region-proposal speed per 500x500 image on ONE core (cv::setNumThreads(1), one torch thread,
// Tesseract's OpenMP limited to one thread). Target: all detectors together <= 60 ms.
//   build-X/bench/mie_vision_bench [--benchmark_filter=All]
// Uses messi5.jpg from Debian's opencv-doc (text, faces, people) resized to 500x500, and the
// models in mie::assets_dir(); benchmarks report an error when either is missing.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>

#include <ATen/Parallel.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "bench_main.h"

#include "mie/core/paths.h"
#include "mie/vision/image.h"
#include "mie/vision/proposer.h"

namespace {

using namespace mie::vision;

const char* kImage = "/usr/share/doc/opencv-doc/examples/data/messi5.jpg";

const cv::Mat& image() {
  static cv::Mat img = [] {
    cv::Mat m;
    if (!mie::file_exists(kImage)) return m;
    cv::resize(load_image(kImage), m, cv::Size(500, 500), 0, 0, cv::INTER_AREA);
    return m;
  }();
  return img;
}

bool ready(benchmark::State& st) {
  if (image().empty()) {
    st.SkipWithError("messi5.jpg missing (apt install opencv-doc)");
    return false;
  }
  if (!mie::file_exists(mie::assets_dir() + "/" + kYunetFile)) {
    st.SkipWithError("models missing (set MIE_ASSETS)");
    return false;
  }
  return true;
}

// One proposer per (text-detector input size, face detector's long side), built on first use.
RegionProposer& proposer(int text_size, int face_side = 640) {
  static std::map<std::pair<int, int>, std::unique_ptr<RegionProposer>> made;
  auto& p = made[{text_size, face_side}];
  if (!p) {
    ProposerOptions o;
    o.text_opt.input_size = text_size;
    o.face_opt.max_side = face_side;
    p = std::make_unique<RegionProposer>(o);
  }
  return *p;
}

void BM_Face(benchmark::State& st) {  // arg: the long side YuNet sees
  if (!ready(st)) return;
  auto& p = proposer(736, int(st.range(0)));
  size_t n = 0;
  for (auto _ : st) n = p.face()->detect(image()).size();
  st.counters["boxes"] = double(n);
}
void BM_Object(benchmark::State& st) {
  if (!ready(st)) return;
  auto& p = proposer(736);
  size_t n = 0;
  for (auto _ : st) n = p.object()->detect(image()).size();
  st.counters["boxes"] = double(n);
}
void BM_TextDetect(benchmark::State& st) {
  if (!ready(st)) return;
  auto& p = proposer(int(st.range(0)));
  size_t n = 0;
  for (auto _ : st) n = p.text()->detect(image()).size();
  st.counters["boxes"] = double(n);
}
void BM_Ocr(benchmark::State& st) {  // Tesseract on the text lines found (736 map)
  if (!ready(st)) return;
  auto& p = proposer(736);
  auto lines = p.text()->detect(image());
  for (auto _ : st) p.ocr()->read_all(image(), lines);
  st.counters["lines"] = double(lines.size());
}
void BM_OcrOpenMpUnlimited(benchmark::State& st) {  // the same, OpenMP left alone (for comparison)
  if (!ready(st)) return;
  auto lines = proposer(736).text()->detect(image());
  OcrOptions o;
  o.single_thread = false;
  OcrReader ocr(o);
  for (auto _ : st) ocr.read_all(image(), lines);
  st.counters["lines"] = double(lines.size());
}
void BM_All(benchmark::State& st) {  // face + object + text + OCR + image; args: text size, face side
  if (!ready(st)) return;
  auto& p = proposer(int(st.range(0)), int(st.range(1)));
  size_t n = 0;
  for (auto _ : st) n = p.propose(image()).size();
  st.counters["candidates"] = double(n);
}

void BM_FaceObjectImage(benchmark::State& st) {  // propose() without the text source
  if (!ready(st)) return;
  static RegionProposer p(ProposerOptions::with_sources("face,object,image"));
  size_t n = 0;
  for (auto _ : st) n = p.propose(image()).size();
  st.counters["candidates"] = double(n);
}

BENCHMARK(BM_Face)->Arg(640)->Arg(320)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_Object)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_TextDetect)->Arg(736)->Arg(512)->Arg(384)->Arg(320)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_Ocr)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_OcrOpenMpUnlimited)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_FaceObjectImage)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_All)->Args({736, 640})->Args({512, 640})->Args({320, 320})->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

// One core for every library, before any benchmark runs.
const bool kOneThread = [] {
  cv::setNumThreads(1);
  at::set_num_threads(1);
  return true;
}();

MIE_BENCHMARK_MAIN();
