// mie/relation/example.h — one (head, tail) argument pair to classify, from MNRE or a Post.
//
//   auto ex = mie::relation::from_mnre(inst, /*id=*/17);          // MNRE instance -> example
//   auto pairs = mie::relation::entity_pairs(post);                 // JMERE: ordered pairs i != j
//   auto ex2 = mie::relation::from_post(post, pairs[0].first, pairs[0].second);
//
// Argument types are ArgType indices (schema.h) or -1 when unknown (MNRE gives none; a Post's
// entities carry their NER type). `image` is empty or image_signals.h's kImageDim floats; an
// empty or all-zero vector means "no image".
// Thread safety: plain values and pure functions.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "mie/core/post.h"
#include "mie/io/mnre.h"

namespace mie::relation {

struct RelArg {
  int start = 0, end = 0;  // half-open token range
  int type = -1;           // ArgType or -1
};

struct RelExample {
  std::string id;
  std::vector<std::string> tokens;
  RelArg head, tail;
  std::vector<float> image;  // empty = no image
  std::string label;         // gold label, "" when unknown
};

// Throws mie::Error when a span is empty or outside the tokens, or there are no tokens.
void validate(const RelExample& ex);

RelExample from_mnre(const io::MreInstance& m, long id);
std::vector<RelExample> from_mnre(const std::vector<io::MreInstance>& ms);

// All ordered pairs (i, j), i != j, of the post's entities, in row-major order.
std::vector<std::pair<int, int>> entity_pairs(const Post& p);
// The pair as an example (types from Entity::type via arg_type_from_ner).
RelExample from_post(const Post& p, int head, int tail);

}  // namespace mie::relation
