#include "mie/vision/draw.h"

#include <algorithm>
#include <cstdio>
#include <fstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "mie/core/error.h"

namespace mie::vision {

cv::Mat draw_candidates(const cv::Mat& bgr, const std::vector<Candidate>& cands) {
  cv::Mat vis = bgr.clone();
  const double fs = std::max(0.35, std::min(vis.cols, vis.rows) / 1200.0);
  const int th = std::max(1, std::min(vis.cols, vis.rows) / 400);
  for (const Candidate& c : cands) {
    if (c.source == "image") continue;  // the whole image frame says nothing
    cv::Scalar col = c.source == "face"     ? cv::Scalar(0, 200, 0)
                     : c.source == "object" ? cv::Scalar(255, 128, 0)
                     : c.source == "text"   ? cv::Scalar(0, 0, 255)
                     : c.source == "vinvl"  ? cv::Scalar(255, 0, 255)
                                            : cv::Scalar(160, 160, 160);
    cv::Point p1(int(c.box.x1), int(c.box.y1)), p2(int(c.box.x2), int(c.box.y2));
    cv::rectangle(vis, p1, p2, col, th);
    char sc[16];
    std::snprintf(sc, sizeof sc, " %.2f", c.score);
    std::string label = c.label + sc + (c.text.empty() ? "" : " \"" + c.text + "\"");
    int base = 0;
    cv::Size ts = cv::getTextSize(label, cv::FONT_HERSHEY_SIMPLEX, fs, 1, &base);
    cv::Point org(p1.x, std::max(ts.height + 2, p1.y - 2));
    cv::rectangle(vis, org + cv::Point(0, base), org + cv::Point(ts.width, -ts.height - 2), col, cv::FILLED);
    cv::putText(vis, label, org, cv::FONT_HERSHEY_SIMPLEX, fs, cv::Scalar(255, 255, 255), 1, cv::LINE_AA);
  }
  return vis;
}

void save_png(const cv::Mat& img, const std::string& path) {
  std::vector<uchar> buf;
  try {
    if (!cv::imencode(".png", img, buf)) throw mie::Error(path + ": cannot encode PNG");
  } catch (const cv::Exception& e) {
    throw mie::Error(path + ": cannot encode PNG: " + e.err);
  }
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(buf.data()), std::streamsize(buf.size()));
  if (!out) throw mie::Error(path + ": cannot write PNG");
}

}  // namespace mie::vision
