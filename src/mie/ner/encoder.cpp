#include "mie/ner/encoder.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "mie/core/error.h"
#include "mie/io/conll.h"
#include "mie/text/embeddings.h"
#include "mie/text/features.h"
#include "mie/text/gazetteer.h"
#include "mie/text/tokenizer.h"

namespace mie::ner {

namespace {
constexpr int64_t kPad = 0, kUnk = 1;
const char* kSep = "[SEP]";

std::vector<std::string> code_points(const std::string& token) {
  std::vector<std::string> out;
  if (!text::valid_utf8(token)) {
    for (char c : token) out.emplace_back(1, c);
    return out;
  }
  for (char32_t cp : text::decode_utf8(token)) out.push_back(text::encode_utf8(cp));
  return out;
}
}  // namespace

int Encoder::base_feats() { return text::kNumFeatures + 2 + kKnowledgeFeats + kGazFeats; }
int Encoder::num_feats() const { return base_feats() + (dict_ ? dict_->num_feats() : 0); }

std::vector<std::string> Encoder::types() const {
  std::vector<std::string> t;
  for (const auto& l : labels_)
    if (l.rfind("B-", 0) == 0) t.push_back(l.substr(2));
  return t;
}

TrainDict Encoder::fold_dict(const std::vector<Post>& train, int folds, int held_out) const {
  return TrainDict::build(train, types(), folds, held_out, cfg_.train_dict_tokens);
}

void Encoder::load_gazetteers() {
  gz_.reset();
  if (!cfg_.use_gazetteers) return;
  gz_ = text::shared_gazetteer();
  for (int g = 0; g < kGazFeats / 2; ++g) {
    gz_index_[g] = gz_->index(kNerGazetteers[g]);
    if (gz_index_[g] < 0)
      throw Error(std::string("gazetteer list '") + kNerGazetteers[g] + "' is missing from " + text::default_gazetteer_dir() +
                  " (run scripts/setup.sh)");
  }
}

std::vector<KnowledgeEntity> parse_knowledge(const std::string& knowledge) {
  std::vector<KnowledgeEntity> out;
  size_t begin = knowledge.find("Named entities");
  if (begin == std::string::npos) return out;
  size_t end = knowledge.find("Reasoning", begin);
  std::string list = knowledge.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
  // Items look like "1. Donald Trump (person/president)"; numbers may follow ")" directly.
  size_t pos = 0;
  while (pos < list.size()) {
    size_t dot = list.find(". ", pos);
    if (dot == std::string::npos) break;
    size_t d0 = dot;
    while (d0 > pos && std::isdigit(static_cast<unsigned char>(list[d0 - 1]))) --d0;
    if (d0 == dot) {  // not "<number>. "
      pos = dot + 2;
      continue;
    }
    size_t open = list.find('(', dot);
    size_t next_item = list.find(". ", dot + 2);
    std::string name, type;
    if (open != std::string::npos && (next_item == std::string::npos || open < next_item)) {
      size_t close = list.find(')', open);
      name = list.substr(dot + 2, open - dot - 2);
      type = list.substr(open + 1, close == std::string::npos ? std::string::npos : close - open - 1);
      pos = close == std::string::npos ? list.size() : close + 1;
    } else {
      pos = dot + 2;
      continue;
    }
    while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back()))) name.pop_back();
    if (name.empty() || !text::valid_utf8(name)) continue;
    KnowledgeEntity e;
    for (const auto& t : text::tokenize(name)) e.keys.push_back(text::lookup_key(t));
    std::string ty = text::to_lower(type);
    auto has = [&](std::initializer_list<const char*> words) {
      for (const char* w : words)
        if (ty.find(w) != std::string::npos) return true;
      return false;
    };
    if (has({"person", "people", "politician", "athlete", "actor", "actress", "singer", "musician", "player",
             "artist", "author", "character", "president", "rapper", "journalist"}))
      e.type = 0;
    else if (has({"location", "country", "city", "state", "place", "region", "continent", "island", "province",
                  "county", "town", "village", "neighborhood", "street", "park", "river", "mountain"}))
      e.type = 1;
    else if (has({"organization", "organisation", "company", "team", "band", "agency", "university", "school",
                  "party", "club", "brand", "network", "channel", "newspaper", "media", "government", "league",
                  "association", "group", "business", "institution", "corporation"}))
      e.type = 2;
    else
      e.type = 3;
    if (!e.keys.empty()) out.push_back(std::move(e));
  }
  return out;
}

