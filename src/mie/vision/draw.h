// mie/vision/draw.h — annotate an image with candidate boxes (for `mie detect --draw`).
//
//   cv::Mat vis = mie::vision::draw_candidates(bgr, cands);
//   mie::vision::save_png(vis, "out.png");   // throws mie::Error if it cannot be written
//
// Colours by source: face green, object blue, text red, vinvl magenta, image grey; each box is
// labelled "label score" (and the OCR text). Thread safety: free functions.
#pragma once

#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "mie/vision/candidate.h"

namespace mie::vision {

cv::Mat draw_candidates(const cv::Mat& bgr, const std::vector<Candidate>& cands);
void save_png(const cv::Mat& img, const std::string& path);

}  // namespace mie::vision
