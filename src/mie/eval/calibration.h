// mie/eval/calibration.h — scoring a probability against what happened.
//
//   double loss = mie::eval::binary_log_loss(0.9, true);   // -log(0.9)
//
// Used for the NER entity scores' temperature (ner::fit_score_temperature) and the grounding
// classifier's groundable_score (grounding::BinaryScores). Pure functions: thread-safe.
#pragma once

#include <algorithm>
#include <cmath>

namespace mie::eval {

// -log p if the event happened, else -log(1 - p); p is clipped to [1e-6, 1 - 1e-6] so a confident
// mistake costs at most ~13.8, not infinity.
inline double binary_log_loss(double p, bool happened) {
  const double q = std::clamp(p, 1e-6, 1 - 1e-6);
  return happened ? -std::log(q) : -std::log(1 - q);
}

}  // namespace mie::eval