std::vector<std::string> Encoder::context_tokens(const Post& p) const {
  // The (short) caption first: the knowledge text alone would fill the max_context budget.
  std::string ctx = p.caption;
  if (!p.knowledge.empty()) ctx += (ctx.empty() ? "" : " ") + p.knowledge;
  if (ctx.empty()) return {};
  std::vector<std::string> toks;
  try {
    toks = text::tokenize(ctx);
  } catch (const Error& e) {
    throw Error("post " + p.id + ": context: " + e.what());
  }
  if (static_cast<int>(toks.size()) > cfg_.max_context) toks.resize(static_cast<size_t>(cfg_.max_context));
  return toks;
}

void Encoder::index() {
  word_ix_.clear();
  char_ix_.clear();
  shape_ix_.clear();
  label_ix_.clear();
  for (size_t i = 0; i < words_.size(); ++i) word_ix_.emplace(words_[i], static_cast<int64_t>(i));
  for (size_t i = 0; i < chars_.size(); ++i) char_ix_.emplace(chars_[i], static_cast<int64_t>(i));
  for (size_t i = 0; i < shapes_.size(); ++i) shape_ix_.emplace(shapes_[i], static_cast<int64_t>(i));
  for (size_t i = 0; i < labels_.size(); ++i) label_ix_.emplace(labels_[i], static_cast<int>(i));
}

Encoder Encoder::build(const std::vector<Post>& train, const text::Embeddings& glove, const EncoderConfig& cfg,
                       bool use_context, std::vector<float>& vectors) {
  Encoder e;
  e.cfg_ = cfg;
  e.word_dim_ = glove.dim();
  std::map<std::string, int> char_counts;
  std::set<std::string> shapes, types;
  std::vector<int> rows;  // GloVe row per kept word (index >= 3)
  std::set<std::string> kept;
  e.words_ = {"<pad>", "<unk>", kSep};  // ids below Encoder::kFirstWord
  auto keep_word = [&](const std::string& key) {
    if (kept.count(key)) return;
    int r = glove.find(key);
    if (r < 0) return;
    kept.insert(key);
    e.words_.push_back(key);
    rows.push_back(r);
  };
  for (const Post& p : train) {
    std::vector<std::string> toks = p.tokens;
    if (use_context) {
      auto ctx = e.context_tokens(p);
      toks.insert(toks.end(), ctx.begin(), ctx.end());
    }
    for (const auto& t : toks) {
      keep_word(text::lookup_key(t));
      for (auto& c : code_points(t)) ++char_counts[c];
      shapes.insert(text::word_shape(t));
    }
    for (const auto& ent : p.entities) types.insert(ent.type);
  }
  const int top = std::min<int>(cfg.glove_top, static_cast<int>(glove.size()));
  for (int i = 0; i < top; ++i) keep_word(std::string(glove.word(i)));
  e.chars_ = {"<pad>", "<unk>"};
  for (auto& [c, n] : char_counts)
    if (n >= cfg.min_char_count) e.chars_.push_back(c);
  e.shapes_ = {"<pad>", "<unk>"};
  e.shapes_.insert(e.shapes_.end(), shapes.begin(), shapes.end());
  e.labels_ = {"O"};
  for (const auto& t : types) {
    e.labels_.push_back("B-" + t);
    e.labels_.push_back("I-" + t);
  }
  const int d = glove.dim();
  vectors.assign(e.words_.size() * static_cast<size_t>(d), 0.f);
  for (size_t k = 0; k < rows.size(); ++k)
    std::copy(glove.row(rows[k]), glove.row(rows[k]) + d, vectors.begin() + static_cast<std::ptrdiff_t>((k + 3) * d));
  e.index();
  e.load_gazetteers();
  if (cfg.use_train_dict)
    e.dict_ = std::make_shared<const TrainDict>(TrainDict::build(train, e.types(), 1, -1, cfg.train_dict_tokens));
  return e;
}

