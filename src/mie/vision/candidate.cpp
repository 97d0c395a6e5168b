#include "mie/vision/candidate.h"

#include <algorithm>
#include <cmath>

namespace mie::vision {

nlohmann::json to_json(const Candidate& c) {
  auto r = [](float v) { return std::round(double(v) * 10.0) / 10.0; };
  nlohmann::json j = {{"source", c.source},
                      {"label", c.label},
                      {"score", std::round(double(c.score) * 1e4) / 1e4},
                      {"box", {r(c.box.x1), r(c.box.y1), r(c.box.x2), r(c.box.y2)}}};
  if (!c.text.empty()) j["text"] = c.text;
  if (!c.attribute.empty()) j["attribute"] = c.attribute;
  if (!c.feature.empty()) j["feature_dim"] = c.feature.size();
  return j;
}

nlohmann::json detection_json(const std::string& image, int width, int height, const std::vector<Candidate>& cs) {
  return {{"image", image}, {"width", width}, {"height", height}, {"candidates", to_json(cs)}};
}

nlohmann::json to_json(const std::vector<Candidate>& cs) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& c : cs) a.push_back(to_json(c));
  return a;
}

mie::Box clamp_box(const mie::Box& b, int w, int h) {
  auto cl = [](float v, float hi) { return std::clamp(v, 0.f, hi); };
  return {cl(b.x1, float(w)), cl(b.y1, float(h)), cl(b.x2, float(w)), cl(b.y2, float(h))};
}

}  // namespace mie::vision
