#include "mie/ner/train_dict.h"

#include <algorithm>
#include <cmath>

#include "mie/core/error.h"
#include "mie/text/gazetteer.h"

namespace mie::ner {

namespace {
constexpr char kJoin = '\x1f';

std::vector<std::string> keys_of(const std::vector<std::string>& tokens) {
  std::vector<std::string> k;
  k.reserve(tokens.size());
  for (const auto& t : tokens) k.push_back(text::gazetteer_key(t));
  return k;
}

bool in_fold(size_t i, int folds, int held_out) {
  return folds <= 1 || static_cast<int>(i % static_cast<size_t>(folds)) != held_out;
}
}  // namespace

TrainDict TrainDict::build(const std::vector<Post>& posts, const std::vector<std::string>& types, int folds,
                           int held_out, bool tokens) {
  TrainDict d;
  d.types_ = types;
  d.with_tokens_ = tokens;
  for (size_t i = 0; i < posts.size(); ++i) {
    if (!in_fold(i, folds, held_out)) continue;
    const Post& p = posts[i];
    const auto keys = keys_of(p.tokens);
    for (const auto& e : p.entities) {
      auto ty = std::find(types.begin(), types.end(), e.type);
      if (ty == types.end() || e.start < 0 || e.end > static_cast<int>(keys.size()) || e.start >= e.end) continue;
      std::string key;
      for (int t = e.start; t < e.end; ++t) key += (t > e.start ? std::string(1, kJoin) : "") + keys[static_cast<size_t>(t)];
      if (tokens)
        for (int t = e.start; t < e.end; ++t) {
          TokenEntry& te = d.tokens_[keys[static_cast<size_t>(t)]];
          if (te.type_counts.empty()) te.type_counts.assign(types.size(), 0.f);
          te.type_counts[static_cast<size_t>(ty - types.begin())] += 1;
          if (t == e.start) te.begins += 1;
        }
      Entry& en = d.entries_[key];
      if (en.type_counts.empty()) en.type_counts.assign(types.size(), 0.f);
      en.annotated += 1;
      en.type_counts[static_cast<size_t>(ty - types.begin())] += 1;
      d.max_len_ = std::max(d.max_len_, e.end - e.start);
    }
  }
  d.index_prefixes();
  d.count_occurrences(posts, folds, held_out);
  return d;
}

void TrainDict::index_prefixes() {
  prefixes_.clear();
  for (const auto& [key, en] : entries_) {
    for (size_t pos = key.find(kJoin); pos != std::string::npos; pos = key.find(kJoin, pos + 1))
      prefixes_.emplace(key.substr(0, pos), true);
  }
}

void TrainDict::count_occurrences(const std::vector<Post>& posts, int folds, int held_out) {
  for (size_t i = 0; i < posts.size(); ++i) {
    if (!in_fold(i, folds, held_out)) continue;
    const auto keys = keys_of(posts[i].tokens);
    for (size_t s = 0; s < keys.size(); ++s) {
      if (with_tokens_) {
        auto te = tokens_.find(keys[s]);
        if (te != tokens_.end()) te->second.occurrences += 1;
      }
      std::string key;
      for (size_t len = 1; len <= static_cast<size_t>(max_len_) && s + len <= keys.size(); ++len) {
        key += (len > 1 ? std::string(1, kJoin) : "") + keys[s + len - 1];
        auto it = entries_.find(key);
        if (it != entries_.end()) it->second.occurrences += 1;
        if (!prefixes_.count(key)) break;
      }
    }
  }
}

void TrainDict::features(const std::vector<std::string>& tokens, float* feats, int stride, int offset) const {
  if (entries_.empty()) return;
  const auto keys = keys_of(tokens);
  static const float kLog50 = std::log(50.f);
  if (with_tokens_) {
    const size_t base = 4 + types_.size();
    for (size_t i = 0; i < keys.size(); ++i) {
      auto it = tokens_.find(keys[i]);
      if (it == tokens_.end()) continue;
      const TokenEntry& te = it->second;
      float inside = 0;
      for (float c : te.type_counts) inside += c;
      const float occ = std::max(te.occurrences, inside);
      float* f = feats + i * static_cast<size_t>(stride) + offset + base;
      f[0] = inside / occ;
      f[1] = std::min(1.f, std::log1p(occ) / kLog50);
      f[2] = te.begins / occ;
      for (size_t t = 0; t < types_.size(); ++t) f[3 + t] = te.type_counts[t] / occ;
    }
  }
  size_t s = 0;
  while (s < keys.size()) {
    const Entry* best = nullptr;
    size_t best_len = 0;
    std::string key;
    for (size_t len = 1; len <= static_cast<size_t>(max_len_) && s + len <= keys.size(); ++len) {
      key += (len > 1 ? std::string(1, kJoin) : "") + keys[s + len - 1];
      auto it = entries_.find(key);
      if (it != entries_.end()) {
        best = &it->second;
        best_len = len;
      }
      if (!prefixes_.count(key)) break;
    }
    if (!best) {
      ++s;
      continue;
    }
    const float ratio = best->annotated / std::max(best->occurrences, best->annotated);
    const float count = std::min(1.f, std::log1p(best->annotated) / kLog50);
    for (size_t k = 0; k < best_len; ++k) {
      float* f = feats + (s + k) * static_cast<size_t>(stride) + offset;
      f[k == 0 ? 0 : 1] = 1.f;
      f[2] = ratio;
      f[3] = count;
      for (size_t t = 0; t < types_.size(); ++t) f[4 + t] = best->type_counts[t] / best->annotated;
    }
    s += best_len;
  }
}

nlohmann::json TrainDict::to_json() const {
  // Sorted, so the model file is the same for the same training data.
  std::vector<std::string> keys;
  keys.reserve(entries_.size());
  for (const auto& [k, e] : entries_) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& k : keys) {
    const Entry& e = entries_.at(k);
    arr.push_back({k, e.annotated, e.occurrences, e.type_counts});
  }
  nlohmann::json j = {{"types", types_}, {"entries", arr}};
  if (with_tokens_) {
    std::vector<std::string> tks;
    tks.reserve(tokens_.size());
    for (const auto& [k, e] : tokens_) tks.push_back(k);
    std::sort(tks.begin(), tks.end());
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& k : tks) {
      const TokenEntry& e = tokens_.at(k);
      rows.push_back({k, e.occurrences, e.begins, e.type_counts});
    }
    j["tokens"] = rows;
  }
  return j;
}

