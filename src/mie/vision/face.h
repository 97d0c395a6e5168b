// mie/vision/face.h — YuNet-n face detector (libfacedetection.train ONNX), run by libtorch (onnx_net.h).
//
//   mie::vision::FaceDetector faces(mie::assets_dir() + "/yunet/yunet_n_320_320.onnx");
//   for (const mie::vision::Candidate& c : faces.detect(bgr)) ...   // source "face", label "face"
//
// Decoding follows ../shared/models/README.md: unscaled BGR input, long side <= 640 (never
// upscaled), zero-padded to multiples of 32; outputs cls/obj/bbox for strides 8, 16, 32;
// score = sqrt(cls * obj); NMS IoU 0.3; keep scores >= 0.6. (cv::FaceDetectorYN in 4.6 rejects
// this newer model.) A wrong or corrupt model file throws mie::Error at construction (a warm-up
// forward checks the outputs).
// Thread safety: detect() may be called from several threads at once (the network is immutable).
#pragma once

#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "mie/vision/candidate.h"
#include "mie/vision/onnx_net.h"

namespace mie::vision {

struct FaceOptions {
  float score_threshold = 0.6f;
  float nms_iou = 0.3f;
  int max_side = 640;  // images are downscaled so their long side is at most this
  int top_k = 100;     // at most this many faces
};

class FaceDetector {
 public:
  explicit FaceDetector(const std::string& onnx_path, FaceOptions opt = {});
  std::vector<Candidate> detect(const cv::Mat& bgr) const;  // CV_8UC3, boxes in bgr's pixels
  const FaceOptions& options() const { return opt_; }

 private:
  std::string path_;
  FaceOptions opt_;
  OnnxNet net_;
};

}  // namespace mie::vision
