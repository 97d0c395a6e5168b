// mie/typing/features.h — the label hierarchy and the inputs of the fine-grained typing model.
//
//   mie::typing::Labels lab = mie::typing::Labels::from_tree(tree);      // 8 coarse, 51 fine
//   lab.parent[lab.fine_id("politician")] == lab.coarse_id("person");
//
//   mie::typing::Resources res{&wordnet, &gazetteer};                     // either may be null
//   mie::typing::FeatureConfig cfg;                                        // groups on/off
//   auto fz = mie::typing::Featurizer::build(train_posts, glove, res, cfg, vectors);  // training
//   mie::typing::EncodedPost e = fz.encode(post, res);     // word ids + one EncodedEntity per entity
//
// Per post: word ids into the kept GloVe rows (lookup_key of each token; 0 = padding,
// 1 = unknown) and the caption's word ids. Per entity: its span and a bag of sparse feature ids.
// Feature groups (strings, kept when seen >= min_count times in training):
//   mention  "w:", "full:", "first:", "last:", "len:", "shape:", "c3:"/"c4:" character n-grams,
//            "tf:" tweet features (hashtag, mention, all-caps...), "prev:"/"next:" neighbour words
//   wordnet  WordNet::features() of the mention ("i:physicist.10428004", "lex:noun.person")
//   gazetteer "gz:<list>" (whole mention is an entry), "gzp:<list>" (a token of the mention lies
//            in a longest-match of the list), "gzl:<list>" (the last token alone is an entry)
//   caption  "cap:<word>" content words of Post::caption (+ the caption's GloVe mean in the net)
//   knowledge (off by default) where the mention occurs in Post::knowledge (the RiVEG/PGIM LLM
//            text "Named entities: 1. Webber MS (organization/school) ..."): "kt:<word>" words of
//            the parenthesis right after it, "kw:<word>" the next content words, "kn:absent"
// A group whose resource is missing at build time is switched off (recorded in the config); at
// load time a model needing a resource that is absent throws mie::Error.
// Thread safety: a built Featurizer is immutable; encode() is const and thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "mie/core/post.h"
#include "mie/io/fmnerg.h"
#include "mie/text/features.h"

namespace mie::text {
class Embeddings;
class Gazetteer;
struct GazetteerTags;
}  // namespace mie::text

namespace mie::typing {

class WordNet;

struct Labels {
  std::vector<std::string> coarse, fine;
  std::vector<int> parent;  // fine id -> coarse id
  static Labels from_tree(const io::TypeTree& tree);
  static Labels from_json(const nlohmann::json& j);  // throws mie::Error
  nlohmann::json to_json() const;
  int coarse_id(const std::string& c) const;  // -1 when unknown
  int fine_id(const std::string& f) const;    // aliases ("common_person") resolved; -1 when unknown
};

struct FeatureConfig {
  bool mention = true, wordnet = true, gazetteer = true, caption = true;
  bool knowledge = false;   // LLM-written knowledge (Post::knowledge): not comparable with text-only systems
  int min_count = 2;        // sparse features rarer than this in training are dropped
  int glove_top = 30000;    // GloVe rows kept besides the training words
  int max_caption = 40;     // caption tokens used
  nlohmann::json to_json() const;
  static FeatureConfig from_json(const nlohmann::json& j);
};

struct Resources {
  const WordNet* wordnet = nullptr;
  const text::Gazetteer* gazetteer = nullptr;
};

struct EncodedEntity {
  int start = 0, end = 0;
  std::vector<int64_t> feats;  // sparse feature ids (may be empty)
  int64_t fine = -1;           // gold fine id, -1 unknown
};

struct EncodedPost {
  std::vector<int64_t> words;    // one per token
  std::vector<int64_t> caption;  // caption word ids (known words only)
  std::vector<EncodedEntity> entities;
};

class Featurizer {
 public:
  // `vectors` receives the kept embedding rows (num_words x dim; rows 0 and 1 are zero).
  static Featurizer build(const std::vector<Post>& train, const text::Embeddings& glove, const Resources& res,
                          FeatureConfig cfg, std::vector<float>& vectors);
  static Featurizer from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;

  // Entities of the post in order; `labels` (optional) fills EncodedEntity::fine from fine_type.
  EncodedPost encode(const Post& p, const Resources& res, const Labels* labels = nullptr) const;
  // The sparse feature strings of one entity before vocabulary lookup (for tests and debugging).
  std::vector<std::string> feature_strings(const Post& p, const Entity& e, const Resources& res,
                                           const text::GazetteerTags* gz_tags = nullptr,
                                           const std::vector<text::FeatureBits>* tf_cache = nullptr) const;

  const FeatureConfig& config() const { return cfg_; }
  size_t num_words() const { return words_.size(); }
  size_t num_feats() const { return feats_.size(); }
  int word_dim() const { return word_dim_; }

 private:
  int64_t word_id(const std::string& token) const;
  void index();
  FeatureConfig cfg_;
  int word_dim_ = 0;
  std::vector<std::string> words_, feats_;
  std::unordered_map<std::string, int64_t> word_ix_, feat_ix_;
};

// Caption tokens: whitespace split, lookup_key()'d, stop words and punctuation removed.
std::vector<std::string> caption_words(const std::string& caption, int max_words);

}  // namespace mie::typing
