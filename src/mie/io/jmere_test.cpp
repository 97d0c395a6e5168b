#include "mie/io/jmere.h"

#include <gtest/gtest.h>

#include <sstream>

#include "mie/io/test_util.h"

using namespace mie;
using namespace mie::io;

namespace {
void check_sample(const std::vector<Post>& ps) {
  ASSERT_EQ(ps.size(), 2u);
  const Post& p = ps[0];
  EXPECT_EQ(p.id, "twitter_stream_2019_01_01_0");
  ASSERT_TRUE(p.image.has_value());
  EXPECT_EQ(p.image->path, "twitter_stream_2019_01_01_0.jpg");
  ASSERT_EQ(p.entities.size(), 3u);  // Barack Obama is shared by both triples
  EXPECT_EQ(span_text(p, p.entities[0]), "Barack Obama");
  EXPECT_EQ(p.entities[0].type, "PER");
  EXPECT_EQ(p.entities[2].type, "ORG");
  ASSERT_EQ(p.relations.size(), 2u);
  EXPECT_EQ(p.relations[0], (Relation{0, 1, "couple", 1.f}));
  EXPECT_EQ(p.relations[1], (Relation{0, 2, "alumi", 1.f}));
  // "none" keeps the entities but adds no relation.
  EXPECT_EQ(ps[1].entities.size(), 2u);
  ASSERT_EQ(ps[1].relations.size(), 1u);
  EXPECT_EQ(span_text(ps[1], ps[1].entities[ps[1].relations[0].head]), "France");
}
}  // namespace

TEST(Jmere, ReadsJsonArray) {
  const std::string f = test::fixture("io/jmere_sample.json");
  SKIP_WITHOUT(f);
  check_sample(read_jmere(f));
}

TEST(Jmere, ReadsJsonLinesWithCaptionAndKnowledge) {
  const std::string f = test::fixture("io/jmere_sample.jsonl");
  SKIP_WITHOUT(f);
  auto ps = read_jmere(f);
  check_sample(ps);
  EXPECT_EQ(ps[0].caption, "two people waving");
  EXPECT_EQ(ps[0].knowledge, "Barack Obama is a politician.");
}

TEST(Jmere, FromRawMnreStyleLines) {
  const std::string f = test::fixture("io/jmere_raw.txt");
  SKIP_WITHOUT(f);
  auto ps = jmere_from_mnre(read_mnre(f));
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(ps[0].entities.size(), 3u);
  EXPECT_EQ(ps[0].relations[1], (Relation{0, 2, "alumi", 1.f}));
  EXPECT_EQ(ps[0].entities[2].type, "ORG");
  EXPECT_TRUE(ps[1].entities.empty());  // "None" line: kept as a post, nothing typed
}

TEST(Jmere, Errors) {
  std::istringstream bad_line(
      "{\"token\": [\"a\"], \"img_id\": \"x.jpg\", \"label_list\": []}\n"
      "{\"token\": [\"a\"], \"img_id\": \"x.jpg\", \"label_list\": [[{\"beg_ent\": {\"name\": \"a\", \"pos\": [0, 2], "
      "\"tags\": \"per\"}, \"sec_ent\": {\"name\": \"a\", \"pos\": [0, 1], \"tags\": \"per\"}, \"relation\": \"peer\"}]]}\n");
  EXPECT_PARSE_ERROR(read_jmere(bad_line, "j.jsonl"), "j.jsonl", 2, "pos [0, 2]");
  std::istringstream bad_json("{\"token\": [\"a\"]\n");
  EXPECT_PARSE_ERROR(read_jmere(bad_json, "j.jsonl"), "j.jsonl", 1, "invalid JSON");
  std::istringstream no_tags(
      "[{\"token\": [\"a\"], \"img_id\": \"x.jpg\", \"label_list\": [[{\"beg_ent\": {\"name\": \"a\", \"pos\": [0, 1]}, "
      "\"sec_ent\": {\"name\": \"a\", \"pos\": [0, 1], \"tags\": \"per\"}, \"relation\": \"peer\"}]]}]");
  EXPECT_PARSE_ERROR(read_jmere(no_tags, "j.json"), "j.json", 0, "sentence #0: 'beg_ent' lacks a string 'tags'");
  std::istringstream no_img("[{\"token\": [\"a\"], \"label_list\": []}]");
  EXPECT_PARSE_ERROR(read_jmere(no_img, "j.json"), "j.json", 0, "img_id");
}

TEST(Jmere, MnreAsPostsGroupsDistinctTextsWithFullLabels) {
  // Two sentences, the first one's pairs split by the second's; the same image id twice.
  std::istringstream in(
      "{'token': ['Obama', 'and', 'Michelle', 'in', 'Paris'], 'h': {'name': 'Obama', 'pos': [0, 1]}, "
      "'t': {'name': 'Michelle', 'pos': [2, 3]}, 'img_id': 'a.jpg', 'relation': '/per/per/couple'}\n"
      "{'token': ['UN', 'in', 'Libya'], 'h': {'name': 'UN', 'pos': [0, 1]}, 't': {'name': 'Libya', 'pos': [2, 3]}, "
      "'img_id': 'a.jpg', 'relation': 'None'}\n"
      "{'token': ['Obama', 'and', 'Michelle', 'in', 'Paris'], 'h': {'name': 'Obama', 'pos': [0, 1]}, "
      "'t': {'name': 'Paris', 'pos': [4, 5]}, 'img_id': 'a.jpg', 'relation': '/per/loc/place_of_residence'}\n"
      "{'token': ['Obama', 'and', 'Michelle', 'in', 'Paris'], 'h': {'name': 'Obama', 'pos': [0, 1]}, "
      "'t': {'name': 'Michelle', 'pos': [2, 3]}, 'img_id': 'a.jpg', 'relation': '/per/per/couple'}\n");
  const auto ps = mnre_as_posts(read_mnre(in, "mem"));
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(ps[0].id, "a");
  EXPECT_EQ(ps[1].id, "a#2");
  ASSERT_EQ(ps[0].entities.size(), 3u);
  EXPECT_EQ(ps[0].entities[2].type, "LOC");
  ASSERT_EQ(ps[0].relations.size(), 2u);  // the repeated pair counts once
  EXPECT_EQ(ps[0].relations[0], (Relation{0, 1, "/per/per/couple", 1.f}));
  EXPECT_EQ(ps[0].relations[1], (Relation{0, 2, "/per/loc/place_of_residence", 1.f}));
  EXPECT_TRUE(ps[1].entities.empty());  // only a None pair
  EXPECT_TRUE(ps[1].relations.empty());
}
