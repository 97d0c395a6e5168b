#include "mie/io/mnre.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "mie/io/test_util.h"

using namespace mie;
using namespace mie::io;

namespace {
const char* kLine =
    "{'token': ['RT', '@WLWT', ':', 'Bill', 'Cosby', \"'s\", 'star', 'on', 'Hollywood', 'Walk', 'of', 'Fame', "
    "'vandalized'], 'h': {'name': 'Bill Cosby', 'pos': [3, 5]}, 't': {'name': 'Hollywood Walk of Fame', 'pos': [8, 12]}, "
    "'img_id': 'twitter_stream_2018_09_04_11_0_2_240.jpg', 'relation': '/per/misc/present_in'}";
std::vector<MreInstance> parse(const std::string& s, MreReadStats* st = nullptr) {
  std::istringstream in(s);
  return read_mnre(in, "m.txt", st);
}
}  // namespace

TEST(Mnre, ReadsReadmeExample) {
  MreReadStats st;
  auto v = parse(std::string(kLine) + "\r\n\n", &st);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].tokens.size(), 13u);
  EXPECT_EQ(v[0].tokens[5], "'s");
  EXPECT_EQ(v[0].head.name, "Bill Cosby");
  EXPECT_EQ(v[0].head.start, 3);
  EXPECT_EQ(v[0].head.end, 5);
  EXPECT_EQ(v[0].tail.end, 12);
  EXPECT_EQ(v[0].relation, "/per/misc/present_in");
  EXPECT_EQ(st.instances, 1);
  EXPECT_EQ(st.name_mismatches, 0);
  Post p = mnre_to_post(v[0]);
  EXPECT_EQ(p.id, "twitter_stream_2018_09_04_11_0_2_240");
  EXPECT_EQ(span_text(p, p.entities[1]), "Hollywood Walk of Fame");
  EXPECT_EQ(p.relations[0].label, "/per/misc/present_in");
}

TEST(Mnre, LineWriterRoundTrips) {
  auto v = parse(kLine);
  EXPECT_EQ(mnre_line(v[0]), kLine);
  v[0].tokens[0] = "it's \"q\" \\";
  EXPECT_EQ(parse(mnre_line(v[0])), v);
}

TEST(Mnre, NameMismatchIsCountedNotFatal) {
  std::string l = kLine;
  l.replace(l.find("'Bill Cosby'"), 12, "'B. Cosby'");
  MreReadStats st;
  auto v = parse(l + "\n" + kLine + "\n", &st);
  EXPECT_EQ(v[0].head.name, "B. Cosby");
  EXPECT_EQ(v[0].head.start, 3);
  EXPECT_EQ(st.name_mismatches, 1);
}

TEST(Mnre, Errors) {
  const std::string f = "m.txt";
  std::string bad_pos = kLine;
  bad_pos.replace(bad_pos.find("[8, 12]"), 7, "[8, 14]");
  EXPECT_PARSE_ERROR(parse(std::string(kLine) + "\n" + bad_pos), f, 2, "not a non-empty range within 13 tokens");
  std::string rev = kLine;
  rev.replace(rev.find("[3, 5]"), 6, "[5, 3]");
  EXPECT_PARSE_ERROR(parse(rev), f, 1, "'h': pos [5, 3]");
  EXPECT_PARSE_ERROR(parse("\n{'token': ['a'], 'h': {'name': 'a', 'pos': [0, 1]}}"), f, 2, "missing or non-dict field 't'");
  EXPECT_PARSE_ERROR(parse("{'token': ['a'"), f, 1, "column");
  EXPECT_PARSE_ERROR(parse("[1, 2]"), f, 1, "expected a dict");
  std::string norel = kLine;
  norel.replace(norel.find("'/per/misc/present_in'"), 22, "None");
  EXPECT_PARSE_ERROR(parse(norel), f, 1, "'relation' must be a string");
}

TEST(Mnre, PredictionLine) {
  std::ostringstream o;
  write_mnre_prediction(o, 3, "/per/per/peer", 0.5);
  EXPECT_EQ(o.str(), "{\"id\":3,\"relation\":\"/per/per/peer\",\"score\":0.5}\n");
}

TEST(Mnre, SplitPathHandlesUpstreamSpace) {
  const std::string dir = test::temp_dir() + "/mnre_names";
  std::filesystem::create_directories(dir);
  test::temp_file("mnre_names/mnre_val .txt", kLine);
  test::temp_file("mnre_names/mnre_train.txt", kLine);
  EXPECT_EQ(mnre_split_path(dir, "val"), dir + "/mnre_val .txt");
  EXPECT_EQ(mnre_split_path(dir, "train"), dir + "/mnre_train.txt");
  EXPECT_EQ(read_mnre(mnre_split_path(dir, "val")).size(), 1u);
  EXPECT_THROW(mnre_split_path(dir, "test"), Error);
}

TEST(MnreReal, TrainAndVal) {
  const std::string dir = test::data("mnre");
  SKIP_WITHOUT(dir + "/train.txt");
  MreReadStats st;
  auto train = read_mnre(mnre_split_path(dir, "train"), &st);
  auto val = read_mnre(mnre_split_path(dir, "val"));
  EXPECT_EQ(train.size(), 12247u);
  EXPECT_EQ(val.size(), 1624u);
  std::set<std::string> labels;
  for (const auto& m : train) labels.insert(m.relation);
  EXPECT_EQ(labels.size(), 23u);
  EXPECT_TRUE(labels.count("None"));
  EXPECT_TRUE(labels.count("/per/per/alumi"));
  std::cerr << "MNRE train: " << st.name_mismatches << " name/pos mismatches\n";
}
