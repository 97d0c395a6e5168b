#include "mie/vision/text.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "mie/core/error.h"

namespace mie::vision {

TextDetector::TextDetector(const std::string& onnx_path, TextOptions opt)
    : path_(onnx_path), opt_(opt), net_(onnx_path, "the PP-OCRv3 text detector") {
  if (opt_.input_size < 32 || opt_.input_size % 32 != 0)
    throw mie::Error("TextDetector: input_size must be a positive multiple of 32");
  try {
    detect(cv::Mat(64, 64, CV_8UC3, cv::Scalar(0, 0, 0)));
  } catch (const mie::Error& e) {
    throw mie::Error(onnx_path + ": wrong PP-OCRv3 text model (warm-up forward failed): " + e.what());
  }
}

cv::Mat TextDetector::last_map() const {
  std::lock_guard<std::mutex> lk(mu_);
  return map_.clone();
}

std::vector<Candidate> TextDetector::detect(const cv::Mat& bgr) {
  if (bgr.empty() || bgr.type() != CV_8UC3) throw mie::Error("TextDetector: expected a non-empty 8-bit BGR image");
  const int S = opt_.input_size;
  // As PaddleOCR's DetResizeForTest: scale the long side to S, then round each side to a multiple
  // of 32 (a slight stretch, no padding: the network's attention pools over the whole map).
  const double scale = std::min(2.0, double(S) / std::max(bgr.cols, bgr.rows));
  auto side = [&](int px) { return std::clamp(int(std::lround(px * scale / 32.0)) * 32, 32, S); };
  const int w = side(bgr.cols), h = side(bgr.rows);
  const double sx = double(w) / bgr.cols, sy = double(h) / bgr.rows;
  cv::Mat img;
  cv::resize(bgr, img, cv::Size(w, h), 0, 0, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  cv::Mat f;
  img.convertTo(f, CV_32FC3, 1 / 255.0);
  cv::cvtColor(f, f, cv::COLOR_BGR2RGB);
  cv::subtract(f, cv::Scalar(0.485, 0.456, 0.406), f);
  cv::divide(f, cv::Scalar(0.229, 0.224, 0.225), f);
  torch::Tensor out = net_.forward(nchw_view(f))[0].contiguous();
  if (out.numel() != int64_t(w) * h)
    throw mie::Error(path_ + ": text detector returned " + std::to_string(out.numel()) + " values, expected a " +
                     std::to_string(w) + "x" + std::to_string(h) + " map (wrong model?)");
  cv::Mat map = cv::Mat(h, w, CV_32F, out.data_ptr<float>()).clone();
  {
    std::lock_guard<std::mutex> lk(mu_);
    map_ = map;
  }
  cv::Mat bin = map > opt_.bin_threshold;
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(bin, contours, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
  std::vector<Candidate> res;
  for (const auto& cnt : contours) {
    if (cnt.size() < 3) continue;
    cv::RotatedRect rr = cv::minAreaRect(cnt);
    if (std::min(rr.size.width, rr.size.height) < 3) continue;
    cv::Rect br = cv::boundingRect(cnt) & cv::Rect(0, 0, w, h);
    if (br.area() == 0) continue;
    cv::Mat mask = cv::Mat::zeros(br.size(), CV_8U);
    std::vector<std::vector<cv::Point>> shifted{cnt};
    for (auto& p : shifted[0]) p -= br.tl();
    cv::fillPoly(mask, shifted, cv::Scalar(255));
    float score = float(cv::mean(map(br), mask)[0]);
    if (score < opt_.box_threshold) continue;
    // DB unclip: offset the box outwards by area * ratio / perimeter.
    const float rw = rr.size.width, rh = rr.size.height;
    const float d = rw * rh * opt_.unclip_ratio / (2 * (rw + rh));
    cv::RotatedRect grown(rr.center, cv::Size2f(rw + 2 * d, rh + 2 * d), rr.angle);
    if (std::min(grown.size.width, grown.size.height) < opt_.min_side) continue;
    cv::Rect2f b = grown.boundingRect2f();
    Candidate c;
    c.source = "text";
    c.label = "text";
    c.score = score;
    c.box = clamp_box({float(b.x / sx), float(b.y / sy), float((b.x + b.width) / sx), float((b.y + b.height) / sy)},
                      bgr.cols, bgr.rows);
    if (c.box.area() > 0) res.push_back(std::move(c));
  }
  std::sort(res.begin(), res.end(), [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
  if (int(res.size()) > opt_.max_boxes) res.resize(opt_.max_boxes);
  // Reading order: rows of 16 px (by box centre), then left to right.
  auto row = [](const Candidate& c) { return int((c.box.y1 + c.box.y2) / 32.f); };
  std::stable_sort(res.begin(), res.end(), [&](const Candidate& a, const Candidate& b) {
    return row(a) != row(b) ? row(a) < row(b) : a.box.x1 < b.box.x1;
  });
  return res;
}

}  // namespace mie::vision
