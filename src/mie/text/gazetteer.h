// mie/text/gazetteer.h — name lists (cities, countries, regions, person names, companies) and a
// longest-match tagger that turns them into per-token B/I features.
//
//   auto gz = mie::text::Gazetteer::load_dir(mie::text::default_gazetteer_dir());
//   std::vector<std::string> toks = {"Flying", "to", "New", "York", "with", "Tim", "Cook"};
//   mie::text::GazetteerTags tags = gz.match(toks);
//   int city = gz.index("city");                     // -1 when that list is not loaded
//   tags.at(2, city) == mie::text::kGazB;            // "New"  begins a city
//   tags.at(3, city) == mie::text::kGazI;            // "York" continues it
//   tags.at(1, city) == mie::text::kGazO;
//
// Files: <dir>/<name>.txt, one entry per line, lower-case, tokens separated by single spaces;
// blank lines and lines starting with '#' are ignored. Gazetteers are ordered by name, so feature
// columns are stable. scripts/setup.sh writes them with `mie build-gazetteers` (see
// gazetteer_build.h) into default_gazetteer_dir() = $MIE_CACHE/gazetteers, else
// <source>/.cache/gazetteers. Sources and licences: docs/DATA.md.
//
// Matching is case-insensitive (gazetteer_key(): UTF-8 lower-casing of Latin, Greek and
// Cyrillic letters; a leading '#' of a token like "#London" is dropped) and works on whole
// tokens. For each gazetteer independently, a left-to-right scan takes the longest entry that
// starts at each position, tags it B, I, I…, and continues after it (greedy longest match).
// Cost: one hash lookup per (start, length) up to the longest prefix present.
// Thread safety: add()/load*() are not thread-safe; match() on a loaded Gazetteer is const and
// safe from many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mie::text {

enum GazTag : uint8_t { kGazO = 0, kGazB = 1, kGazI = 2 };

// tokens x gazetteers tags, row-major.
struct GazetteerTags {
  int num_tokens = 0;
  int num_gazetteers = 0;
  std::vector<uint8_t> tags;
  GazTag at(int token, int gazetteer) const {
    return static_cast<GazTag>(tags[static_cast<size_t>(token) * num_gazetteers + gazetteer]);
  }
};

class Gazetteer {
 public:
  // Loads every <dir>/*.txt (sorted by file name). Throws mie::Error when the directory is
  // missing or holds no .txt file, mie::ParseError on invalid UTF-8.
  static Gazetteer load_dir(const std::string& dir);

  // Adds (or extends) list `name` with entries: each is split on whitespace and normalised with
  // gazetteer_key(); empty entries are ignored. Returns the list's index.
  int add(const std::string& name, const std::vector<std::string>& entries);
  int add_file(const std::string& name, const std::string& path);

  GazetteerTags match(const std::vector<std::string>& tokens) const;

  int size() const { return static_cast<int>(names_.size()); }
  const std::vector<std::string>& names() const { return names_; }
  int index(std::string_view name) const;                  // -1 if absent
  size_t entries(int gazetteer) const { return counts_[gazetteer]; }
  // A fingerprint of the list's distinct normalised entries (independent of their order), 16 hex
  // digits: a model records those of the lists it was trained with and refuses others.
  std::string fingerprint(int gazetteer) const;
  // Bitmask of the gazetteers holding exactly this token sequence (already-normalised keys).
  uint32_t lookup(const std::vector<std::string>& normalised_tokens) const;

  static constexpr int kMaxGazetteers = 32;

 private:
  struct Node {
    uint32_t full = 0;    // gazetteers with an entry equal to this sequence
    uint32_t prefix = 0;  // gazetteers with a longer entry starting with this sequence
  };
  void insert(int g, const std::vector<std::string>& toks);

  std::vector<std::string> names_;
  std::vector<size_t> counts_;
  std::vector<uint64_t> fingerprints_;
  std::unordered_map<std::string, Node> seqs_;  // key: tokens joined by '\x1f'
  int max_len_ = 0;
};

// Lower-case key used for matching: Unicode simple lower-casing of Latin-1, Latin Extended-A,
// Greek and Cyrillic letters plus ASCII; a leading '#' is dropped from longer tokens. Invalid
// UTF-8 is lower-cased bytewise (ASCII only) rather than rejected.
std::string gazetteer_key(std::string_view token);

// $MIE_CACHE/gazetteers, else <source>/.cache/gazetteers.
std::string default_gazetteer_dir();

// The lists of default_gazetteer_dir(), loaded once per process and shared (thread-safe).
// Throws mie::Error naming the directory when it is missing (run scripts/setup.sh).
std::shared_ptr<const Gazetteer> shared_gazetteer();

}  // namespace mie::text
