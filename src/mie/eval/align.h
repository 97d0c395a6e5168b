// mie/eval/align.h — pair predictions with gold posts by id, and key entities by span.
//
//   std::vector<mie::Post> aligned = mie::eval::align_predictions(gold, pred, "pred.jsonl");
//   // aligned[i] is the prediction for gold[i]; an empty post (no entities) where none was given
//
// Thread safety: free functions, no shared state.
#pragma once

#include <string>
#include <vector>

#include "mie/core/post.h"

namespace mie::eval {

// Returns one prediction per gold post, in gold order. A gold post without a prediction gets an
// empty prediction (it predicts nothing). Throws mie::Error naming `pred_name` when: a
// prediction's id is not in gold, two predictions share an id, two gold posts share an id, a
// prediction carries tokens that differ from the gold tokens, an entity span is out of range
// (start < 0, end <= start, end > tokens) or a relation points at a missing entity.
std::vector<Post> align_predictions(const std::vector<Post>& gold, const std::vector<Post>& pred,
                                    const std::string& pred_name = "predictions");

// Throws mie::Error when a gold post's entity or relation is out of range (see above).
void check_post(const Post& p, const std::string& what);

// The entities of a post keyed by span (start, end): a later entity with the same span replaces
// an earlier one ("duplicates collapse and the last wins"), in first-occurrence order.
std::vector<const Entity*> unique_spans(const std::vector<Entity>& entities);

}  // namespace mie::eval
