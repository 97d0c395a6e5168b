// mie/vision/candidate.h — one region proposal: a box in the original image's pixels.
//
//   mie::vision::Candidate c{.source = "object", .label = "person", .score = 0.83f,
//                            .box = {10, 20, 200, 300}};
//   nlohmann::json j = mie::vision::to_json(c);   // {"source":..,"label":..,"score":..,"box":[x1,y1,x2,y2]}
//
// source: "face" | "object" | "text" | "image" | "vinvl". label: a COCO class, "face", "text",
// "image" or a VinVL object name. text: the OCR reading of a "text" candidate. feature: optional
// (VinVL 2048-d). Thread safety: plain values.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mie/core/post.h"

namespace mie::vision {

struct Candidate {
  std::string source;
  std::string label;
  float score = 0.f;
  mie::Box box;
  std::string text;
  std::vector<float> feature;
  std::string attribute;  // VinVL attribute words ("red shirt"), "" otherwise
};

// Feature vectors are summarised as "feature_dim" (never printed: 2048 floats per box).
nlohmann::json to_json(const Candidate& c);
nlohmann::json to_json(const std::vector<Candidate>& cs);
// One image's proposals as `mie detect` prints them: {"image", "width", "height", "candidates"}.
nlohmann::json detection_json(const std::string& image, int width, int height, const std::vector<Candidate>& cs);

// Clamps the box to [0,w]x[0,h].
mie::Box clamp_box(const mie::Box& b, int w, int h);

}  // namespace mie::vision
