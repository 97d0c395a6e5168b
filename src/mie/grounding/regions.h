// mie/grounding/regions.h — which candidate region shows an entity: pair features, hand-set
// priors, face -> upper-body expansion and the choice of the box.
//
//   std::vector<mie::vision::Candidate> cands = proposer.propose(bgr);    // or vinvl_candidates
//   mie::grounding::RegionScorer scorer;                                  // prior weights
//   mie::grounding::RegionChoice c = scorer.choose(post, 0, cands, bgr.cols, bgr.rows);
//   if (c.index >= 0) post.entities[0].boxes = {c.box};                   // original pixels
//   auto f = mie::grounding::pair_features(post, 0, cands, 2, W, H);      // kPairDim floats
//
// Score of (entity, candidate) = w . pair_features. Priors (kPriorWeights, docs/grounding.md)
// encode: PER -> person box, else face expanded to the upper body, ORG/OTHER -> an OCR text line
// that reads like the entity, else a logo/object; LOC -> the whole image; size close to the
// median gold box area of the type (measured on the GMNER xml); left-to-right order of person
// boxes vs. PER mentions; VinVL/COCO labels equal to an entity word. The trainer
// (region_train.h) refines w with the H-Index KL objective when images are available.
// Thread safety: const methods and free functions are pure.
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mie/core/post.h"
#include "mie/vision/candidate.h"

namespace mie::grounding {

inline constexpr int kPairDim = 16;
extern const std::array<const char*, kPairDim> kPairNames;
extern const std::array<float, kPairDim> kPriorWeights;

// Median gold box area / image area per type (GMNER train+dev xml; docs/grounding.md).
float median_area(const std::string& type);

// Upper-body box from a face box (GMNER PER boxes cover head and torso, median height 0.85 of
// the image, bottom usually at the image bottom): width 3 face widths centred on the face, top
// 0.4 face heights above it, bottom 4 face heights below the face (clamped to the image).
Box expand_face(const Box& face, int width, int height);

// The box a candidate stands for when chosen for an entity of `type` (faces of PER expanded).
Box output_box(const vision::Candidate& c, const std::string& type, int width, int height);

std::array<float, kPairDim> pair_features(const Post& p, int entity, const std::vector<vision::Candidate>& cands,
                                          int cand, int width, int height);

struct RegionChoice {
  int index = -1;      // into the candidates, -1 when there are none
  float score = 0.f;
  Box box;             // output_box of the chosen candidate
  bool whole_image = false;
};

class RegionScorer {
 public:
  RegionScorer() : w_(kPriorWeights) {}
  explicit RegionScorer(const std::array<float, kPairDim>& w) : w_(w) {}
  float score(const std::array<float, kPairDim>& f) const;
  std::vector<float> scores(const Post& p, int entity, const std::vector<vision::Candidate>& cands, int width,
                            int height) const;
  RegionChoice choose(const Post& p, int entity, const std::vector<vision::Candidate>& cands, int width,
                      int height) const;
  const std::array<float, kPairDim>& weights() const { return w_; }
  nlohmann::json to_json() const;  // {"name": weight, ...}
  static RegionScorer from_json(const nlohmann::json& j);  // missing names keep the prior

 private:
  std::array<float, kPairDim> w_;
};

}  // namespace mie::grounding
