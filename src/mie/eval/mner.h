// mie/eval/mner.h — MNER: exact-chunk micro P/R/F1 (conlleval / seqeval), per type.
//
//   auto aligned = mie::eval::align_predictions(gold, pred);
//   mie::eval::Evaluation ev = mie::eval::score_mner(gold, aligned);
//   ev.at("mner").total().f1;  ev.at("mner").per_type.at("PER").prf();
//
// An entity is right when a gold entity has the same span [start, end) and the same type
// (Entity::type). Predicted entities with one span collapse, the last wins (BIO input never has
// two). Thread safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "mie/core/post.h"
#include "mie/eval/tally.h"

namespace mie::eval {

// One metric named `name` over aligned gold/pred posts (span + type).
Metric entity_metric(const std::string& name, const std::vector<Post>& gold, const std::vector<Post>& pred);

Evaluation score_mner(const std::vector<Post>& gold, const std::vector<Post>& pred);

}  // namespace mie::eval
