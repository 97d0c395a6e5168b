// mie/vision/face.h — YuNet-n face detector (libfacedetection.train ONNX) on OpenCV DNN.
//
//   mie::vision::FaceDetector faces(mie::assets_dir() + "/yunet/yunet_n_320_320.onnx");
//   for (const mie::vision::Candidate& c : faces.detect(bgr)) ...   // source "face", label "face"
//
// Decoding follows ../shared/models/README.md: unscaled BGR input, long side <= 640 (never
// upscaled), zero-padded to multiples of 32; outputs cls/obj/bbox for strides 8, 16, 32;
// score = sqrt(cls * obj); NMS IoU 0.3; keep scores >= 0.6. (cv::FaceDetectorYN in 4.6 rejects
// this newer model.) A wrong or corrupt model file throws mie::Error at construction (a warm-up
// forward checks the outputs).
// Thread safety: detect() may be called from several threads; calls serialise on an internal
// mutex because cv::dnn::Net::forward mutates the net. For parallel throughput give each thread
// its own detector.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

#include "mie/vision/candidate.h"

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
  std::vector<Candidate> detect(const cv::Mat& bgr);  // CV_8UC3, boxes in bgr's pixels
  const FaceOptions& options() const { return opt_; }

 private:
  std::vector<Candidate> run(const cv::Mat& bgr);
  std::string path_;
  FaceOptions opt_;
  cv::dnn::Net net_;
  std::mutex mu_;
};

}  // namespace mie::vision
