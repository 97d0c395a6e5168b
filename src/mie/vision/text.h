// mie/vision/text.h — PP-OCRv3 DB text-line detector on OpenCV DNN (boxes only; see ocr.h).
//
//   mie::vision::TextDetector td(mie::assets_dir() + "/ppocr-det/en_PP-OCRv3_det_cv46.onnx");
//   std::vector<mie::vision::Candidate> lines = td.detect(bgr);   // source "text", text ""
//
// Follows ../shared/models/README.md: RGB, (x/255 - mean)/std, scaled so the long side is
// input_size (upscaling at most 2x) and zero-padded to a FIXED input_size x input_size square
// (OpenCV 4.6 returns an empty map after the input size changes, so one detector always uses
// one size). The probability map is thresholded at 0.3, contours whose mean probability is
// >= 0.6 are kept and unclipped (DB, ratio 1.5), and returned as axis-aligned boxes in the
// original image's pixels, in reading order (top to bottom, then left to right).
// Thread safety: detect() serialises on an internal mutex (cv::dnn::Net::forward mutates the
// net); give each thread its own detector to run in parallel.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

#include "mie/vision/candidate.h"

namespace mie::vision {

struct TextOptions {
  int input_size = 736;
  float bin_threshold = 0.3f;
  float box_threshold = 0.6f;
  float unclip_ratio = 1.5f;
  float min_side = 5.f;  // in input-map pixels, after unclipping
  int max_boxes = 50;    // highest-scoring lines kept
};

class TextDetector {
 public:
  explicit TextDetector(const std::string& onnx_path, TextOptions opt = {});
  std::vector<Candidate> detect(const cv::Mat& bgr);
  // The last probability map (input_size x input_size, CV_32F), for debugging.
  cv::Mat last_map() const;

 private:
  std::vector<Candidate> run(const cv::Mat& bgr);
  std::string path_;
  TextOptions opt_;
  cv::dnn::Net net_;
  cv::Mat map_;
  mutable std::mutex mu_;
};

}  // namespace mie::vision
