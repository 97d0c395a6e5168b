#include "mie/vision/ocr.h"

#include <dlfcn.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include <opencv2/imgproc.hpp>
#include <tesseract/baseapi.h>

#include "mie/core/error.h"

namespace mie::vision {
namespace {

// OpenMP entry points from the libgomp that libtesseract pulls in; looked up at run time so mie
// does not link OpenMP itself. Null when absent (then there is nothing to limit).
struct OmpLevels {
  int (*get)() = nullptr;
  void (*set)(int) = nullptr;
  OmpLevels() {
    get = reinterpret_cast<int (*)()>(dlsym(RTLD_DEFAULT, "omp_get_max_active_levels"));
    set = reinterpret_cast<void (*)(int)>(dlsym(RTLD_DEFAULT, "omp_set_max_active_levels"));
    if (!get || !set) get = nullptr, set = nullptr;
  }
};

const OmpLevels& omp() {
  static OmpLevels o;
  return o;
}

std::string trim(const char* s) {
  std::string t = s ? s : "";
  for (char& c : t)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  // Frame lines and edges often read as | [ ] \\ _ ~ at the ends of a line: strip them.
  const char* junk = " |\\[]{}<>~_`^";
  size_t a = t.find_first_not_of(junk), b = t.find_last_not_of(junk);
  if (a == std::string::npos) return "";
  t = t.substr(a, b - a + 1);
  std::string out;  // collapse runs of spaces
  for (char c : t)
    if (!(c == ' ' && !out.empty() && out.back() == ' ')) out += c;
  // A reading without a single letter or digit is noise.
  if (std::none_of(out.begin(), out.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80); }))
    return "";
  return out;
}

}  // namespace

OcrReader::OcrReader(OcrOptions opt) : opt_(std::move(opt)) {
  setenv("OMP_THREAD_LIMIT", "1", 0);
  engines_.push_back(make_engine());  // the first at once: missing language data fails here
  idle_.push_back(engines_.back().get());
}

std::unique_ptr<tesseract::TessBaseAPI> OcrReader::make_engine() const {
  auto api = std::make_unique<tesseract::TessBaseAPI>();
  const char* datapath = opt_.tessdata.empty() ? nullptr : opt_.tessdata.c_str();
  if (api->Init(datapath, opt_.language.c_str(), tesseract::OEM_LSTM_ONLY) != 0)
    throw mie::Error("Tesseract: cannot load language '" + opt_.language + "' from " +
                     (datapath ? opt_.tessdata : std::string("the default tessdata")) +
                     " (install tesseract-ocr-" + opt_.language + " or set TESSDATA_PREFIX)");
  api->SetPageSegMode(tesseract::PSM_SINGLE_LINE);
  api->SetVariable("debug_file", "/dev/null");  // silence "Estimating resolution" chatter
  // read() inverts dark crops itself, so Tesseract's second pass over an inverted copy of each
  // low-confidence line is redundant: 30% of OCR time (docs/RESULTS.md, 2026-12-05 session 12).
  api->SetVariable("tessedit_do_invert", "0");
  return api;
}

OcrReader::~OcrReader() {
  for (auto& api : engines_) api->End();
}

size_t OcrReader::engines() const {
  std::lock_guard<std::mutex> lk(mu_);
  return engines_.size();
}

OcrResult OcrReader::recognise(const cv::Mat& gray_in) {
  cv::Mat gray = gray_in.isContinuous() ? gray_in : gray_in.clone();
  tesseract::TessBaseAPI* api = nullptr;
  std::unique_ptr<tesseract::TessBaseAPI> made;  // a new instance, pooled when the call ends
  const bool limit = opt_.single_thread && omp().set;
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (!idle_.empty()) {
      api = idle_.back();
      idle_.pop_back();
    }
    // OpenMP's max-active-levels is one per process: 0 while any call recognises, restored by
    // the last one to finish.
    if (limit && recognising_++ == 0) {
      saved_levels_ = omp().get();
      omp().set(0);
    }
  }
  struct Return {  // on every way out: the instance back to the pool, the levels restored
    OcrReader& r;
    tesseract::TessBaseAPI*& api;
    std::unique_ptr<tesseract::TessBaseAPI>& made;
    bool limit;
    ~Return() {
      std::lock_guard<std::mutex> lk(r.mu_);
      if (made) r.engines_.push_back(std::move(made));
      if (api) r.idle_.push_back(api);
      if (limit && --r.recognising_ == 0) omp().set(r.saved_levels_);
    }
  } give_back{*this, api, made, limit};
  if (!api) api = (made = make_engine()).get();  // outside the lock: Init takes ~0.1 s
  api->SetImage(gray.data, gray.cols, gray.rows, 1, int(gray.step));
  api->SetSourceResolution(300);
  char* txt = api->GetUTF8Text();
  OcrResult r;
  r.confidence = float(api->MeanTextConf());
  r.text = trim(txt);
  delete[] txt;
  api->Clear();
  return r;
}

OcrResult OcrReader::read(const cv::Mat& bgr, const mie::Box& box) {
  if (bgr.empty() || bgr.type() != CV_8UC3) throw mie::Error("OcrReader: expected a non-empty 8-bit BGR image");
  // Pad by 10% of the line height: DB boxes are tight and Tesseract wants some margin.
  const float pad = 0.1f * box.height();
  cv::Rect r(cv::Point(int(std::floor(box.x1 - pad)), int(std::floor(box.y1 - pad))),
             cv::Point(int(std::ceil(box.x2 + pad)), int(std::ceil(box.y2 + pad))));
  r &= cv::Rect(0, 0, bgr.cols, bgr.rows);
  if (r.width < 2 || r.height < 2) return {};
  cv::Mat gray;
  cv::cvtColor(bgr(r), gray, cv::COLOR_BGR2GRAY);
  if (gray.rows < opt_.min_height) {  // small text: Tesseract wants ~30 px letters
    double s = double(opt_.min_height) / gray.rows;
    cv::resize(gray, gray, cv::Size(std::max(1, int(std::lround(gray.cols * s))), opt_.min_height), 0, 0, cv::INTER_CUBIC);
  }
  // Tesseract reads dark text on a light background best: when Otsu says most of the crop (the
  // background) is dark, invert it.
  cv::Mat bin;
  cv::threshold(gray, bin, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  if (cv::countNonZero(bin) < int(bin.total() / 2)) cv::bitwise_not(gray, gray);
  // A white margin of ~20% of the height: on tight crops Tesseract's confidence drops 2-3x.
  const int margin = std::max(4, int(std::lround(0.2 * gray.rows)));
  cv::copyMakeBorder(gray, gray, margin, margin, margin, margin, cv::BORDER_CONSTANT, cv::Scalar(255));
  return recognise(gray);
}

OcrResult OcrReader::read(const cv::Mat& line_bgr) {
  return read(line_bgr, mie::Box{0, 0, float(line_bgr.cols), float(line_bgr.rows)});
}

void OcrReader::read_all(const cv::Mat& bgr, std::vector<Candidate>& cands) {
  for (Candidate& c : cands) {
    if (c.source != "text") continue;
    OcrResult r = read(bgr, c.box);
    c.text = r.confidence >= opt_.min_confidence ? r.text : "";
  }
}

}  // namespace mie::vision
