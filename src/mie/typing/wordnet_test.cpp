#include "mie/typing/wordnet.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "mie/core/error.h"
#include "mie/core/test_tmp.h"

namespace mie::typing {
namespace {

const WordNet& wn() {
  static WordNet w = WordNet::load(default_wordnet_dir());
  return w;
}

bool has_lemma(const std::vector<Hypernym>& hs, const std::string& lemma, int max_depth = 99) {
  return std::any_of(hs.begin(), hs.end(), [&](const Hypernym& h) { return h.lemma == lemma && h.depth <= max_depth; });
}

TEST(WordNet, LoadsTheDebianDatabase) {
  EXPECT_GT(wn().num_synsets(), 80000u);  // WordNet 3.0: 82,115 noun synsets
  EXPECT_GT(wn().num_lemmas(), 110000u);
}

TEST(WordNet, EinsteinIsAPhysicist) {
  auto hs = wn().hypernyms({"Einstein"});
  ASSERT_FALSE(hs.empty());
  EXPECT_EQ(hs[0].lemma, "physicist");
  EXPECT_TRUE(hs[0].instance);
  EXPECT_EQ(hs[0].depth, 1);
  EXPECT_TRUE(has_lemma(hs, "scientist", 2));
  EXPECT_TRUE(has_lemma(wn().hypernyms({"Albert", "Einstein"}), "physicist", 1));
}

TEST(WordNet, ParisIsANationalCapital) {
  auto hs = wn().hypernyms({"Paris"});
  EXPECT_TRUE(has_lemma(hs, "national_capital", 1));
  EXPECT_TRUE(has_lemma(hs, "capital", 2));
  auto f = wn().features({"Paris"});
  EXPECT_NE(std::find(f.begin(), f.end(), "lex:noun.location"), f.end());
  EXPECT_NE(std::find(f.begin(), f.end(), "i:national_capital.08691669"), f.end());
}

TEST(WordNet, MoreKnownNames) {
  EXPECT_TRUE(has_lemma(wn().hypernyms({"Abraham", "Lincoln"}), "president_of_the_united_states", 1));
  EXPECT_TRUE(has_lemma(wn().hypernyms({"#Mozart"}), "composer", 1));  // hashtag stripped
  EXPECT_TRUE(has_lemma(wn().hypernyms({"London"}), "national_capital", 1));
  EXPECT_TRUE(has_lemma(wn().hypernyms({"Texas"}), "american_state", 1));
  EXPECT_TRUE(has_lemma(wn().hypernyms({"Beatles"}), "rock_group", 1));
  // Last-token fallback: "Mr Einstein" is no lemma, "einstein" is.
  EXPECT_EQ(wn().match({"Mr", "Einstein"}), "einstein");
  // Lower-case mention of a common noun: ordinary hypernyms, not instance ones.
  auto dog = wn().hypernyms({"dogs"});
  ASSERT_FALSE(dog.empty());
  EXPECT_FALSE(dog[0].instance);
  EXPECT_TRUE(has_lemma(dog, "canine", 1));
}

TEST(WordNet, UnknownStringsGiveNone) {
  EXPECT_TRUE(wn().hypernyms({"Xqzzyplk"}).empty());
  EXPECT_EQ(wn().features({"Xqzzyplk"}), std::vector<std::string>{"wn:none"});
  EXPECT_EQ(wn().match({"@", "#"}), "");
  EXPECT_EQ(wn().lexname(8932568), "noun.location");
  EXPECT_THROW(wn().lexname(1), Error);
}

TEST(WordNet, MissingOrBrokenDatabaseThrows) {
  EXPECT_THROW(WordNet::load("/nonexistent-wordnet-dir"), Error);
  mie::TestTempDir tmp;
  const std::filesystem::path& dir = tmp.dir;
  {
    std::ofstream(dir / "data.noun") << "  1 licence line\n00001740 03 n zz entity 0 000 | x\n";
    std::ofstream(dir / "index.noun") << "entity n 1 0 1 0 00001740\n";
  }
  EXPECT_THROW(WordNet::load(dir.string()), ParseError);
  {
    std::ofstream(dir / "data.noun") << "00001740 03 n 01 entity 0 000 | x\n";
  }
  WordNet tiny = WordNet::load(dir.string());
  EXPECT_EQ(tiny.num_synsets(), 1u);
  EXPECT_EQ(tiny.synset_lemma(1740), "entity");
}

}  // namespace
}  // namespace mie::typing
