#include "mie/grounding/features.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "mie/core/model_file.h"

namespace mie::grounding {
namespace {

const std::set<std::string> kPersonWords = {"man", "woman", "person", "people", "boy", "girl", "lady", "men", "women",
                                            "guy", "player", "child", "kid", "baby", "he", "she", "his", "her",
                                            "couple", "actor", "actress", "singer", "crowd", "face", "head", "men"};
const std::set<std::string> kTextWords = {"sign", "logo", "text", "words", "word", "poster", "banner", "says", "reads",
                                          "written", "cover", "book", "screen", "screenshot", "letters", "letter",
                                          "shirt", "jersey", "advertisement", "ad", "flyer", "label", "title"};
const std::set<std::string> kStop = {"a", "an", "the", "of", "in", "on", "and", "with", "is", "are", "to", "at",
                                     "for", "its", "it", "this", "that", "there", "by", "from", "as", "be", "or"};

std::vector<std::string> words_of(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c >= 0x80) cur += static_cast<char>(std::tolower(c));
    else if (!cur.empty()) out.push_back(std::move(cur)), cur.clear();
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::string shape(const std::string& s) {
  bool up = false, lo = false;
  for (unsigned char c : s) up |= std::isupper(c) != 0, lo |= std::islower(c) != 0;
  if (up && !lo) return "upper";
  if (lo && !up) return "lower";
  if (!up && !lo) return "none";
  return std::isupper(static_cast<unsigned char>(s[0])) ? "title" : "mixed";
}

int levenshtein(const std::string& a, const std::string& b) {
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

FeatureConfig FeatureConfig::from_json(const nlohmann::json& j) {
  FeatureConfig c;
  c.caption = j.value("caption", true);
  c.hash_bits = j.value("hash_bits", 18);
  return c;
}

std::string lower(const std::string& s) {
  std::string o = s;
  for (char& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

std::string alnum_key(const std::string& s) {
  std::string o;
  for (unsigned char c : s)
    if (std::isalnum(c)) o += static_cast<char>(std::tolower(c));
  return o;
}

float text_similarity(const std::string& entity, const std::string& reading) {
  const std::string a = alnum_key(entity), b = alnum_key(reading);
  if (a.empty() || b.empty()) return 0.f;
  const size_t n = std::max(a.size(), b.size());
  float s = 1.f - static_cast<float>(levenshtein(a, b)) / static_cast<float>(n);
  const std::string& shorter = a.size() <= b.size() ? a : b;
  const std::string& longer = a.size() <= b.size() ? b : a;
  if (shorter.size() >= 3 && longer.find(shorter) != std::string::npos) s = std::max(s, 0.9f);
  return std::max(0.f, s);
}

std::string gmner_type(const std::string& t) {
  if (t == "PER" || t == "ORG" || t == "LOC" || t == "OTHER") return t;
  if (t == "person") return "PER";
  if (t == "organization") return "ORG";
  if (t == "location" || t == "building") return "LOC";
  return "OTHER";
}

std::string candidate_kind(const vision::Candidate& c) {
  if (c.source == "image") return "image";
  if (c.source == "face") return "face";
  if (c.source == "text") return "text";
  const std::string l = lower(c.label);
  if (l == "person" || kPersonWords.count(l)) return "person";
  if (c.source == "vinvl" && kTextWords.count(l)) return "text";
  return "object";
}

EntityFeatures entity_features(const Post& p, int ei, const FeatureConfig& cfg, bool keep_names) {
  const Entity& e = p.entities.at(static_cast<size_t>(ei));
  EntityFeatures f;
  const uint64_t mask = (uint64_t{1} << cfg.hash_bits) - 1;
  auto add = [&](const std::string& name, float v = 1.f) {
    f.sparse.emplace_back(static_cast<uint32_t>(fnv1a64(name.data(), name.size()) & mask), v);
    if (keep_names) f.names.push_back(name);
  };
  const std::string ty = gmner_type(e.type);
  const std::string span = span_text(p, e);
  const int n = static_cast<int>(p.tokens.size());
  add("ty=" + ty);
  add("e=" + lower(span));
  std::set<std::string> ent_words;
  for (int i = e.start; i < e.end; ++i) {
    const std::string w = lower(p.tokens[static_cast<size_t>(i)]);
    ent_words.insert(w);
    add("w=" + w);
    add(ty + "|w=" + w);
  }
  add(ty + "|len=" + std::to_string(std::min(e.end - e.start, 4)));
  const float rel = n > 0 ? static_cast<float>(e.start) / static_cast<float>(n) : 0.f;
  add(ty + "|pos=" + (e.start == 0 ? std::string("first") : rel < 0.33f ? "early" : rel < 0.66f ? "mid" : "late"));
  int mentions = 0, same_type = 0;
  std::set<std::string> names;
  for (const Entity& o : p.entities) {
    if (span_text(p, o) == span) ++mentions;
    if (gmner_type(o.type) == ty) ++same_type;
    names.insert(span_text(p, o));
  }
  add(ty + "|m=" + std::to_string(std::min(mentions, 3)));
  add(ty + "|nent=" + std::to_string(std::min(static_cast<int>(names.size()), 4)));
  add(ty + "|ntype=" + std::to_string(std::min(same_type, 3)));
  const std::string prev = e.start > 0 ? p.tokens[static_cast<size_t>(e.start - 1)] : "<s>";
  const std::string next = e.end < n ? p.tokens[static_cast<size_t>(e.end)] : "</s>";
  const std::string first = e.end > e.start ? p.tokens[static_cast<size_t>(e.start)] : "";
  if (prev == "@" || (!first.empty() && first[0] == '@')) add(ty + "|at");
  if (prev == "#" || (!first.empty() && first[0] == '#')) add(ty + "|hash");
  add(ty + "|shape=" + (first.empty() ? std::string("none") : shape(first)));
  add("prev=" + lower(prev));
  add("next=" + lower(next));
  if (n > 0 && p.tokens[0] == "RT") add(ty + "|rt");
  for (int i = 0; i < n; ++i) {
    if (i >= e.start && i < e.end) continue;
    const std::string w = lower(p.tokens[static_cast<size_t>(i)]);
    if (kStop.count(w) || w.size() < 2) continue;
    add(ty + "|t=" + w, 0.5f);
  }
  float overlap = 0.f;
  const bool cap = cfg.caption && !p.caption.empty();
  if (cap) {
    const auto cw = words_of(p.caption);
    std::set<std::string> cset(cw.begin(), cw.end());
    int hit = 0;
    for (const auto& w : ent_words) hit += cset.count(alnum_key(w)) ? 1 : 0;
    overlap = ent_words.empty() ? 0.f : static_cast<float>(hit) / static_cast<float>(ent_words.size());
    add(ty + "|cov=" + (hit == 0 ? std::string("none") : overlap >= 1.f ? "full" : "part"));
    bool person = false, text = false;
    for (const auto& w : cset) {
      person |= kPersonWords.count(w) > 0;
      text |= kTextWords.count(w) > 0;
      if (!kStop.count(w) && w.size() >= 2) add(ty + "|c=" + w, 0.5f);
    }
    add(ty + "|cperson=" + (person ? "1" : "0"));
    add(ty + "|ctext=" + (text ? "1" : "0"));
  } else {
    add(ty + "|nocap");
  }
  f.dense = {static_cast<float>(e.end - e.start) / 5.f, rel, static_cast<float>(mentions) / 3.f, overlap,
             cap ? 1.f : 0.f, static_cast<float>(span.size()) / 20.f, static_cast<float>(names.size()) / 5.f};
  return f;
}

ImageSummary summarise(const std::vector<vision::Candidate>& cands) {
  ImageSummary s;
  for (const auto& c : cands) {
    const std::string k = candidate_kind(c);
    if (k == "person") ++s.persons;
    if (k == "face") ++s.faces;
    if (k == "text") {
      ++s.texts;
      if (!c.text.empty()) s.readings.push_back(c.text);
    }
    if (c.source == "object" || c.source == "vinvl") s.labels.push_back(lower(c.label));
  }
  return s;
}

nlohmann::json DetectorRule::to_json() const {
  return {{"per_no_person", per_no_person}, {"per_person", per_person}, {"ocr_match", ocr_match}, {"label_match", label_match}};
}

DetectorRule DetectorRule::from_json(const nlohmann::json& j) {
  DetectorRule r;
  r.per_no_person = j.value("per_no_person", r.per_no_person);
  r.per_person = j.value("per_person", r.per_person);
  r.ocr_match = j.value("ocr_match", r.ocr_match);
  r.label_match = j.value("label_match", r.label_match);
  return r;
}

float detector_adjustment(const Post& p, int ei, const ImageSummary& s, const DetectorRule& r) {
  const Entity& e = p.entities.at(static_cast<size_t>(ei));
  const std::string span = span_text(p, e);
  float adj = 0.f;
  if (gmner_type(e.type) == "PER") adj += (s.persons + s.faces == 0) ? r.per_no_person : r.per_person;
  for (const auto& t : s.readings)
    if (text_similarity(span, t) >= 0.8f) {
      adj += r.ocr_match;
      break;
    }
  bool label = false;
  for (int i = e.start; i < e.end && !label; ++i)
    for (const auto& l : s.labels) label |= l.size() >= 3 && lower(p.tokens[static_cast<size_t>(i)]) == l;
  if (label) adj += r.label_match;
  return adj;
}

}  // namespace mie::grounding