nlohmann::json Encoder::to_json() const {
  nlohmann::json j = {{"glove_top", cfg_.glove_top}, {"max_context", cfg_.max_context}, {"min_char_count", cfg_.min_char_count},
          {"use_gazetteers", cfg_.use_gazetteers}, {"word_dim", word_dim_}, {"words", words_}, {"chars", chars_}, {"shapes", shapes_}, {"labels", labels_},
          {"num_feats", num_feats()}, {"max_word_chars", kMaxWordChars}};
  if (gz_) {  // the lists' fingerprints: a model refuses lists that differ (check_gazetteers)
    nlohmann::json fp = nlohmann::json::object();
    for (int g = 0; g < kGazFeats / 2; ++g) fp[kNerGazetteers[g]] = gz_->fingerprint(gz_index_[g]);
    j["gazetteer_fingerprints"] = fp;
  }
  if (dict_) {
    j["use_train_dict"] = true;
    j["train_dict"] = dict_->to_json();
  }
  return j;
}

Encoder Encoder::from_json(const nlohmann::json& j) {
  Encoder e;
  try {
    e.cfg_.glove_top = j.at("glove_top").get<int>();
    e.cfg_.max_context = j.at("max_context").get<int>();
    e.cfg_.min_char_count = j.at("min_char_count").get<int>();
    e.cfg_.use_gazetteers = j.value("use_gazetteers", false);
    e.word_dim_ = j.at("word_dim").get<int>();
    e.words_ = j.at("words").get<std::vector<std::string>>();
    e.chars_ = j.at("chars").get<std::vector<std::string>>();
    e.shapes_ = j.at("shapes").get<std::vector<std::string>>();
    e.labels_ = j.at("labels").get<std::vector<std::string>>();
    e.cfg_.use_train_dict = j.value("use_train_dict", false);
    if (e.cfg_.use_train_dict) {
      e.dict_ = std::make_shared<const TrainDict>(TrainDict::from_json(j.at("train_dict"), e.types()));
      e.cfg_.train_dict_tokens = e.dict_->has_token_stats();
    }
    if (j.at("num_feats").get<int>() != e.num_feats() || j.at("max_word_chars").get<int>() != kMaxWordChars)
      throw Error("the model was trained with a different feature set; retrain it");
  } catch (const nlohmann::json::exception& ex) {
    throw Error(std::string("malformed NER encoder header: ") + ex.what());
  }
  if (e.words_.size() < 3 || e.labels_.empty()) throw Error("malformed NER encoder header: empty vocabulary");
  e.index();
  e.load_gazetteers();
  if (e.gz_ && j.contains("gazetteer_fingerprints"))
    for (int g = 0; g < kGazFeats / 2; ++g) {
      const std::string want = j["gazetteer_fingerprints"].value(kNerGazetteers[g], std::string());
      const std::string have = e.gz_->fingerprint(e.gz_index_[g]);
      if (!want.empty() && want != have)
        throw Error(std::string("gazetteer list '") + kNerGazetteers[g] + "' in " + text::default_gazetteer_dir() +
                    " differs from the one the model was trained with (fingerprint " + have + ", the model's " + want +
                    "): rebuild the lists from the same sources (scripts/setup.sh) or retrain the model");
    }
  return e;
}

int Encoder::label_id(const std::string& tag) const {
  auto it = label_ix_.find(tag);
  if (it == label_ix_.end()) throw Error("tag '" + tag + "' is not among the model's labels");
  return it->second;
}

int64_t Encoder::word_id(const std::string& token) const {
  auto it = word_ix_.find(text::lookup_key(token));
  return it == word_ix_.end() ? kUnk : it->second;
}

