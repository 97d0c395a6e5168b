#include "mie/vision/proposer.h"

#include <sstream>

#include "mie/core/error.h"
#include "mie/core/paths.h"
#include "mie/vision/assets.h"

namespace mie::vision {

ProposerOptions ProposerOptions::with_sources(const std::string& csv) {
  ProposerOptions o;
  o.face = o.object = o.text = o.image = false;
  std::stringstream ss(csv);
  std::string s;
  while (std::getline(ss, s, ',')) {
    s.erase(0, s.find_first_not_of(" \t"));
    s.erase(s.find_last_not_of(" \t") + 1);
    if (s.empty() || s == "none") continue;
    if (s == "face") o.face = true;
    else if (s == "object") o.object = true;
    else if (s == "text") o.text = true;
    else if (s == "image") o.image = true;
    else if (s == "all") o.face = o.object = o.text = o.image = true;
    else throw mie::Error("unknown region source '" + s + "' (expected face, object, text, image or all)");
  }
  return o;
}

RegionProposer::RegionProposer(ProposerOptions opt) : opt_(std::move(opt)) {
  const std::string dir = opt_.assets_dir.empty() ? mie::assets_dir() : opt_.assets_dir;
  const bool v = opt_.verify_sha256;
  if (opt_.face) face_ = std::make_unique<FaceDetector>(require_asset(dir, kYunetFile, "YuNet face detector", v), opt_.face_opt);
  if (opt_.object)
    object_ = std::make_unique<ObjectDetector>(require_asset(dir, kYoloCfgFile, "Yolo-Fastest config", v),
                                               require_asset(dir, kYoloWeightsFile, "Yolo-Fastest weights", v),
                                               require_asset(dir, kCocoNamesFile, "COCO class names", v), opt_.object_opt);
  if (opt_.text) {
    text_ = std::make_unique<TextDetector>(require_asset(dir, kPpocrFile, "PP-OCRv3 text detector", v), opt_.text_opt);
    if (opt_.ocr) ocr_ = std::make_unique<OcrReader>(opt_.ocr_opt);
  }
}

RegionProposer::~RegionProposer() = default;

Candidate whole_image_candidate(int width, int height) {
  Candidate c;
  c.source = "image";
  c.label = "image";
  c.score = 1.f;
  c.box = {0.f, 0.f, float(width), float(height)};
  return c;
}

std::vector<Candidate> RegionProposer::propose(const cv::Mat& bgr) {
  if (bgr.empty() || bgr.type() != CV_8UC3) throw mie::Error("RegionProposer: expected a non-empty 8-bit BGR image");
  std::vector<Candidate> all;
  if (opt_.image) all.push_back(whole_image_candidate(bgr.cols, bgr.rows));
  auto append = [&](std::vector<Candidate>&& v) {
    for (auto& c : v) all.push_back(std::move(c));
  };
  if (face_) append(face_->detect(bgr));
  if (object_) append(object_->detect(bgr));
  if (text_) {
    std::vector<Candidate> lines = text_->detect(bgr);
    if (ocr_) ocr_->read_all(bgr, lines);
    append(std::move(lines));
  }
  return all;
}

}  // namespace mie::vision
