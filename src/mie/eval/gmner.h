// mie/eval/gmner.h — GMNER (H-Index / RiVEG) and FMNERG (TIGER) scores.
//
//   // box mode (raw images, RiVEG's statistic.py): predicted box right when IoU >= 0.5
//   mie::eval::Evaluation ev = mie::eval::score_gmner(gold, aligned_pred);
//   ev.at("gmner").total().f1;  ev.at("mner");  ev.at("eeg");
//
//   // candidate mode (VinVL regions, H-Index metrics.py): Entity::region indexes the candidates
//   mie::eval::GmnerOptions o;
//   o.mode = mie::eval::RegionMode::Candidate;
//   o.candidates = &cands;              // post id -> top-k candidate boxes
//   auto ev2 = mie::eval::score_fmnerg(gold, aligned_pred, o);  // fmnerg, fine_mner, coarse, ...
//
// `pred` must be aligned to `gold` (align.h: same size and order). Exact definitions are in
// docs/metrics.md. Thread safety: pure functions; the candidates map is only read.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "mie/core/post.h"
#include "mie/eval/tally.h"

namespace mie::eval {

enum class RegionMode { Box, Candidate };

using Candidates = std::unordered_map<std::string, std::vector<Box>>;

struct GmnerOptions {
  RegionMode mode = RegionMode::Box;
  // Box mode: a predicted box is right when IoU >= box_iou with any gold box (RiVEG).
  double box_iou = 0.5;
  // Candidate mode: gold regions are the candidates with IoU > candidate_iou with any gold box of
  // the entity (H-Index data_pipe.py). Required in candidate mode; a post id missing from the map
  // throws mie::Error.
  double candidate_iou = 0.5;
  const Candidates* candidates = nullptr;
};

// GMNER on coarse types (Entity::type). Metrics, in order:
//   gmner  span + type + region        mner  span + type        eeg  span + region
// Each carries per_type tallies; gmner's extra holds grounding accuracy on entities whose span
// and type are right ("groundable_acc", "ungroundable_acc" with counts) and, in candidate mode,
// "uncovered" (groundable gold entities no candidate covers).
Evaluation score_gmner(const std::vector<Post>& gold, const std::vector<Post>& pred,
                       const GmnerOptions& opt = {});

// FMNERG: the same with fine types (Entity::fine_type). Metrics, in order:
//   fmnerg  span + fine + region     fine_mner  span + fine
//   coarse  span + coarse + region   coarse_mner  span + coarse     eeg  span + region
Evaluation score_fmnerg(const std::vector<Post>& gold, const std::vector<Post>& pred,
                        const GmnerOptions& opt = {});

// Candidate mode: indices of `cands` with IoU > thr against any box in `gold_boxes`.
std::vector<int> gold_regions(const std::vector<Box>& gold_boxes, const std::vector<Box>& cands,
                              double thr = 0.5);

}  // namespace mie::eval
