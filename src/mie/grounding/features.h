// mie/grounding/features.h — features of one entity for the groundability classifier (is the
// entity visible in the image? RiVEG's visual-entailment step) and shared string helpers.
//
//   mie::grounding::FeatureConfig cfg;               // cfg.caption = true: use Post::caption
//   mie::grounding::EntityFeatures f = mie::grounding::entity_features(post, 0, cfg);
//   // f.sparse: hashed (index, value) pairs in [0, 2^cfg.hash_bits); f.dense: kDenseDim floats
//   mie::grounding::ImageSummary s = mie::grounding::summarise(candidates);   // detector counts
//   float adj = mie::grounding::detector_adjustment(post, 0, s, mie::grounding::DetectorRule{});
//
// Text features: lower-cased entity words and string, type, position, length, mention count,
// @/# markers, capitalisation, neighbour words, RT, entity counts, type x post words.
// Caption features (cfg.caption and a non-empty caption): type x caption words, overlap of the
// entity words with the caption, caption mentions a person / text. Detector outputs are NOT
// learned features (no training images exist here): detector_adjustment() is a hand-set,
// documented logit offset (docs/grounding.md) added only when an image was analysed.
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "mie/core/post.h"
#include "mie/vision/candidate.h"

namespace mie::grounding {

inline constexpr int kDenseDim = 7;

struct FeatureConfig {
  bool caption = true;  // caption features when Post::caption is non-empty
  int hash_bits = 18;
  nlohmann::json to_json() const { return {{"caption", caption}, {"hash_bits", hash_bits}}; }
  static FeatureConfig from_json(const nlohmann::json& j);
};

struct EntityFeatures {
  std::vector<std::pair<uint32_t, float>> sparse;
  std::vector<float> dense;  // kDenseDim
  std::vector<std::string> names;  // feature strings (only when requested, for tests/debugging)
};

EntityFeatures entity_features(const Post& p, int entity, const FeatureConfig& cfg, bool keep_names = false);

// What the detectors saw in one image.
struct ImageSummary {
  int persons = 0;  // "person" objects and person-like VinVL labels
  int faces = 0;
  int texts = 0;
  std::vector<std::string> labels;    // object / VinVL labels
  std::vector<std::string> readings;  // OCR readings of text candidates
};
ImageSummary summarise(const std::vector<vision::Candidate>& cands);

// Hand-set logit offsets for detector evidence (weights in docs/grounding.md).
struct DetectorRule {
  float per_no_person = -1.5f;   // PER and the image shows no person or face
  float per_person = 0.5f;       // PER and at least one person or face
  float ocr_match = 2.0f;        // any type: an OCR reading matches the entity (similarity >= 0.8)
  float label_match = 1.0f;      // an object / VinVL label equals an entity word
  nlohmann::json to_json() const;
  static DetectorRule from_json(const nlohmann::json& j);
};
float detector_adjustment(const Post& p, int entity, const ImageSummary& s, const DetectorRule& r);

// ASCII lower-casing; lower-cased letters and digits only ("Coca-Cola!" -> "cocacola").
std::string lower(const std::string& s);
std::string alnum_key(const std::string& s);
// Fuzzy, case-insensitive match of an entity string and an OCR reading in [0, 1]: 1 - edit
// distance / longer length on alnum keys; containment of a key of >= 3 characters scores >= 0.9.
float text_similarity(const std::string& entity, const std::string& reading);
// GMNER coarse type of an entity type: PER/ORG/LOC/OTHER unchanged, MISC -> OTHER, FMNERG coarse
// types mapped (person -> PER, organization -> ORG, location/building -> LOC, others -> OTHER).
std::string gmner_type(const std::string& type);
// "person", "face", "text", "image" or "object" (VinVL person words such as man/woman count as person).
std::string candidate_kind(const vision::Candidate& c);

}  // namespace mie::grounding
