// mie/ner/encoder.h — turns posts into the integer/float inputs of the NER tagger.
//
//   mie::ner::Encoder enc = mie::ner::Encoder::build(train_posts, glove, cfg);   // training
//   mie::ner::Encoder enc2 = mie::ner::Encoder::from_json(section.header["encoder"]);
//   mie::ner::EncodedPost e = enc.encode(post, /*use_context=*/true);
//
// Per token: a word id (lower-cased lookup_key into the kept GloVe rows; 0 = padding,
// 1 = unknown), up to kMaxWordChars character ids (code points seen in training; 1 = unknown),
// a word-shape id and the text::token_features bits. With context, tweet tokens that match an
// entity listed in the post's LLM knowledge get match features (type B/I), and with
// max_context > 0 the caption and then the knowledge tokens follow the tweet after a "[SEP]" token
// (truncated to max_context tokens); only the first n_tweet positions carry labels. Labels are BIO tags ("O", "B-PER", ...).
// With cfg.use_gazetteers every token also gets B/I features for greedy longest matches in the
// city, company, country, person and region lists of text::shared_gazetteer() (loaded from
// default_gazetteer_dir() at build and load time; a missing list throws mie::Error).
// With cfg.use_train_dict the tweet tokens also get TrainDict features (train_dict.h); the
// dictionary of the whole training split is stored in the encoder's JSON.
// Thread safety: a built Encoder is immutable; encode() is safe from many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "mie/core/post.h"
#include "mie/ner/train_dict.h"

namespace mie::text {
class Embeddings;
class Gazetteer;
}

namespace mie::ner {

inline constexpr int kMaxWordChars = 20;
inline constexpr int kKnowledgeFeats = 9;  // B/I x PER, LOC, ORG, OTHER + any
// Gazetteer lists the tagger reads (text/gazetteer.h, built by scripts/setup.sh), B and I each.
inline constexpr const char* kNerGazetteers[] = {"city", "company", "country", "person", "region"};
inline constexpr int kGazFeats = 2 * 5;

// An entity the LLM knowledge lists ("Named entities: 1. Donald Trump (person/president) ..."):
// lookup keys of its tokens and a coarse type (0 PER, 1 LOC, 2 ORG, 3 OTHER).
struct KnowledgeEntity {
  std::vector<std::string> keys;
  int type = 3;
};
std::vector<KnowledgeEntity> parse_knowledge(const std::string& knowledge);

struct EncoderConfig {
  int glove_top = 50000;     // keep the first N GloVe words (frequency order) besides train words
  int max_context = 0;       // context tokens encoded after [SEP] (0: knowledge-match features only)
  int min_char_count = 2;    // rarer characters map to unknown
  bool use_gazetteers = true;  // B/I match features of kNerGazetteers (text::shared_gazetteer())
  bool use_train_dict = false; // match features of the training split's entity strings (train_dict.h)
  bool train_dict_tokens = false;  // with use_train_dict: the dictionary's per-token statistics too
};

struct EncodedPost {
  int n_tweet = 0;                 // labelled positions
  std::vector<int64_t> words;      // n
  std::vector<int64_t> chars;      // n * kMaxWordChars, 0-padded
  std::vector<int64_t> shapes;     // n
  int n_feats = 0;                 // feature columns (Encoder::num_feats())
  std::vector<float> feats;        // n * n_feats
  std::vector<int64_t> labels;     // n_tweet, -1 when unknown (prediction)
  size_t size() const { return words.size(); }
};

class Encoder {
 public:
  // Word ids: 0 <pad>, 1 <unk>, 2 the [SEP] before the context, then the kept words.
  static constexpr int64_t kUnkWord = 1, kFirstWord = 3;
  // Vocabulary from the training posts (+ context if use_context) and GloVe rows.
  // `vectors` receives the kept embedding rows, (words().size() x dim), rows 0/1 zero.
  static Encoder build(const std::vector<Post>& train, const text::Embeddings& glove, const EncoderConfig& cfg,
                       bool use_context, std::vector<float>& vectors);
  static Encoder from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;

  // `dict` replaces the stored training dictionary (jackknifed training folds); nullptr: the stored one.
  EncodedPost encode(const Post& p, bool use_context, const TrainDict* dict = nullptr) const;
  // Tokens that form the context part (after [SEP]); empty when the post has no context.
  std::vector<std::string> context_tokens(const Post& p) const;

  const std::vector<std::string>& labels() const { return labels_; }
  int label_id(const std::string& tag) const;  // throws mie::Error for an unseen tag
  size_t num_words() const { return words_.size(); }
  size_t num_chars() const { return chars_.size(); }
  size_t num_shapes() const { return shapes_.size(); }
  int num_feats() const;
  static int base_feats();  // the columns every encoder has (tweet, knowledge and gazetteer features)
  std::vector<std::string> types() const;  // entity types of the labels, in label order
  // The training dictionary of `train` without the posts i with i % folds == held_out (the
  // jackknife fold that a training post is encoded with).
  TrainDict fold_dict(const std::vector<Post>& train, int folds, int held_out) const;
  int word_dim() const { return word_dim_; }

 private:
  int64_t word_id(const std::string& token) const;
  EncoderConfig cfg_;
  std::shared_ptr<const text::Gazetteer> gz_;
  std::shared_ptr<const TrainDict> dict_;  // set when cfg_.use_train_dict
  int gz_index_[kGazFeats / 2] = {};
  void load_gazetteers();
  int word_dim_ = 0;
  std::vector<std::string> words_, chars_, shapes_, labels_;
  std::unordered_map<std::string, int64_t> word_ix_, char_ix_, shape_ix_;
  std::unordered_map<std::string, int> label_ix_;
  void index();
};

}  // namespace mie::ner
