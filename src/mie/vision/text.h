// mie/vision/text.h — PP-OCRv3 DB text-line detector, run by libtorch (onnx_net.h; boxes only, see ocr.h).
//
//   mie::vision::TextDetector td(mie::assets_dir() + "/ppocr-det/en_PP-OCRv3_det_cv46.onnx");
//   std::vector<mie::vision::Candidate> lines = td.detect(bgr);   // source "text", text ""
//
// Follows ../shared/models/README.md: RGB, (x/255 - mean)/std, scaled so the long side is
// input_size (upscaling at most 2x), each side then rounded to a multiple of 32 as PaddleOCR does (libtorch takes any size;
// OpenCV 4.6 needed one fixed square, and ran this network 2x slower). The probability map is
// thresholded at 0.3, contours whose mean probability is >= 0.6 are kept and unclipped (DB,
// ratio 1.5), and returned as axis-aligned boxes in the original image's pixels, in reading order
// (top to bottom, then left to right). A wrong model file throws mie::Error at construction.
// Thread safety: detect() may run on several threads at once (the network is immutable); only
// the copy kept for last_map() is taken under a mutex.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "mie/vision/candidate.h"
#include "mie/vision/onnx_net.h"

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
  // The last probability map (the network input's size, CV_32F), for debugging.
  cv::Mat last_map() const;

 private:
  std::string path_;
  TextOptions opt_;
  OnnxNet net_;
  cv::Mat map_;
  mutable std::mutex mu_;
};

}  // namespace mie::vision
