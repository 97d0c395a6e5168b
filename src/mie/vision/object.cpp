#include "mie/vision/object.h"

#include <algorithm>
#include <fstream>
#include <map>

#include "mie/core/files.h"
#include "mie/core/error.h"

namespace mie::vision {

ObjectDetector::ObjectDetector(const std::string& cfg, const std::string& weights, const std::string& names,
                               ObjectOptions opt)
    : path_(weights), opt_(opt) {
  std::ifstream in = mie::open_file(names, "the COCO class names file");
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) names_.push_back(line);
  }
  if (names_.empty()) throw mie::Error(names + ": no class names");
  try {
    net_ = cv::dnn::readNetFromDarknet(cfg, weights);
  } catch (const cv::Exception& e) {
    throw mie::Error(cfg + ", " + weights + ": cannot load the Yolo-Fastest Darknet model: " + e.err);
  }
  if (net_.empty()) throw mie::Error(weights + ": cannot load the Yolo-Fastest Darknet model");
  out_names_ = net_.getUnconnectedOutLayersNames();
  try {
    run(cv::Mat(64, 64, CV_8UC3, cv::Scalar(0, 0, 0)));
  } catch (const cv::Exception& e) {
    throw mie::Error(weights + ": wrong Yolo-Fastest model (warm-up forward failed): " + e.err);
  }
}

std::vector<Candidate> ObjectDetector::detect(const cv::Mat& bgr) {
  if (bgr.empty() || bgr.type() != CV_8UC3) throw mie::Error("ObjectDetector: expected a non-empty 8-bit BGR image");
  std::lock_guard<std::mutex> lk(mu_);
  return run(bgr);
}

std::vector<Candidate> ObjectDetector::run(const cv::Mat& bgr) {
  net_.setInput(cv::dnn::blobFromImage(bgr, 1 / 255.0, cv::Size(opt_.input_size, opt_.input_size), cv::Scalar(), true, false));
  std::vector<cv::Mat> outs;
  net_.forward(outs, out_names_);
  const int nc = int(names_.size());
  std::map<int, std::vector<cv::Rect2d>> rects;
  std::map<int, std::vector<float>> scores;
  for (const cv::Mat& o : outs) {
    if (o.dims != 2 || o.cols != 5 + nc)
      throw mie::Error(path_ + ": Yolo output has " + std::to_string(o.cols) + " columns, expected 5 + " +
                       std::to_string(nc) + " classes from the names file (wrong model or names?)");
    for (int r = 0; r < o.rows; ++r) {
      const float* p = o.ptr<float>(r);
      const float* cls = p + 5;
      int best = int(std::max_element(cls, cls + nc) - cls);
      float s = cls[best];
      if (s < opt_.score_threshold) continue;
      double cx = p[0] * bgr.cols, cy = p[1] * bgr.rows, w = p[2] * bgr.cols, h = p[3] * bgr.rows;
      rects[best].emplace_back(cx - w / 2, cy - h / 2, w, h);
      scores[best].push_back(s);
    }
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
