#include "mie/io/fmnerg.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "mie/io/conll.h"
#include "mie/io/test_util.h"

using namespace mie;
using namespace mie::io;

namespace {
TypeTree small_tree() {
  return type_tree_from_json(nlohmann::json::parse(
      R"({"coarse_fine_tree": {"person": ["politician", "person_other"], "location": ["city"], "building": ["cultural_place"]}})"));
}
std::vector<Post> parse(const std::string& s, const TypeTree* t = nullptr) {
  std::istringstream in(s);
  return read_fmnerg(in, "f.txt", t);
}
}  // namespace

TEST(Fmnerg, ReadsCoarseAndFine) {
  TypeTree t = small_tree();
  auto ps = parse("IMGID:1\nTed\tB-person\tB-politician\nCruz\tI-person\tI-politician\nin\tO\tO\r\nParis\tB-location\tB-city\n", &t);
  ASSERT_EQ(ps.size(), 1u);
  ASSERT_EQ(ps[0].entities.size(), 2u);
  EXPECT_EQ(ps[0].entities[0].type, "person");
  EXPECT_EQ(ps[0].entities[0].fine_type, "politician");
  EXPECT_EQ(ps[0].entities[0].end, 2);
  EXPECT_EQ(ps[0].entities[1].fine_type, "city");
}

TEST(Fmnerg, CommonPersonAlias) {
  TypeTree t = small_tree();
  auto ps = parse("IMGID:1\nBob\tB-person\tB-common_person\n", &t);
  EXPECT_EQ(ps[0].entities[0].fine_type, "person_other");
  EXPECT_EQ(t.coarse_of("common_person"), "person");
}

TEST(Fmnerg, Errors) {
  TypeTree t = small_tree();
  const std::string f = "f.txt";
  EXPECT_PARSE_ERROR(parse("IMGID:1\nA\tO\tO\nTed\tB-person\tB-politician\nCruz\tI-person\tB-politician\n"), f, 4,
                     "disagree on the entity span");
  EXPECT_PARSE_ERROR(parse("IMGID:1\nA\tO\tO\nTed\tB-person\tO\n"), f, 3, "disagree");
  EXPECT_PARSE_ERROR(parse("IMGID:1\nA\tO\nTed\tB-person\tB-x\n"), f, 2, "got 2 column");
  EXPECT_PARSE_ERROR(parse("IMGID:1\nA\tO\tO\nParis\tB-person\tB-city\n", &t), f, 3, "belongs to 'location'");
  EXPECT_PARSE_ERROR(parse("IMGID:1\nParis\tB-person\tB-mayor\n", &t), f, 2, "unknown fine type");
  EXPECT_PARSE_ERROR(parse("IMGID:1\nA\tO\tO\nParis\tB-place\tB-city\n", &t), f, 3, "unknown coarse type");
  EXPECT_PARSE_ERROR(parse("IMGID:1\nA\tO\tZ-x\n"), f, 2, "bad BIO tag");
  EXPECT_PARSE_ERROR(parse("IMGID:1\nA\xff\tO\tO\n"), f, 2, "invalid UTF-8");
  EXPECT_THROW(type_tree_from_json(nlohmann::json::parse(R"({"a": ["x"], "b": ["x"]})")), Error);
}

TEST(Fmnerg, WriterRoundTripAndMapping) {
  const std::string src = "IMGID:1\nTed\tB-person\tB-politician\nat\tO\tO\nLouvre\tB-building\tB-cultural_place\n\n";
  auto ps = parse(src);
  std::ostringstream out;
  write_fmnerg(out, ps);
  EXPECT_EQ(out.str(), src);
  auto g = fmnerg_to_gmner(ps);
  EXPECT_EQ(g[0].entities[0].type, "PER");
  EXPECT_EQ(g[0].entities[1].type, "LOC");
  EXPECT_EQ(g[0].entities[1].fine_type, "cultural_place");
  EXPECT_EQ(fmnerg_to_gmner_type("product"), "OTHER");
  EXPECT_THROW(fmnerg_to_gmner_type("animal"), Error);
  ps[0].entities[0].fine_type.clear();
  std::ostringstream o2;
  EXPECT_THROW(write_fmnerg(o2, ps), Error);
}

TEST(FmnergReal, TreeHas8Coarse51Fine) {
  const std::string p = test::data("fmnerg/coarse_fine_tree.json");
  SKIP_WITHOUT(p);
  TypeTree t = load_type_tree(p);
  EXPECT_EQ(t.coarse.size(), 8u);
  EXPECT_EQ(t.num_fine(), 51u);
  EXPECT_EQ(t.coarse_of("sports_facility"), "building");
  EXPECT_EQ(t.coarse_of("common_person"), "person");
  for (const auto& c : t.coarse) EXPECT_NO_THROW(fmnerg_to_gmner_type(c));
  EXPECT_EQ(fine_label_to_gmner(t, "B-athlete"), "B-PER");
  EXPECT_EQ(fine_label_to_gmner(t, "I-sports_facility"), "I-LOC");
  EXPECT_EQ(fine_label_to_gmner(t, "B-common_person"), "B-PER");
  EXPECT_EQ(fine_label_to_gmner(t, "O"), "O");
  for (const char* bad : {"B-PER", "athlete", "X-athlete", "B-", ""}) EXPECT_THROW(fine_label_to_gmner(t, bad), Error) << bad;
}

class FmnergReal : public testing::TestWithParam<std::tuple<const char*, size_t, long>> {};

TEST_P(FmnergReal, CountsAndAgreementWithGmner) {
  const std::string split = std::get<0>(GetParam());
  const std::string f = test::data("fmnerg/" + split + ".txt"), g = test::data("gmner/" + split + ".txt");
  const std::string tp = test::data("fmnerg/coarse_fine_tree.json");
  SKIP_WITHOUT(f);
  TypeTree tree = load_type_tree(tp);
  auto fp = read_fmnerg(f, &tree);
  EXPECT_EQ(fp.size(), std::get<1>(GetParam()));
  long n = 0;
  for (const auto& p : fp) n += static_cast<long>(p.entities.size());
  EXPECT_EQ(n, std::get<2>(GetParam()));
  std::stringstream ss;
  write_fmnerg(ss, fp);
  EXPECT_EQ(read_fmnerg(ss, "rt", &tree), fp);
  // Identical spans in GMNER: the documented coarse mapping must agree with GMNER's type.
  SKIP_WITHOUT(g);
  auto gp = read_conll(g);
  ASSERT_EQ(gp.size(), fp.size());
  std::map<std::pair<std::string, std::string>, long> pairs;
  long same_span = 0, agree = 0;
  for (size_t i = 0; i < gp.size(); ++i) {
    ASSERT_EQ(gp[i].id, fp[i].id);
    ASSERT_EQ(gp[i].tokens, fp[i].tokens);
    for (const auto& fe : fp[i].entities)
      for (const auto& ge : gp[i].entities)
        if (fe.start == ge.start && fe.end == ge.end) {
          ++same_span;
          ++pairs[{fe.type, ge.type}];
          agree += fmnerg_to_gmner_type(fe.type) == ge.type;
        }
  }
  EXPECT_EQ(same_span, n);
  EXPECT_EQ(agree, same_span);
  for (const auto& [k, v] : pairs) std::cerr << split << ": " << k.first << " -> " << k.second << ": " << v << "\n";
}

INSTANTIATE_TEST_SUITE_P(Data, FmnergReal,
                         testing::Values(std::make_tuple("train", size_t{7000}, 11779L),
                                         std::make_tuple("dev", size_t{1500}, 2450L)));
