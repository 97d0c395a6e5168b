#include "mie/grounding/regions.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "mie/grounding/features.h"

namespace mie::grounding {

const std::array<const char*, kPairDim> kPairNames = {
    "per_person", "per_face",   "per_image",  "per_other",  "org_text_match", "org_text", "org_object", "org_image",
    "loc_image",  "loc_object", "det_score",  "size_fit",   "centre",         "per_order", "label_match", "org_person"};

// Hand-set priors (docs/grounding.md explains each).
const std::array<float, kPairDim> kPriorWeights = {
    3.0f,  // per_person: PER and a person box
    2.2f,  // per_face: PER and a face (output expanded to the upper body)
    -1.0f, // per_image: PER and the whole image
    -2.0f, // per_other: PER and a non-person object or a text line
    6.0f,  // org_text_match: ORG/OTHER and an OCR line reading like the entity (x similarity)
    0.3f,  // org_text: ORG/OTHER and any text line
    0.8f,  // org_object: ORG/OTHER and a non-person object
    0.5f,  // org_image: ORG/OTHER and the whole image
    2.0f,  // loc_image: LOC and the whole image
    0.3f,  // loc_object: LOC and an object
    1.0f,  // det_score: detector confidence
    2.0f,  // size_fit: exp(-|ln(area / median gold area of the type)|)
    0.5f,  // centre: 1 - distance of the box centre from the image centre (normalised)
    1.0f,  // per_order: k-th PER name <-> k-th person box from the left
    2.0f,  // label_match: a COCO/VinVL label or attribute equals an entity word
    0.3f,  // org_person: ORG/OTHER and a person (bands, teams)
};

float median_area(const std::string& type) {
  static const std::map<std::string, float> m = {{"PER", 0.35f}, {"ORG", 0.01f}, {"LOC", 0.35f}, {"OTHER", 0.15f}};
  auto it = m.find(type);
  return it == m.end() ? 0.15f : it->second;
}

Box expand_face(const Box& f, int width, int height) {
  const float fw = f.width(), fh = f.height(), cx = (f.x1 + f.x2) / 2;
  Box b{cx - 1.5f * fw, f.y1 - 0.4f * fh, cx + 1.5f * fw, f.y2 + 4.f * fh};
  return vision::clamp_box(b, width, height);
}

Box output_box(const vision::Candidate& c, const std::string& type, int width, int height) {
  if (gmner_type(type) == "PER" && candidate_kind(c) == "face") return expand_face(c.box, width, height);
  return vision::clamp_box(c.box, width, height);
}

namespace {
// Rank of the entity's name among distinct PER names, left to right.
int per_rank(const Post& p, int ei, int* count) {
  std::vector<std::string> names;
  for (const Entity& e : p.entities)
    if (gmner_type(e.type) == "PER") {
      const std::string s = span_text(p, e);
      if (std::find(names.begin(), names.end(), s) == names.end()) names.push_back(s);
    }
  *count = static_cast<int>(names.size());
  const std::string me = span_text(p, p.entities[static_cast<size_t>(ei)]);
  return static_cast<int>(std::find(names.begin(), names.end(), me) - names.begin());
}
}  // namespace

std::array<float, kPairDim> pair_features(const Post& p, int ei, const std::vector<vision::Candidate>& cands, int ci,
                                          int width, int height) {
  std::array<float, kPairDim> f{};
  const Entity& e = p.entities.at(static_cast<size_t>(ei));
  const vision::Candidate& c = cands.at(static_cast<size_t>(ci));
  const std::string kind = candidate_kind(c), span = span_text(p, e);
  const std::string ty = gmner_type(e.type);
  const bool per = ty == "PER", org = ty == "ORG" || ty == "OTHER", loc = ty == "LOC";
  const bool person = kind == "person";
  if (per) {
    f[0] = person;
    f[1] = kind == "face";
    f[2] = kind == "image";
    f[3] = kind == "object" || kind == "text";
  }
  if (org) {
    float sim = kind == "text" ? std::max(text_similarity(span, c.text), text_similarity(span, c.label)) : 0.f;
    f[4] = sim >= 0.5f ? sim : 0.f;
    f[5] = kind == "text";
    f[6] = kind == "object";
    f[7] = kind == "image";
    f[15] = person || kind == "face";
  }
  if (loc) {
    f[8] = kind == "image";
    f[9] = kind == "object";
  }
  f[10] = std::clamp(c.score, 0.f, 1.f);
  const float W = static_cast<float>(std::max(1, width)), H = static_cast<float>(std::max(1, height));
  const Box b = output_box(c, e.type, width, height);
  const float area = std::max(1e-6f, b.area() / (W * H));
  f[11] = std::exp(-std::fabs(std::log(area / median_area(ty))));
  const float dx = ((b.x1 + b.x2) / 2 - W / 2) / W, dy = ((b.y1 + b.y2) / 2 - H / 2) / H;
  f[12] = 1.f - std::min(1.f, std::sqrt(dx * dx + dy * dy) / 0.7072f);
  if (per && person) {
    int names = 0;
    const int rank = per_rank(p, ei, &names);
    std::vector<float> xs;  // centres of person candidates
    for (const auto& o : cands)
      if (candidate_kind(o) == "person") xs.push_back((o.box.x1 + o.box.x2) / 2);
    std::sort(xs.begin(), xs.end());
    const float mx = (c.box.x1 + c.box.x2) / 2;
    const int my = static_cast<int>(std::lower_bound(xs.begin(), xs.end(), mx) - xs.begin());
    if (names >= 2 && static_cast<int>(xs.size()) >= names && my == rank) f[13] = 1.f;
  }
  if (c.source == "object" || c.source == "vinvl") {
    std::set<std::string> words;
    for (int i = e.start; i < e.end; ++i) words.insert(alnum_key(p.tokens[static_cast<size_t>(i)]));
    const std::string l = alnum_key(c.label);
    bool hit = l.size() >= 3 && words.count(l);
    std::string a;
    for (char ch : c.attribute + " ") {
      if (ch == ' ') {
        hit |= a.size() >= 3 && words.count(alnum_key(a));
        a.clear();
      } else {
        a += ch;
      }
    }
    f[14] = hit;
  }
  return f;
}

float RegionScorer::score(const std::array<float, kPairDim>& f) const {
  float s = 0.f;
  for (int i = 0; i < kPairDim; ++i) s += w_[static_cast<size_t>(i)] * f[static_cast<size_t>(i)];
  return s;
}

std::vector<float> RegionScorer::scores(const Post& p, int ei, const std::vector<vision::Candidate>& cands, int width,
                                        int height) const {
  std::vector<float> s;
  s.reserve(cands.size());
  for (size_t i = 0; i < cands.size(); ++i) s.push_back(score(pair_features(p, ei, cands, static_cast<int>(i), width, height)));
  return s;
}

RegionChoice RegionScorer::choose(const Post& p, int ei, const std::vector<vision::Candidate>& cands, int width,
                                  int height) const {
  RegionChoice r;
  const auto s = scores(p, ei, cands, width, height);
  for (size_t i = 0; i < s.size(); ++i)
    if (r.index < 0 || s[i] > r.score) r.index = static_cast<int>(i), r.score = s[i];
  if (r.index >= 0) {
    const auto& c = cands[static_cast<size_t>(r.index)];
    r.box = output_box(c, p.entities[static_cast<size_t>(ei)].type, width, height);
    r.whole_image = c.source == "image";
  }
  return r;
}

nlohmann::json RegionScorer::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  for (int i = 0; i < kPairDim; ++i) j[kPairNames[static_cast<size_t>(i)]] = w_[static_cast<size_t>(i)];
  return j;
}

RegionScorer RegionScorer::from_json(const nlohmann::json& j) {
  std::array<float, kPairDim> w = kPriorWeights;
  for (int i = 0; i < kPairDim; ++i) w[static_cast<size_t>(i)] = j.value(kPairNames[static_cast<size_t>(i)], w[static_cast<size_t>(i)]);
  return RegionScorer(w);
}

}  // namespace mie::grounding
