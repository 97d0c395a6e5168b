// mie/eval/mre.h — multimodal relation extraction (MNRE) as OpenNRE / MEGA / HVPNeT score it.
//
//   std::vector<std::string> gold = {"/per/org/member_of", "None"}, pred = {"/per/org/member_of", "None"};
//   mie::eval::Evaluation ev = mie::eval::score_mre(gold, pred);   // one label per instance
//   ev.at("mre").total().f1;  ev.at("mre").acc().percent();  ev.at("mre").extra["macro_f1"];
//
// acc = instances whose label is right / all instances. Micro over non-None labels:
// p = correct positives / predicted positives, r = correct positives / gold positives.
// macro_f1 = mean F1 over the non-None labels that occur in gold or predictions.
// Thread safety: pure function.
#pragma once

#include <string>
#include <vector>

#include "mie/eval/tally.h"

namespace mie::eval {

// gold[i] and pred[i] are the labels of instance i (sizes must match; a missing prediction is
// `none_label`). Metric "mre": per_post = one Tally per instance, acc_per_post, per_type per label.
Evaluation score_mre(const std::vector<std::string>& gold, const std::vector<std::string>& pred,
                     const std::string& none_label = "None");

}  // namespace mie::eval
