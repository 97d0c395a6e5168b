#include "mie/typing/features.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "mie/core/error.h"
#include "mie/text/embeddings.h"
#include "mie/text/features.h"
#include "mie/text/gazetteer.h"
#include "mie/typing/wordnet.h"

namespace mie::typing {

// ---------------------------------------------------------------------------------------------
// Labels

Labels Labels::from_tree(const io::TypeTree& tree) {
  Labels l;
  l.coarse = tree.coarse;
  for (size_t c = 0; c < tree.coarse.size(); ++c) {
    auto it = tree.coarse_to_fine.find(tree.coarse[c]);
    if (it == tree.coarse_to_fine.end()) continue;
    for (const auto& f : it->second) {
      l.fine.push_back(f);
      l.parent.push_back(static_cast<int>(c));
    }
  }
  if (l.coarse.empty() || l.fine.empty()) throw Error("typing: empty type tree");
  return l;
}

nlohmann::json Labels::to_json() const { return {{"coarse", coarse}, {"fine", fine}, {"parent", parent}}; }

Labels Labels::from_json(const nlohmann::json& j) {
  Labels l;
  try {
    l.coarse = j.at("coarse").get<std::vector<std::string>>();
    l.fine = j.at("fine").get<std::vector<std::string>>();
    l.parent = j.at("parent").get<std::vector<int>>();
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("typing: bad label header: ") + e.what());
  }
  if (l.parent.size() != l.fine.size()) throw Error("typing: label header has mismatched fine/parent lists");
  for (int p : l.parent)
    if (p < 0 || p >= static_cast<int>(l.coarse.size())) throw Error("typing: label header parent out of range");
  return l;
}

int Labels::coarse_id(const std::string& c) const {
  auto it = std::find(coarse.begin(), coarse.end(), c);
  return it == coarse.end() ? -1 : static_cast<int>(it - coarse.begin());
}

int Labels::fine_id(const std::string& f) const {
  const std::string n = io::normalize_fine_type(f);
  auto it = std::find(fine.begin(), fine.end(), n);
  return it == fine.end() ? -1 : static_cast<int>(it - fine.begin());
}

// ---------------------------------------------------------------------------------------------
// Config

nlohmann::json FeatureConfig::to_json() const {
  return {{"mention", mention}, {"wordnet", wordnet},     {"gazetteer", gazetteer},    {"caption", caption}, {"knowledge", knowledge},
          {"min_count", min_count}, {"glove_top", glove_top}, {"max_caption", max_caption}};
}

FeatureConfig FeatureConfig::from_json(const nlohmann::json& j) {
  FeatureConfig c;
  c.mention = j.value("mention", c.mention);
  c.wordnet = j.value("wordnet", c.wordnet);
  c.gazetteer = j.value("gazetteer", c.gazetteer);
  c.caption = j.value("caption", c.caption);
  c.knowledge = j.value("knowledge", c.knowledge);
  c.min_count = j.value("min_count", c.min_count);
  c.glove_top = j.value("glove_top", c.glove_top);
  c.max_caption = j.value("max_caption", c.max_caption);
  return c;
}

// ---------------------------------------------------------------------------------------------
// Helpers

