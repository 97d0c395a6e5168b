#include "mie/relation/features.h"

#include <algorithm>
#include <map>

#include "mie/core/error.h"
#include "mie/relation/image_signals.h"
#include "mie/text/embeddings.h"
#include "mie/text/features.h"

namespace mie::relation {

namespace {
const std::vector<std::string> kSpecialWords = {"<none>", "<unk>", "<h>", "</h>", "<t>", "</t>", "<obj>"};

int dist_bucket(int i, int s, int e) {
  int d = 0;
  if (i < s) d = i - s;
  else if (i >= e) d = i - e + 1;
  return std::clamp(d, -kMaxDist, kMaxDist) + kMaxDist;
}
}  // namespace

int num_token_feats() { return text::kNumFeatures; }

int Vocab::glove_id(const std::string& key) const {
  auto it = glove_index.find(key);
  return it == glove_index.end() ? 0 : it->second;
}
int Vocab::word_id(const std::string& key) const {
  auto it = word_index.find(key);
  if (it != word_index.end()) return it->second;
  return glove_id(key) > 0 ? kNoWord : kUnkWord;
}
int Vocab::shape_id(const std::string& shape) const {
  auto it = shape_index.find(shape);
  return it == shape_index.end() ? 0 : it->second;
}

void Vocab::reindex() {
  glove_index.clear();
  word_index.clear();
  shape_index.clear();
  for (size_t i = 0; i < glove_words.size(); ++i) glove_index.emplace(glove_words[i], static_cast<int>(i) + 1);
  for (size_t i = kFirstWord; i < words.size(); ++i) word_index.emplace(words[i], static_cast<int>(i));
  for (size_t i = 1; i < shapes.size(); ++i) shape_index.emplace(shapes[i], static_cast<int>(i));
}

nlohmann::json Vocab::to_json() const {
  return {{"glove_words", glove_words}, {"words", words}, {"shapes", shapes}};
}

Vocab Vocab::from_json(const nlohmann::json& j) {
  Vocab v;
  try {
    v.glove_words = j.at("glove_words").get<std::vector<std::string>>();
    v.words = j.at("words").get<std::vector<std::string>>();
    v.shapes = j.at("shapes").get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("relation vocabulary: ") + e.what());
  }
  if (v.words.size() < kFirstWord || v.shapes.empty()) throw Error("relation vocabulary: too few entries");
  v.reindex();
  return v;
}

Vocab build_vocab(const std::vector<RelExample>& train, const text::Embeddings* glove, int glove_top, int min_count) {
  std::map<std::string, int> counts, shape_counts;
  for (const auto& ex : train)
    for (const auto& t : ex.tokens) {
      counts[text::lookup_key(t)]++;
      shape_counts[text::word_shape(t)]++;
    }
  Vocab v;
  v.words = kSpecialWords;
  v.shapes = {"<unk>"};
  std::vector<char> taken;
  if (glove && !glove->empty()) {
    taken.assign(glove->size(), 0);
    const int top = std::min<int>(std::max(glove_top, 0), static_cast<int>(glove->size()));
    for (int i = 0; i < top; ++i) taken[i] = 1;
    for (const auto& [k, c] : counts) {
      const int r = glove->find(k);
      if (r >= 0) taken[r] = 1;
    }
    for (size_t i = 0; i < taken.size(); ++i)
      if (taken[i]) v.glove_words.emplace_back(glove->word(static_cast<int>(i)));
  }
  for (const auto& [k, c] : counts)
    if (c >= min_count) v.words.push_back(k);
  for (const auto& [s, c] : shape_counts)
    if (c >= 2) v.shapes.push_back(s);
  v.reindex();
  return v;
}

Encoded encode(const Vocab& v, const RelExample& ex) {
  validate(ex);
  const int n = static_cast<int>(ex.tokens.size());
  const auto feats = text::token_features(ex.tokens);
  const int nf = num_token_feats();
  Encoded e;
  e.head_type = ex.head.type;
  e.tail_type = ex.tail.type;
  std::vector<int> new_index(n + 1, 0);
  auto push = [&](int word, int glove, int shape, const std::string* tok, int seg, int orig) {
    e.words.push_back(word);
    e.glove.push_back(glove);
    e.shapes.push_back(shape);
    for (int c = 0; c < kMaxChars; ++c) {
      const bool has = tok && c < static_cast<int>(tok->size());
      e.chars.push_back(has ? static_cast<unsigned char>((*tok)[c]) + 1 : 0);
    }
    e.pos_head.push_back(dist_bucket(orig, ex.head.start, ex.head.end));
    e.pos_tail.push_back(dist_bucket(orig, ex.tail.start, ex.tail.end));
    e.seg.push_back(seg);
    for (int f = 0; f < nf; ++f) e.token_feats.push_back(tok ? static_cast<float>(feats[orig][f]) : 0.f);
  };
  for (int i = 0; i <= n; ++i) {
    // Close spans that end here, then open spans that start here (tail inside head is fine).
    if (ex.tail.end == i) push(kTailClose, 0, 0, nullptr, 3, i - 1);
    if (ex.head.end == i) push(kHeadClose, 0, 0, nullptr, 3, i - 1);
    if (i == n) break;
    if (ex.head.start == i) {
      e.head_marker = static_cast<int>(e.words.size());
      push(kHeadOpen, 0, 0, nullptr, 3, i);
    }
    if (ex.tail.start == i) {
      e.tail_marker = static_cast<int>(e.words.size());
      push(kTailOpen, 0, 0, nullptr, 3, i);
    }
    new_index[i] = static_cast<int>(e.words.size());
    const bool in_h = i >= ex.head.start && i < ex.head.end, in_t = i >= ex.tail.start && i < ex.tail.end;
    const std::string key = text::lookup_key(ex.tokens[i]);
    const bool obj = ex.tokens[i] == kObjToken;
    push(obj ? kObjMark : v.word_id(key), obj ? 0 : v.glove_id(key), v.shape_id(text::word_shape(ex.tokens[i])), &ex.tokens[i],
         in_h && in_t ? 4 : in_h ? 1 : in_t ? 2 : 0, i);
  }
  e.length = static_cast<int>(e.words.size());
  e.head_start = new_index[ex.head.start];
  e.head_end = new_index[ex.head.end - 1] + 1;
  e.tail_start = new_index[ex.tail.start];
  e.tail_end = new_index[ex.tail.end - 1] + 1;
  e.image.assign(kImageDim, 0.f);
  if (!ex.image.empty()) {
    if (static_cast<int>(ex.image.size()) != kImageDim)
      throw Error("relation example '" + ex.id + "': image vector has " + std::to_string(ex.image.size()) +
                  " values, expected " + std::to_string(kImageDim));
    e.image = ex.image;
  }
  return e;
}

}  // namespace mie::relation
