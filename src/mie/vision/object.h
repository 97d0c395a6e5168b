// mie/vision/object.h — Yolo-Fastest 1.1-xl object detector (Darknet cfg+weights, 80 COCO classes),
// run by libtorch (darknet.h).
//
//   std::string d = mie::assets_dir() + "/yolo-fastest/";
//   mie::vision::ObjectDetector det(d + "yolo-fastest-1.1-xl.cfg", d + "yolo-fastest-1.1-xl.weights",
//                                   d + "coco.names");
//   for (const mie::vision::Candidate& c : det.detect(bgr)) ...   // source "object", label "person"
//
// Decoding follows ../shared/models/README.md: RGB / 255, resized to 320x320 (no crop);
// each output row is cx, cy, w, h (relative), objectness, 80 class scores (multiplied by the
// objectness, as OpenCV's region layer does); keep rows whose top class score >= 0.4, then
// per-class NMS with IoU 0.45. coco.names must list exactly as many classes as the model outputs.
// Thread safety: detect() may be called from several threads at once (the network is immutable).
#pragma once

#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "mie/vision/candidate.h"
#include "mie/vision/darknet.h"

namespace mie::vision {

struct ObjectOptions {
  float score_threshold = 0.4f;
  float nms_iou = 0.45f;
  int input_size = 320;
  int top_k = 100;
};

class ObjectDetector {
 public:
  ObjectDetector(const std::string& cfg, const std::string& weights, const std::string& names, ObjectOptions opt = {});
  std::vector<Candidate> detect(const cv::Mat& bgr) const;  // sorted by score, descending
  const std::vector<std::string>& class_names() const { return names_; }

 private:
  std::string path_;
  ObjectOptions opt_;
  std::vector<std::string> names_;
  DarknetNet net_;
};

}  // namespace mie::vision
