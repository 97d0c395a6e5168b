#include "mie/vision/object.h"

#include <algorithm>
#include <fstream>
#include <map>

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include "mie/core/error.h"
#include "mie/core/files.h"
#include "mie/vision/onnx_net.h"

namespace mie::vision {

namespace {
DarknetNet load_net(const std::string& cfg, const std::string& weights) {
  try {
    return DarknetNet(cfg, weights);
  } catch (const mie::Error& e) {
    throw mie::Error(std::string("cannot load the Yolo-Fastest Darknet model: ") + e.what());
  }
}
}  // namespace

ObjectDetector::ObjectDetector(const std::string& cfg, const std::string& weights, const std::string& names,
                               ObjectOptions opt)
    : path_(weights), opt_(opt), net_(load_net(cfg, weights)) {
  std::ifstream in = mie::open_file(names, "the COCO class names file");
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) names_.push_back(line);
  }
  if (names_.empty()) throw mie::Error(names + ": no class names");
  if (net_.classes() != int(names_.size()))
    throw mie::Error(weights + ": the Yolo model has " + std::to_string(net_.classes()) + " classes, " + names + " names " +
                     std::to_string(names_.size()) + " (wrong model or names?)");
  if (opt_.input_size < 32 || opt_.input_size % 32 != 0)
    throw mie::Error("ObjectDetector: input_size must be a positive multiple of 32");
  try {
    detect(cv::Mat(64, 64, CV_8UC3, cv::Scalar(0, 0, 0)));
  } catch (const mie::Error& e) {
    throw mie::Error(weights + ": wrong Yolo-Fastest model (warm-up forward failed): " + e.what());
  }
}

std::vector<Candidate> ObjectDetector::detect(const cv::Mat& bgr) const {
  if (bgr.empty() || bgr.type() != CV_8UC3) throw mie::Error("ObjectDetector: expected a non-empty 8-bit BGR image");
  cv::Mat img, rgb;
  cv::resize(bgr, img, cv::Size(opt_.input_size, opt_.input_size), 0, 0, cv::INTER_LINEAR);  // as blobFromImage
  cv::cvtColor(img, img, cv::COLOR_BGR2RGB);
  img.convertTo(rgb, CV_32FC3, 1 / 255.0);
  const torch::Tensor out = net_.forward(nchw_view(rgb)).contiguous();
  const int nc = int(names_.size());
  std::map<int, std::vector<cv::Rect2d>> rects;
  std::map<int, std::vector<float>> scores;
  for (int64_t r = 0; r < out.size(0); ++r) {
    const float* p = out.data_ptr<float>() + r * (5 + nc);
    const float* cls = p + 5;
    int best = int(std::max_element(cls, cls + nc) - cls);
    float s = cls[best];
    if (s < opt_.score_threshold) continue;
    double cx = p[0] * bgr.cols, cy = p[1] * bgr.rows, w = p[2] * bgr.cols, h = p[3] * bgr.rows;
    rects[best].emplace_back(cx - w / 2, cy - h / 2, w, h);
    scores[best].push_back(s);
  }
  std::vector<Candidate> res;
  for (auto& [cls, rs] : rects) {
    std::vector<int> keep;
    cv::dnn::NMSBoxes(rs, scores[cls], opt_.score_threshold, opt_.nms_iou, keep);
    for (int k : keep) {
      Candidate c;
      c.source = "object";
      c.label = names_[cls];
      c.score = scores[cls][k];
      const cv::Rect2d& r = rs[k];
      c.box = clamp_box({float(r.x), float(r.y), float(r.x + r.width), float(r.y + r.height)}, bgr.cols, bgr.rows);
      if (c.box.area() > 0) res.push_back(std::move(c));
    }
  }
  std::stable_sort(res.begin(), res.end(), [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
  if (int(res.size()) > opt_.top_k) res.resize(opt_.top_k);
  return res;
}

}  // namespace mie::vision