namespace {

const std::set<std::string>& stop_words() {
  static const std::set<std::string> s = {
      "a",    "an",   "the",  "of",   "in",   "on",   "at",   "to",    "with", "and",  "or",   "is",
      "are",  "for",  "from", "by",   "it",   "its",  "that", "this",  "there", "while", "his", "her",
      "their", "has", "have", "as",   "be",   "some", "other", "into", "up",   "down", "near", "next"};
  return s;
}

bool has_alnum(const std::string& s) {
  for (unsigned char c : s)
    if (std::isalnum(c) || c >= 0x80) return true;
  return false;
}

const char* const kTokFeatNames[] = {"mention", "hashtag", "tagmark", "url",   "emoji",   "rt",
                                     "allcaps", "initcap", "lower",   "mixed", "digit",   "alldigit",
                                     "punct",   "first",   "afterpunct", "nonascii", "camel"};
static_assert(sizeof(kTokFeatNames) / sizeof(kTokFeatNames[0]) == text::kNumFeatures);

std::string ascii_lower(std::string_view s) {
  std::string o(s);
  for (auto& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

// Where the mention occurs in the LLM knowledge text: the words of a parenthesis right after it
// ("Pakistan (country)") and the next content words.
void knowledge_features(const std::string& knowledge, const std::vector<std::string>& toks, std::vector<std::string>& f) {
  if (knowledge.empty()) return;
  const std::string text = ascii_lower(knowledge);
  std::string spaced, joined;
  for (const auto& t : toks) {
    std::string k = ascii_lower(t);
    while (!k.empty() && (k[0] == '@' || k[0] == '#')) k.erase(0, 1);
    if (k.empty()) continue;
    spaced += (spaced.empty() ? "" : " ") + k;
    joined += k;
  }
  if (spaced.empty()) return;
  int found = 0;
  for (const std::string& needle : {spaced, joined}) {
    for (size_t pos = text.find(needle); pos != std::string::npos && found < 3; pos = text.find(needle, pos + 1)) {
      const bool left_ok = pos == 0 || !std::isalnum(static_cast<unsigned char>(text[pos - 1]));
      size_t end = pos + needle.size();
      const bool right_ok = end >= text.size() || !std::isalnum(static_cast<unsigned char>(text[end]));
      if (!left_ok || !right_ok) continue;
      ++found;
      while (end < text.size() && text[end] == ' ') ++end;
      if (end < text.size() && text[end] == '(') {
        size_t close = text.find(')', end);
        if (close != std::string::npos && close - end < 80) {
          std::string inside = text.substr(end + 1, close - end - 1), w;
          for (char c : inside + " ") {
            if (std::isalnum(static_cast<unsigned char>(c))) w += c;
            else if (!w.empty()) {
              f.push_back("kt:" + w);
              w.clear();
            }
          }
          end = close + 1;
        }
      }
      std::istringstream rest(text.substr(end, 160));
      std::string w;
      int n = 0;
      while (rest >> w && n < 8) {
        while (!w.empty() && !std::isalnum(static_cast<unsigned char>(w.back()))) w.pop_back();
        while (!w.empty() && !std::isalnum(static_cast<unsigned char>(w.front()))) w.erase(0, 1);
        if (w.empty() || stop_words().count(w)) continue;
        f.push_back("kw:" + w);
        ++n;
      }
    }
    if (found) break;
  }
  if (!found) f.push_back("kn:absent");
}

}  // namespace

std::vector<std::string> caption_words(const std::string& caption, int max_words) {
  std::vector<std::string> out;
  std::istringstream ss(caption);
  std::string w;
  while (ss >> w && static_cast<int>(out.size()) < max_words) {
    while (!w.empty() && std::ispunct(static_cast<unsigned char>(w.back())) && w.back() != '#') w.pop_back();
    std::string k = text::lookup_key(w);
    if (k.empty() || !has_alnum(k) || stop_words().count(k)) continue;
    out.push_back(k);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Featurizer

void Featurizer::index() {
  word_ix_.clear();
  feat_ix_.clear();
  for (size_t i = 0; i < words_.size(); ++i) word_ix_.emplace(words_[i], static_cast<int64_t>(i));
  for (size_t i = 0; i < feats_.size(); ++i) feat_ix_.emplace(feats_[i], static_cast<int64_t>(i));
}

int64_t Featurizer::word_id(const std::string& token) const {
  auto it = word_ix_.find(text::lookup_key(token));
  return it == word_ix_.end() ? 1 : it->second;
}

std::vector<std::string> Featurizer::feature_strings(const Post& p, const Entity& e, const Resources& res,
                                                     const text::GazetteerTags* gz_tags,
                                                     const std::vector<text::FeatureBits>* tf_cache) const {
  std::vector<std::string> f;
  const int n = static_cast<int>(p.tokens.size());
  if (e.start < 0 || e.end > n || e.start >= e.end)
    throw Error("typing: entity span [" + std::to_string(e.start) + "," + std::to_string(e.end) + ") outside post " + p.id);
  std::vector<std::string> toks(p.tokens.begin() + e.start, p.tokens.begin() + e.end);
  if (cfg_.mention) {
    std::string full;
    for (size_t i = 0; i < toks.size(); ++i) {
      std::string k = text::lookup_key(toks[i]);
      f.push_back("w:" + k);
      f.push_back("shape:" + text::word_shape(toks[i]));
      full += (i ? " " : "") + k;
    }
    f.push_back("full:" + full);
    f.push_back("first:" + text::lookup_key(toks.front()));
    f.push_back("last:" + text::lookup_key(toks.back()));
    f.push_back("len:" + std::to_string(std::min<size_t>(toks.size(), 5)));
    // character n-grams over code points (never split a UTF-8 sequence)
    std::vector<std::string> cps = {"<"};
    for (size_t i = 0; i < full.size();) {
      size_t len = 1;
      const auto c = static_cast<unsigned char>(full[i]);
      if (c >= 0xF0) len = 4;
      else if (c >= 0xE0) len = 3;
      else if (c >= 0xC0) len = 2;
      cps.push_back(full.substr(i, len));
      i += len;
    }
    cps.push_back(">");
    for (size_t k : {3, 4})
      for (size_t i = 0; i + k <= cps.size(); ++i) {
        std::string g = "c" + std::to_string(k) + ":";
        for (size_t j = i; j < i + k; ++j) g += cps[j];
        f.push_back(std::move(g));
      }
    std::vector<text::FeatureBits> local_tf;
    if (!tf_cache) {
      local_tf = text::token_features(p.tokens);
      tf_cache = &local_tf;
    }
    const auto& tf = *tf_cache;
    std::set<int> bits;
    for (int i = e.start; i < e.end; ++i)
      for (int b = 0; b < text::kNumFeatures; ++b)
        if (tf[i].test(b)) bits.insert(b);
    for (int b : bits) f.push_back(std::string("tf:") + kTokFeatNames[b]);
    auto neighbour = [&](int i) -> std::string {
      // skip a bare "@"/"#" before the mention
      if (i >= 0 && i < n) return text::lookup_key(p.tokens[i]);
      return "<none>";
    };
    int prev = e.start - 1;
    if (prev >= 0 && (p.tokens[prev] == "@" || p.tokens[prev] == "#")) {
      f.push_back("prevmark:" + p.tokens[prev]);
      --prev;
    }
    f.push_back("prev:" + neighbour(prev));
    f.push_back("next:" + neighbour(e.end));
  }
  if (cfg_.wordnet && res.wordnet)
    for (auto& s : res.wordnet->features(toks)) f.push_back(std::move(s));
  if (cfg_.gazetteer && res.gazetteer) {
    const auto& gz = *res.gazetteer;
    std::vector<std::string> keys;
    for (const auto& t : toks) keys.push_back(text::gazetteer_key(t));
    uint32_t full = gz.lookup(keys);
    uint32_t last = gz.lookup({keys.back()});
    for (int g = 0; g < gz.size(); ++g) {
      if (full & (1u << g)) f.push_back("gz:" + gz.names()[g]);
      if (last & (1u << g)) f.push_back("gzl:" + gz.names()[g]);
    }
    text::GazetteerTags local;
    if (!gz_tags) {
      local = gz.match(p.tokens);
      gz_tags = &local;
    }
    for (int g = 0; g < gz.size(); ++g)
      for (int i = e.start; i < e.end; ++i)
        if (gz_tags->at(i, g) != text::kGazO) {
          f.push_back("gzp:" + gz.names()[g]);
          break;
        }
  }
  if (cfg_.caption)
    for (const auto& w : caption_words(p.caption, cfg_.max_caption)) f.push_back("cap:" + w);
  if (cfg_.knowledge) knowledge_features(p.knowledge, toks, f);
  return f;
}

Featurizer Featurizer::build(const std::vector<Post>& train, const text::Embeddings& glove, const Resources& res,
                             FeatureConfig cfg, std::vector<float>& vectors) {
  if (glove.empty()) throw Error("typing: empty GloVe embeddings");
  if (!res.wordnet) cfg.wordnet = false;
  if (!res.gazetteer) cfg.gazetteer = false;
  Featurizer fz;
  fz.cfg_ = cfg;
  fz.word_dim_ = glove.dim();
  // Words: training tokens and captions found in GloVe, then the most frequent GloVe rows.
  std::vector<std::string> words = {"<pad>", "<unk>"};
  std::set<std::string> seen(words.begin(), words.end());
  auto add_word = [&](const std::string& k) {
    if (seen.count(k) || glove.find(k) < 0) return;
    seen.insert(k);
    words.push_back(k);
  };
  std::map<std::string, int> counts;
  for (const auto& p : train) {
    for (const auto& t : p.tokens) add_word(text::lookup_key(t));
    if (cfg.caption)
      for (const auto& w : caption_words(p.caption, cfg.max_caption)) add_word(w);
    if (p.entities.empty()) continue;
    text::GazetteerTags tags;
    if (cfg.gazetteer) tags = res.gazetteer->match(p.tokens);
    const auto tf = text::token_features(p.tokens);
    for (const auto& e : p.entities)
      for (const auto& s : fz.feature_strings(p, e, res, cfg.gazetteer ? &tags : nullptr, &tf)) ++counts[s];
  }
  for (int i = 0; i < static_cast<int>(glove.size()) && i < cfg.glove_top; ++i) add_word(std::string(glove.word(i)));
  fz.words_ = std::move(words);
  for (const auto& [s, c] : counts)
    if (c >= cfg.min_count) fz.feats_.push_back(s);
  if (fz.feats_.empty()) fz.feats_.push_back("<none>");
  fz.index();
  const int d = glove.dim();
  vectors.assign(fz.words_.size() * static_cast<size_t>(d), 0.f);
  for (size_t i = 2; i < fz.words_.size(); ++i) {
    const float* r = glove.row(glove.find(fz.words_[i]));
    std::copy(r, r + d, vectors.begin() + static_cast<std::ptrdiff_t>(i * d));
  }
  return fz;
}

nlohmann::json Featurizer::to_json() const {
  return {{"config", cfg_.to_json()}, {"word_dim", word_dim_}, {"words", words_}, {"feats", feats_}};
}

Featurizer Featurizer::from_json(const nlohmann::json& j) {
  Featurizer fz;
  try {
    fz.cfg_ = FeatureConfig::from_json(j.at("config"));
    fz.word_dim_ = j.at("word_dim").get<int>();
    fz.words_ = j.at("words").get<std::vector<std::string>>();
    fz.feats_ = j.at("feats").get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("typing: bad featurizer header: ") + e.what());
  }
  if (fz.words_.size() < 2 || fz.feats_.empty() || fz.word_dim_ <= 0) throw Error("typing: empty featurizer vocabulary");
  fz.index();
  return fz;
}

EncodedPost Featurizer::encode(const Post& p, const Resources& res, const Labels* labels) const {
  if (cfg_.wordnet && !res.wordnet) throw Error("typing: this model needs WordNet features but no WordNet is loaded");
  if (cfg_.gazetteer && !res.gazetteer) throw Error("typing: this model needs gazetteers but none are loaded");
  EncodedPost out;
  for (const auto& t : p.tokens) out.words.push_back(word_id(t));
  if (cfg_.caption)
    for (const auto& w : caption_words(p.caption, cfg_.max_caption))
      if (auto it = word_ix_.find(w); it != word_ix_.end()) out.caption.push_back(it->second);
  text::GazetteerTags tags;
  if (cfg_.gazetteer && !p.entities.empty()) tags = res.gazetteer->match(p.tokens);
  const auto tf = text::token_features(p.tokens);
  for (const auto& e : p.entities) {
    EncodedEntity ee;
    ee.start = e.start;
    ee.end = e.end;
    for (const auto& s : feature_strings(p, e, res, cfg_.gazetteer ? &tags : nullptr, &tf))
      if (auto it = feat_ix_.find(s); it != feat_ix_.end()) ee.feats.push_back(it->second);
    if (labels && !e.fine_type.empty()) ee.fine = labels->fine_id(e.fine_type);
    out.entities.push_back(std::move(ee));
  }
  return out;
}

}  // namespace mie::typing