TrainDict TrainDict::from_json(const nlohmann::json& j, const std::vector<std::string>& types) {
  TrainDict d;
  try {
    d.types_ = j.at("types").get<std::vector<std::string>>();
    if (d.types_ != types) throw Error("NER training dictionary: its types differ from the tagger's labels");
    for (const auto& row : j.at("entries")) {
      Entry e;
      const auto key = row.at(0).get<std::string>();
      e.annotated = row.at(1).get<float>();
      e.occurrences = row.at(2).get<float>();
      e.type_counts = row.at(3).get<std::vector<float>>();
      if (e.type_counts.size() != d.types_.size() || e.annotated <= 0 || key.empty())
        throw Error("NER training dictionary: malformed entry '" + key + "'");
      d.max_len_ = std::max(d.max_len_, static_cast<int>(std::count(key.begin(), key.end(), kJoin)) + 1);
      d.entries_.emplace(key, std::move(e));
    }
    if (j.contains("tokens")) {
      d.with_tokens_ = true;
      for (const auto& row : j.at("tokens")) {
        TokenEntry e;
        const auto key = row.at(0).get<std::string>();
        e.occurrences = row.at(1).get<float>();
        e.begins = row.at(2).get<float>();
        e.type_counts = row.at(3).get<std::vector<float>>();
        if (e.type_counts.size() != d.types_.size() || e.occurrences <= 0 || key.empty())
          throw Error("NER training dictionary: malformed token entry '" + key + "'");
        d.tokens_.emplace(key, std::move(e));
      }
    }
  } catch (const nlohmann::json::exception& ex) {
    throw Error(std::string("malformed NER training dictionary: ") + ex.what());
  }
  d.index_prefixes();
  return d;
}

}  // namespace mie::ner
