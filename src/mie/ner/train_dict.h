// mie/ner/train_dict.h — a dictionary of the entity strings annotated in the training split, as
// per-token match features for the tagger (the tagger's word vectors are frozen GloVe rows, so it
// cannot memorise names on its own).
//
//   std::vector<std::string> types = {"LOC", "ORG", "OTHER", "PER"};
//   mie::ner::TrainDict d = mie::ner::TrainDict::build(train_posts, types);       // all posts
//   mie::ner::TrainDict fold = mie::ner::TrainDict::build(train_posts, types, 5, 2);  // folds != 2
//   std::vector<float> f(tokens.size() * stride);
//   d.features(tokens, f.data(), stride, offset);   // writes num_feats() columns from `offset`
//
// Keys are the entity's tokens normalised with text::gazetteer_key (case-insensitive, a leading
// '#' dropped). For each key the dictionary counts how often it was annotated as an entity, with
// which type, and how often the same token sequence occurs in the training tweets at all. Matching
// is a greedy left-to-right longest match; each token of a match gets: B, I, the entity ratio
// (annotated / occurrences), a count feature min(1, log(1 + annotated) / log(50)) and the share
// of each type (in the order of `types`).
// Training posts are encoded with a fold dictionary built without their own fold (jackknifing),
// so the tagger learns how far to trust a match on unseen data; dev and new posts use the
// dictionary of the whole training split, which the model file stores.
// Thread safety: immutable after build()/from_json(); features() is const and thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "mie/core/post.h"

namespace mie::ner {

class TrainDict {
 public:
  // Entities of posts whose index i has i % folds != held_out (all posts when folds <= 1).
  // Entity types not in `types` are ignored.
  static TrainDict build(const std::vector<Post>& posts, const std::vector<std::string>& types, int folds = 1,
                         int held_out = -1);
  static TrainDict from_json(const nlohmann::json& j, const std::vector<std::string>& types);
  nlohmann::json to_json() const;

  int num_feats() const { return 4 + static_cast<int>(types_.size()); }
  size_t size() const { return entries_.size(); }
  // Adds this dictionary's features for tokens[0..n) into rows of `stride` floats at `offset`.
  void features(const std::vector<std::string>& tokens, float* feats, int stride, int offset) const;

 private:
  struct Entry {
    float annotated = 0, occurrences = 0;
    std::vector<float> type_counts;
  };
  std::vector<std::string> types_;
  std::unordered_map<std::string, Entry> entries_;  // key: normalised tokens joined by '\x1f'
  std::unordered_map<std::string, bool> prefixes_;  // proper prefixes of keys
  int max_len_ = 0;
  void index_prefixes();
  void count_occurrences(const std::vector<Post>& posts, int folds, int held_out);
};

}  // namespace mie::ner
