#include "mie/vision/face.h"

#include <algorithm>
#include <cmath>

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include "mie/core/error.h"

namespace mie::vision {
namespace {
const int kStrides[3] = {8, 16, 32};

// cls_8, obj_8, bbox_8, cls_16, ...: the outputs read, built once.
const std::vector<std::string>& output_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (int s : kStrides)
      for (const char* k : {"cls_", "obj_", "bbox_"}) n.push_back(k + std::to_string(s));
    return n;
  }();
  return names;
}
}  // namespace

FaceDetector::FaceDetector(const std::string& onnx_path, FaceOptions opt)
    : path_(onnx_path), opt_(opt), net_(onnx_path, "the YuNet face model") {
  try {
    detect(cv::Mat(64, 64, CV_8UC3, cv::Scalar(0, 0, 0)));
  } catch (const mie::Error& e) {
    throw mie::Error(onnx_path + ": wrong YuNet face model (warm-up forward failed): " + e.what());
  }
}

std::vector<Candidate> FaceDetector::detect(const cv::Mat& bgr) const {
  if (bgr.empty() || bgr.type() != CV_8UC3) throw mie::Error("FaceDetector: expected a non-empty 8-bit BGR image");
  const double scale = std::min(1.0, double(opt_.max_side) / std::max(bgr.cols, bgr.rows));
  cv::Mat img = bgr;
  if (scale < 1.0)
    cv::resize(bgr, img, cv::Size(std::max(1, int(std::lround(bgr.cols * scale))), std::max(1, int(std::lround(bgr.rows * scale)))),
               0, 0, cv::INTER_AREA);
  const int pw = (img.cols + 31) / 32 * 32, ph = (img.rows + 31) / 32 * 32;
  cv::Mat padded(ph, pw, CV_32FC3, cv::Scalar(0, 0, 0));
  img.convertTo(padded(cv::Rect(0, 0, img.cols, img.rows)), CV_32FC3);
  std::vector<torch::Tensor> outs = net_.forward(nchw_view(padded), output_names());
  for (auto& o : outs) o = o.contiguous();

  std::vector<cv::Rect2d> rects;
  std::vector<float> scores;
  for (int si = 0; si < 3; ++si) {
    const int stride = kStrides[si];
    const int cols = pw / stride, rows = ph / stride;
    const size_t n = size_t(cols) * rows;
    const torch::Tensor& cls = outs[3 * si];
    const torch::Tensor& obj = outs[3 * si + 1];
    const torch::Tensor& box = outs[3 * si + 2];
    if (size_t(cls.numel()) != n || size_t(obj.numel()) != n || size_t(box.numel()) != 4 * n)
      throw mie::Error(path_ + ": YuNet output sizes do not match the input grid (wrong model?)");
    const float* pc = cls.data_ptr<float>();
    const float* po = obj.data_ptr<float>();
    const float* pb = box.data_ptr<float>();
    for (size_t i = 0; i < n; ++i) {
      float c = std::clamp(pc[i], 0.f, 1.f), o = std::clamp(po[i], 0.f, 1.f);
      float score = std::sqrt(c * o);
      if (score < opt_.score_threshold) continue;
      const int row = int(i / cols), col = int(i % cols);
      const float* b = pb + 4 * i;
      double cx = (col + b[0]) * stride, cy = (row + b[1]) * stride;
      double w = std::exp(b[2]) * stride, h = std::exp(b[3]) * stride;
      rects.emplace_back(cx - w / 2, cy - h / 2, w, h);
      scores.push_back(score);
    }
  }
  std::vector<int> keep;
  cv::dnn::NMSBoxes(rects, scores, opt_.score_threshold, opt_.nms_iou, keep, 1.f, opt_.top_k);
  std::vector<Candidate> res;
  for (int k : keep) {
    const cv::Rect2d& r = rects[k];
    Candidate c;
    c.source = "face";
    c.label = "face";
    c.score = scores[k];
    c.box = clamp_box({float(r.x / scale), float(r.y / scale), float((r.x + r.width) / scale), float((r.y + r.height) / scale)},
                      bgr.cols, bgr.rows);
    if (c.box.area() > 0) res.push_back(std::move(c));
  }
  return res;
}

}  // namespace mie::vision