EncodedPost Encoder::encode(const Post& p, bool use_context, const TrainDict* dict) const {
  EncodedPost out;
  out.n_tweet = static_cast<int>(p.tokens.size());
  std::vector<std::string> toks = p.tokens;
  std::vector<text::FeatureBits> fb = text::token_features(p.tokens);
  size_t n_ctx_begin = toks.size();
  if (use_context) {
    auto ctx = context_tokens(p);
    if (!ctx.empty()) {
      toks.push_back(kSep);
      fb.emplace_back();
      auto cf = text::token_features(ctx);
      toks.insert(toks.end(), ctx.begin(), ctx.end());
      fb.insert(fb.end(), cf.begin(), cf.end());
    }
  }
  const size_t n = toks.size();
  const int nf = num_feats();
  out.n_feats = nf;
  out.words.resize(n);
  out.shapes.resize(n);
  out.chars.assign(n * kMaxWordChars, kPad);
  out.feats.assign(n * static_cast<size_t>(nf), 0.f);
  for (size_t i = 0; i < n; ++i) {
    const bool sep = i == n_ctx_begin;
    out.words[i] = sep ? 2 : word_id(toks[i]);
    auto sit = shape_ix_.find(text::word_shape(toks[i]));
    out.shapes[i] = sit == shape_ix_.end() ? kUnk : sit->second;
    auto cps = code_points(toks[i]);
    for (size_t c = 0; c < cps.size() && c < static_cast<size_t>(kMaxWordChars); ++c) {
      auto cit = char_ix_.find(cps[c]);
      out.chars[i * kMaxWordChars + c] = cit == char_ix_.end() ? kUnk : cit->second;
    }
    for (int f = 0; f < text::kNumFeatures; ++f)
      if (fb[i].test(static_cast<size_t>(f))) out.feats[i * nf + f] = 1.f;
    if (i >= n_ctx_begin) out.feats[i * nf + text::kNumFeatures] = 1.f;
    if (sep) out.feats[i * nf + text::kNumFeatures + 1] = 1.f;
  }
  if (gz_) {
    const text::GazetteerTags gt = gz_->match(toks);
    const int base = text::kNumFeatures + 2 + kKnowledgeFeats;
    for (size_t i = 0; i < n; ++i)
      for (int g = 0; g < kGazFeats / 2; ++g) {
        const text::GazTag t = gt.at(static_cast<int>(i), gz_index_[g]);
        if (t != text::kGazO) out.feats[i * nf + base + 2 * g + (t == text::kGazB ? 0 : 1)] = 1.f;
      }
  }
  if (!dict) dict = dict_.get();
  if (dict && cfg_.use_train_dict) dict->features(p.tokens, out.feats.data(), nf, base_feats());
  if (use_context && !p.knowledge.empty()) {
    // Knowledge matches on tweet tokens: per coarse type (PER, LOC, ORG, OTHER) B and I, plus "any".
    std::vector<std::string> keys;
    for (const auto& t : p.tokens) keys.push_back(text::lookup_key(t));
    const int base = text::kNumFeatures + 2;
    for (const auto& ke : parse_knowledge(p.knowledge)) {
      const size_t m = ke.keys.size();
      for (size_t s = 0; s + m <= keys.size(); ++s) {
        bool ok = true;
        for (size_t k = 0; k < m && ok; ++k) ok = keys[s + k] == ke.keys[k];
        if (!ok) continue;
        for (size_t k = 0; k < m; ++k) {
          float* f = &out.feats[(s + k) * nf + base];
          f[ke.type * 2 + (k == 0 ? 0 : 1)] = 1.f;
          f[8] = 1.f;
        }
      }
    }
  }
  out.labels.assign(p.tokens.size(), -1);
  if (!p.entities.empty()) {
    auto tags = io::encode_bio(p.entities, static_cast<int>(p.tokens.size()));
    for (size_t i = 0; i < tags.size(); ++i) {
      auto it = label_ix_.find(tags[i]);
      out.labels[i] = it == label_ix_.end() ? 0 : it->second;  // unseen type -> O
    }
  } else {
    std::fill(out.labels.begin(), out.labels.end(), 0);
  }
  return out;
}

}  // namespace mie::ner
