// mie/relation/image_signals.h — the image side of a relation example as a fixed float vector.
//
//   mie::relation::ImageSignals s;
//   s.present = true; s.width = 640; s.height = 480;
//   s.objects = proposer_candidates;           // vision::Candidate: faces, COCO objects, OCR text
//   s.caption = "two men shaking hands";       // optional (aux/captions-*.jsonl)
//   s.relevance = -1;                          // TMR score in [0,1]; < 0 = estimate (below)
//   ex.image = mie::relation::image_features(s, ex, words);            // kImageDim floats
//   auto s2 = mie::relation::signals_from_image("70560.jpg", proposer, caption);  // runs detectors
//   auto more = mie::relation::image_features(s, ex, words, &s.objects[2]);  // MORE: target object
//
// Layout (kImageDim floats; all zeros = no image, which is what an untrained image path sees):
//   [0] present  [1] relevance  [2] log1p(#objects)  [3] max score  [4] largest box area fraction
//   [5] log1p(#faces)  [6] head words in caption/OCR/labels  [7] tail words in caption/OCR/labels
//   [8, 8+kObjectSlots) log1p(count) per class (80 COCO, face, text, other)
//   [.., +kCaptionDim) mean word vector of the caption
//   target object (MORE): is_target, box x1 y1 x2 y2 area (relative), score, class one-hot,
//   kRegionPool means of consecutive chunks of its region feature (VinVL 2048-d), when present.
// Everything except "present" and "relevance" is multiplied by the relevance, so images that
// do not match the text (low TMR score) count less. Relevance estimate without a TMR score:
// cosine of the mean word vectors of text and of caption + object labels + OCR, clipped to
// [0, 1]; without word vectors, the fraction of image words found in the text.
// Thread safety: pure functions.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "mie/relation/example.h"
#include "mie/vision/candidate.h"

namespace mie::vision {
class RegionProposer;
}

namespace mie::relation {

inline constexpr int kObjectSlots = 83;
inline constexpr int kCaptionDim = 100;
inline constexpr int kRegionPool = 64;
inline constexpr int kGlobalDim = 8 + kObjectSlots + kCaptionDim;
inline constexpr int kTargetDim = 1 + 5 + 1 + kObjectSlots + kRegionPool;
inline constexpr int kImageDim = kGlobalDim + kTargetDim;

struct ImageSignals {
  bool present = false;
  int width = 0, height = 0;
  std::vector<vision::Candidate> objects;
  std::string caption;
  float relevance = -1.f;
};

// Word vectors by lookup key (text::lookup_key); nullptr when unknown. May be empty.
struct WordVectors {
  int dim = 0;
  std::function<const float*(const std::string& key)> find;
};

// Slot of a class label: COCO names (Yolo-Fastest's coco.names, plus "motorcycle"/"airplane"
// spellings), 80 = face, 81 = text, 82 = anything else.
int object_slot(const std::string& label);

float estimate_relevance(const ImageSignals& s, const std::vector<std::string>& tokens, const WordVectors& wv);

std::vector<float> image_features(const ImageSignals& s, const RelExample& ex, const WordVectors& wv,
                                  const vision::Candidate* target = nullptr);

// Loads the image (JPEG/PNG by content) and runs the proposer: faces, COCO objects, OCR'd text
// lines (the whole-image candidate is dropped). Throws mie::Error for unreadable images.
ImageSignals signals_from_image(const std::string& path, vision::RegionProposer& proposer,
                                const std::string& caption = "", float relevance = -1.f);

}  // namespace mie::relation
