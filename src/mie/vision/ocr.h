// mie/vision/ocr.h — read one text line with Tesseract 5 (libtesseract, PSM 7 single line).
//
//   mie::vision::OcrReader ocr;                          // "eng" from the system tessdata
//   mie::vision::OcrResult r = ocr.read(bgr, line_box);  // r.text "STARBUCKS", r.confidence 0..100
//   ocr.read_all(bgr, text_candidates);                  // fills Candidate::text in place
//
// The PP-OCR recogniser does not load in OpenCV 4.6, hence Tesseract (Debian tesseract-ocr-eng).
// Speed: Tesseract's LSTM spawns OpenMP threads that fight OpenCV's threads; single-threaded it
// is 5-6x faster here. OMP_THREAD_LIMIT=1 is set (without overriding a user's value) before
// Init, but libgomp reads the environment when it is loaded, so while recognising we also set
// OpenMP's max-active-levels to 0 (every parallel region runs on one thread) and restore it
// afterwards; set OcrOptions::single_thread = false to leave OpenMP alone. Crops whose
// background is darker than the text (by Otsu) are inverted first.
// Thread safety: read()/read_all() may be called from any number of threads at once: each call
// borrows one Tesseract instance (TessBaseAPI is stateful) from a pool that grows to the number of
// concurrent callers, so OCR in parallel requests runs in parallel (~30 MB per instance).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "mie/vision/candidate.h"

namespace tesseract {
class TessBaseAPI;
}

namespace mie::vision {

struct OcrOptions {
  std::string language = "eng";
  std::string tessdata;          // "" = Tesseract's default (TESSDATA_PREFIX or the system path)
  int min_height = 48;           // crops are upscaled to at least this many pixels high
  float min_confidence = 40.f;   // readings below this mean confidence give ""
  bool single_thread = true;
};

struct OcrResult {
  std::string text;        // one line of UTF-8; edge junk (| [ ] \ _ ~) trimmed, "" if no letter/digit
  float confidence = 0.f;  // Tesseract mean word confidence, 0..100
};

class OcrReader {
 public:
  explicit OcrReader(OcrOptions opt = {});  // throws mie::Error if the language data is missing
  ~OcrReader();
  OcrReader(const OcrReader&) = delete;
  OcrReader& operator=(const OcrReader&) = delete;

  OcrResult read(const cv::Mat& bgr, const mie::Box& box);
  OcrResult read(const cv::Mat& line_bgr);  // the whole image is one line
  // Reads every candidate with source "text"; low-confidence readings leave text "".
  void read_all(const cv::Mat& bgr, std::vector<Candidate>& cands);
  size_t engines() const;  // Tesseract instances made so far (the most calls that ran at once)

 private:
  std::unique_ptr<tesseract::TessBaseAPI> make_engine() const;
  OcrResult recognise(const cv::Mat& gray);
  OcrOptions opt_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<tesseract::TessBaseAPI>> engines_;  // every instance made
  std::vector<tesseract::TessBaseAPI*> idle_;                      // those no call holds
  int recognising_ = 0, saved_levels_ = -1;                        // OpenMP levels while any runs
};

}  // namespace mie::vision
