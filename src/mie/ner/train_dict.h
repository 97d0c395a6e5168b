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
// With token statistics (build(..., tokens = true), `--train-dict-tokens`), every tweet token whose
// key was part of an annotated entity also gets, after those columns: the share of its training
// occurrences inside an entity, a count feature min(1, log(1 + occurrences) / log(50)), the share
// at an entity's first token (B), and the share inside an entity of each type. They cover the
// tokens of names seen in other combinations ("Webber" of "Webber MS"), which the whole-string
// match misses.
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
                         int held_out = -1, bool tokens = false);
  static TrainDict from_json(const nlohmann::json& j, const std::vector<std::string>& types);
  nlohmann::json to_json() const;

  int num_feats() const {
    const int t = static_cast<int>(types_.size());
    return 4 + t + (with_tokens_ ? 3 + t : 0);
  }
  size_t size() const { return entries_.size(); }
  bool has_token_stats() const { return with_tokens_; }
  size_t num_token_stats() const { return tokens_.size(); }
  // Adds this dictionary's features for tokens[0..n) into rows of `stride` floats at `offset`.
  void features(const std::vector<std::string>& tokens, float* feats, int stride, int offset) const;

 private:
  struct Entry {
    float annotated = 0, occurrences = 0;
    std::vector<float> type_counts;
  };
  struct TokenEntry {
    float occurrences = 0, begins = 0;
    std::vector<float> type_counts;  // occurrences inside an entity of each type
  };
  std::vector<std::string> types_;
  bool with_tokens_ = false;
  std::unordered_map<std::string, TokenEntry> tokens_;  // key: one normalised token
  std::unordered_map<std::string, Entry> entries_;  // key: normalised tokens joined by '\x1f'
  std::unordered_map<std::string, bool> prefixes_;  // proper prefixes of keys
  int max_len_ = 0;
  void index_prefixes();
  void count_occurrences(const std::vector<Post>& posts, int folds, int held_out);
};

}  // namespace mie::ner
