// mie/typing/wordnet.h — WordNet 3.0 noun hypernyms of entity strings (typing features).
//
//   auto wn = mie::typing::WordNet::load(mie::typing::default_wordnet_dir());  // ~0.5 s, ~30 MB
//   auto hs = wn.hypernyms({"Albert", "Einstein"});   // instance hypernyms and their ancestors
//   // hs[0].lemma == "physicist", hs[0].instance == true, hs[0].depth == 1
//   auto f = wn.features({"Paris"});                   // {"i:national_capital.08691669", ...,
//                                                      //  "lex:noun.location", ...}
//
// Parses the Princeton database files data.noun and index.noun directly (no libwn: no global
// state, safe to share). Lookup of a mention: tokens joined by '_' and lower-cased (leading
// '@'/'#' dropped, a trailing "'s" removed); when the whole string is no noun lemma, the last
// token alone is tried, then a plural-stripped form ("-s"). Of the matching senses (index.noun
// order, most frequent first) at most `max_senses` are used; a capitalised mention prefers
// instance senses (proper names: "@i" pointers) when the lemma has any. From each sense the
// hypernym graph is followed up to `depth` levels (instance hypernym, then ordinary hypernyms).
// features() turns that into strings: "i:<lemma>.<offset>" for hypernyms reached from an
// instance sense, "c:<lemma>.<offset>" from a common-noun sense, "lex:<lexicographer file>" of
// each used sense (noun.person, noun.location, ...), and "wn:none" when nothing matched.
// default_wordnet_dir(): $WNSEARCHDIR, else /usr/share/wordnet (Debian wordnet-base).
// Thread safety: a loaded WordNet is immutable; all lookups are const and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mie::typing {

struct Hypernym {
  uint32_t offset = 0;    // synset offset in data.noun
  std::string lemma;      // first word of the synset, lower-case ("national_capital")
  int depth = 1;          // 1 = direct (instance) hypernym of the matched sense
  bool instance = false;  // reached from an instance sense (a proper name)
};

struct WordNetOptions {
  int max_senses = 2;
  int depth = 3;
};

class WordNet {
 public:
  // Throws mie::Error when data.noun / index.noun are missing, mie::ParseError on bad lines.
  static WordNet load(const std::string& dir);

  // Senses (synset offsets) of a noun lemma ("national_capital"; spaces allowed), most frequent
  // first; empty when unknown.
  std::vector<uint32_t> senses(std::string_view lemma) const;
  // The lemma actually matched for a mention (see the lookup rules above), "" when none.
  std::string match(const std::vector<std::string>& tokens) const;
  std::vector<Hypernym> hypernyms(const std::vector<std::string>& tokens, const WordNetOptions& opt = {}) const;
  std::vector<std::string> features(const std::vector<std::string>& tokens, const WordNetOptions& opt = {}) const;

  // Synset details; throw mie::Error for an unknown offset.
  std::string synset_lemma(uint32_t offset) const;
  std::string lexname(uint32_t offset) const;  // "noun.person"
  size_t num_synsets() const { return synsets_.size(); }
  size_t num_lemmas() const { return index_.size(); }

 private:
  struct Synset {
    uint32_t offset = 0;
    uint8_t lexfile = 0;
    bool is_instance = false;  // has an "@i" pointer
    std::string lemma;
    std::vector<int> hyper;     // "@" targets (synset indices)
    std::vector<int> inst;      // "@i" targets
  };
  int find_synset(uint32_t offset) const;
  std::vector<Synset> synsets_;
  std::unordered_map<uint32_t, int> by_offset_;
  std::unordered_map<std::string, std::vector<uint32_t>> index_;
};

std::string default_wordnet_dir();

}  // namespace mie::typing
