#include "mie/text/gazetteer.h"

#include "mie/core/model_file.h"  // fnv1a64

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "mie/core/files.h"
#include "mie/core/error.h"
#include "mie/core/paths.h"
#include "mie/text/tokenizer.h"

namespace mie::text {
namespace {

constexpr char kSep = '\x1f';

char32_t lower_cp(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  if (c >= 0x100 && c <= 0x17F) {
    if (c == 0x130) return 'i';
    if (c == 0x178) return 0xFF;
    if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) return (c % 2 == 0) ? c + 1 : c;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return (c % 2 == 1) ? c + 1 : c;
    return c;
  }
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;
  if (c == 0x386) return 0x3AC;
  if (c >= 0x388 && c <= 0x38A) return c + 37;
  if (c == 0x38C) return 0x3CC;
  if (c == 0x38E || c == 0x38F) return c + 63;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  return c;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

std::vector<std::string> split_ws(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
    size_t j = i;
    while (j < s.size() && !(s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n')) ++j;
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string join_keys(const std::vector<std::string>& toks, size_t start, size_t end) {
  std::string k;
  for (size_t i = start; i < end; ++i) {
    if (i > start) k += kSep;
    k += toks[i];
  }
  return k;
}

}  // namespace

std::string gazetteer_key(std::string_view tok) {
  if (tok.size() > 1 && tok[0] == '#') tok.remove_prefix(1);
  std::string out;
  out.reserve(tok.size());
  const bool ascii_only = std::all_of(tok.begin(), tok.end(), [](char c) { return (c & 0x80) == 0; });
  if (ascii_only || !valid_utf8(tok)) {
    for (char c : tok) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    return out;
  }
  for (char32_t c : decode_utf8(tok)) append_utf8(out, lower_cp(c));
  return out;
}

std::string default_gazetteer_dir() { return mie::cache_dir() + "/gazetteers"; }

std::shared_ptr<const Gazetteer> shared_gazetteer() {
  static std::mutex mu;
  static std::shared_ptr<const Gazetteer> gz;
  std::lock_guard<std::mutex> lock(mu);
  if (!gz) gz = std::make_shared<const Gazetteer>(Gazetteer::load_dir(default_gazetteer_dir()));
  return gz;
}

void Gazetteer::insert(int g, const std::vector<std::string>& toks) {
  const uint32_t bit = 1u << g;
  std::string key;
  for (size_t i = 0; i < toks.size(); ++i) {
    if (i > 0) key += kSep;
    key += toks[i];
    Node& n = seqs_[key];
    if (i + 1 == toks.size()) {
      if (!(n.full & bit)) {
        ++counts_[g];
        fingerprints_[g] += fnv1a64(key.data(), key.size());  // a sum: the entries' order does not matter
      }
      n.full |= bit;
    } else {
      n.prefix |= bit;
    }
  }
  max_len_ = std::max(max_len_, static_cast<int>(toks.size()));
}

int Gazetteer::add(const std::string& name, const std::vector<std::string>& entries) {
  int g = index(name);
  if (g < 0) {
    if (size() >= kMaxGazetteers)
      throw mie::Error("gazetteer \"" + name + "\": at most " + std::to_string(kMaxGazetteers) + " lists");
    g = size();
    names_.push_back(name);
    counts_.push_back(0);
    fingerprints_.push_back(0);
  }
  for (const std::string& e : entries) {
    std::vector<std::string> toks = split_ws(e);
    if (toks.empty()) continue;
    for (auto& t : toks) t = gazetteer_key(t);
    insert(g, toks);
  }
  return g;
}

int Gazetteer::add_file(const std::string& name, const std::string& path) {
  std::ifstream in = mie::open_file(path, "gazetteer");
  std::vector<std::string> entries;
  std::string line;
  long line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!valid_utf8(line)) throw mie::ParseError(path, line_no, "invalid UTF-8");
    if (line.empty() || line[0] == '#') continue;
    entries.push_back(std::move(line));
  }
  if (in.bad()) throw mie::Error(path + ": read error");
  return add(name, entries);
}

Gazetteer Gazetteer::load_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw mie::Error(dir + ": gazetteer directory not found (run scripts/setup.sh or `mie build-gazetteers`)");
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".txt") files.push_back(e.path());
  if (files.empty()) throw mie::Error(dir + ": no gazetteer .txt files");
  std::sort(files.begin(), files.end());
  Gazetteer gz;
  for (const auto& f : files) gz.add_file(f.stem().string(), f.string());
  return gz;
}

std::string Gazetteer::fingerprint(int g) const {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fingerprints_.at(static_cast<size_t>(g))));
  return hex;
}

int Gazetteer::index(std::string_view name) const {
  for (size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name) return static_cast<int>(i);
  return -1;
}

uint32_t Gazetteer::lookup(const std::vector<std::string>& toks) const {
  auto it = seqs_.find(join_keys(toks, 0, toks.size()));
  return it == seqs_.end() ? 0u : it->second.full;
}

GazetteerTags Gazetteer::match(const std::vector<std::string>& tokens) const {
  const int n = static_cast<int>(tokens.size());
  const int G = size();
  GazetteerTags out;
  out.num_tokens = n;
  out.num_gazetteers = G;
  out.tags.assign(static_cast<size_t>(n) * G, kGazO);
  if (n == 0 || G == 0) return out;
  std::vector<std::string> keys(tokens.size());
  for (int i = 0; i < n; ++i) keys[i] = gazetteer_key(tokens[i]);
  // longest[i * G + g]: length of the longest entry of g starting at token i (0 = none).
  std::vector<int> longest(static_cast<size_t>(n) * G, 0);
  std::string key;
  for (int i = 0; i < n; ++i) {
    key.clear();
    for (int j = i; j < n && j - i < max_len_; ++j) {
      if (j > i) key += kSep;
      key += keys[j];
      auto it = seqs_.find(key);
      if (it == seqs_.end()) break;
      for (uint32_t m = it->second.full; m; m &= m - 1) longest[static_cast<size_t>(i) * G + __builtin_ctz(m)] = j - i + 1;
      if (!it->second.prefix) break;
    }
  }
  for (int g = 0; g < G; ++g) {
    for (int i = 0; i < n;) {
      const int len = longest[static_cast<size_t>(i) * G + g];
      if (len == 0) {
        ++i;
        continue;
      }
      out.tags[static_cast<size_t>(i) * G + g] = kGazB;
      for (int k = 1; k < len; ++k) out.tags[static_cast<size_t>(i + k) * G + g] = kGazI;
      i += len;
    }
  }
  return out;
}

}  // namespace mie::text
