// mie/eval/jmere.h — joint multimodal entity-relation extraction (JMERE) scores.
//
//   auto aligned = mie::eval::align_predictions(gold, pred);
//   mie::eval::Evaluation ev = mie::eval::score_jmere(gold, aligned);
//   ev.at("jmere_entity").total().f1;   // (span, type)
//   ev.at("jmere_triple").total().f1;   // (head span, head type, tail span, tail type, relation)
//   ev.at("jmere_triple_undirected").total().f1;   // the same, head and tail in either order
//
// A triple is right when a gold triple has the same head span and type, tail span and type and
// relation label. Types are compared as PER, ORG, LOC or MISC (GMNER's OTHER, MNRE's misc and
// every other type are MISC), so GMNER-typed predictions score against MNRE-typed gold. Identical triples in one post count once; relations labelled `none_label`
// (or "") are not triples. Thread safety: pure function.
#pragma once

#include <string>
#include <vector>

#include "mie/core/post.h"
#include "mie/eval/tally.h"

namespace mie::eval {

Evaluation score_jmere(const std::vector<Post>& gold, const std::vector<Post>& pred,
                       const std::string& none_label = "None");

}  // namespace mie::eval
