// mie/relation/features.h — vocabularies and the integer encoding of a relation example.
//
//   mie::relation::Vocab v = mie::relation::build_vocab(train_examples, &glove, 50000, 2);
//   mie::relation::Encoded e = mie::relation::encode(v, example);
//   // e.words[i], e.glove[i], e.shapes[i], e.chars[i*kMaxChars..], e.pos_head[i] ... for the
//   // token sequence with argument markers: "... <h> Bill Cosby </h> 's star on <t> ... </t>"
//
// Word input = frozen GloVe row (glove id, 0 = none) + a trainable row (word id: 0 = no own row,
// 1 = unknown, 2..6 markers, then training words seen >= min_count times). Lookup keys are
// text::lookup_key (lower case, @/# stripped, URLs -> "<url>").
// Thread safety: a built Vocab is immutable; encode() is a pure function.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "mie/relation/example.h"

namespace mie::text {
class Embeddings;
}

namespace mie::relation {

inline constexpr int kMaxChars = 16;   // bytes per token for the char CNN
inline constexpr int kMaxDist = 20;    // relative positions are clipped to [-kMaxDist, kMaxDist]
inline constexpr int kNumDist = 2 * kMaxDist + 1;
inline constexpr int kNumSeg = 5;      // other, head, tail, marker, both
inline constexpr const char* kObjToken = "<obj>";  // MORE: starts an appended image object
enum WordId : int { kNoWord = 0, kUnkWord = 1, kHeadOpen = 2, kHeadClose = 3, kTailOpen = 4, kTailClose = 5, kObjMark = 6, kFirstWord = 7 };

struct Vocab {
  std::vector<std::string> glove_words;  // frozen rows 1..N (row 0 = zeros)
  std::vector<std::string> words;        // trainable rows, WordId layout above
  std::vector<std::string> shapes;       // 0 = unknown shape
  std::unordered_map<std::string, int> glove_index, word_index, shape_index;

  int glove_id(const std::string& key) const;
  int word_id(const std::string& key) const;  // kNoWord when the key has a GloVe row, else kUnkWord
  int shape_id(const std::string& shape) const;
  nlohmann::json to_json() const;
  static Vocab from_json(const nlohmann::json& j);  // throws mie::Error on bad structure
  void reindex();
};

// GloVe rows kept: every training key found in `glove`, plus the first `glove_top` rows (the most
// frequent words) so unseen test words still get vectors. glove may be null (no pre-training).
Vocab build_vocab(const std::vector<RelExample>& train, const text::Embeddings* glove, int glove_top, int min_count);

struct Encoded {
  int length = 0;                       // tokens incl. markers
  std::vector<int64_t> words, glove, shapes, chars, pos_head, pos_tail, seg;
  std::vector<float> token_feats;       // length x kNumTokenFeats
  int head_marker = 0, tail_marker = 0; // index of "<h>" / "<t>"
  int head_start = 0, head_end = 0, tail_start = 0, tail_end = 0;  // argument tokens (new indices)
  int head_type = -1, tail_type = -1;
  std::vector<float> image;             // kImageDim (zeros when none)
};

int num_token_feats();

// Word dropout for training is applied later (net); this is deterministic.
Encoded encode(const Vocab& v, const RelExample& ex);

}  // namespace mie::relation
