#include "mie/io/jsonl.h"

#include <gtest/gtest.h>

#include <sstream>

#include "mie/io/test_util.h"

using namespace mie;
using namespace mie::io;

namespace {
std::vector<Post> parse(const std::string& s) {
  std::istringstream in(s);
  return read_jsonl(in, "p.jsonl");
}
Post sample() {
  Post p;
  p.id = "575705";
  p.tokens = {"RT", "Webber", "MS", "wins", "caf\xC3\xA9"};
  p.image = ImageRef{"575705.jpg", 640, 480};
  Entity e = test::ent(1, 3, "PER", "athlete");
  e.score = 0.75f;
  e.groundable = true;
  e.groundable_score = 0.625f;
  e.boxes = {{1, 2, 3, 4}, {5.5f, 6, 7, 8}};
  e.region = 3;
  Entity f = test::ent(4, 5, "LOC");
  p.entities = {e, f};
  p.relations = {{0, 1, "/per/loc/place_of_residence", 0.5f}};
  p.caption = "a man";
  p.knowledge = "Webber is a driver";
  return p;
}
}  // namespace

TEST(Jsonl, RoundTrip) {
  std::vector<Post> ps = {sample(), Post()};
  ps[1].id = "2";
  ps[1].text = "raw text only";
  std::ostringstream out;
  for (const auto& p : ps) write_jsonl_line(out, p);
  EXPECT_EQ(parse(out.str()), ps);
  const std::string path = test::temp_file("rt.jsonl", out.str());
  EXPECT_EQ(read_jsonl(path), ps);
  nlohmann::json j = post_to_json(ps[0]);
  EXPECT_EQ(j["entities"][0]["text"], "Webber MS");
  EXPECT_EQ(j["entities"][0]["fine_type"], "athlete");
  EXPECT_TRUE(j["entities"][1]["fine_type"].is_null());
  EXPECT_FALSE(j["entities"][1].contains("region"));
  EXPECT_EQ(j["entities"][0]["groundable_score"], 0.625);
  EXPECT_FALSE(j["entities"][1].contains("groundable_score"));  // not grounded
  EXPECT_TRUE(post_to_json(ps[1])["image"].is_null());
}

TEST(Jsonl, DefaultsAndTextInput) {
  auto ps = parse("{\"id\": \"9\", \"text\": \"Ted Cruz speaks\", \"caption\": \"c\"}\n\n"
                  "{\"id\": 17, \"tokens\": [\"a\", \"b\"], \"entities\": [{\"start\": 0, \"end\": 1, \"boxes\": [[1,2,3,4]]}]}\r\n");
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_TRUE(ps[0].tokens.empty());
  EXPECT_EQ(ps[0].text, "Ted Cruz speaks");
  EXPECT_EQ(ps[0].caption, "c");
  EXPECT_FALSE(ps[0].image.has_value());
  EXPECT_EQ(ps[1].id, "17");
  const Entity& e = ps[1].entities[0];
  EXPECT_EQ(e.type, "");
  EXPECT_EQ(e.fine_type, "");
  EXPECT_FLOAT_EQ(e.score, 1.f);
  EXPECT_TRUE(e.groundable);
  EXPECT_EQ(e.region, -1);
  EXPECT_LT(e.groundable_score, 0.f);
}

TEST(Jsonl, ErrorsNameFileAndLine) {
  const std::string f = "p.jsonl";
  const std::string ok = "{\"id\": \"1\"}\n";
  EXPECT_PARSE_ERROR(parse(ok + "{\"id\": \"2\",}\n"), f, 2, "invalid JSON");
  EXPECT_PARSE_ERROR(parse(ok + ok + "{\"tokens\": []}\n"), f, 3, "missing field 'id'");
  EXPECT_PARSE_ERROR(parse(ok + "{\"id\": \"2\", \"tokens\": \"a b\"}\n"), f, 2, "'tokens' must be a list");
  EXPECT_PARSE_ERROR(parse("{\"id\": \"2\", \"tokens\": [\"a\"], \"entities\": [{\"start\": 0, \"end\": 2}]}\n"), f, 1,
                     "span [0, 2) is invalid");
  EXPECT_PARSE_ERROR(parse("{\"id\": \"2\", \"tokens\": [\"a\"], \"entities\": [{\"start\": 0, \"end\": 1, \"boxes\": [[1,2,3]]}]}"),
                     f, 1, "[x1, y1, x2, y2]");
  EXPECT_PARSE_ERROR(parse("{\"id\": \"2\", \"relations\": [{\"head\": 0, \"tail\": 1}]}"), f, 1, "relation refers to entity");
  EXPECT_PARSE_ERROR(parse("{\"id\": \"2\", \"entities\": [{\"start\": \"0\", \"end\": 1}]}"), f, 1, "'start' must be an integer");
  EXPECT_PARSE_ERROR(parse(ok + "{\"id\": \"\xff\"}\n"), f, 2, "invalid UTF-8");
  EXPECT_PARSE_ERROR(parse("[1]\n"), f, 1, "must be a JSON object");
  EXPECT_PARSE_ERROR(parse("{\"id\": \"2\", \"entities\": [{\"start\": 0, \"end\": 1, \"groundable_score\": 1.5}]}"), f, 1,
                     "'groundable_score' must be in [0, 1]");
  EXPECT_PARSE_ERROR(parse(ok + "{\"id\": \"2\", \"tokens\": [\"a\", \"b\\n\"]}\n"), f, 2, "tokens[1] contains a tab or line break");
  EXPECT_PARSE_ERROR(parse("{\"id\": \"2\", \"tokens\": [\"a\\tb\"]}\n"), f, 1, "tokens[0] contains a tab");
  EXPECT_THROW(read_jsonl(test::temp_dir() + "/nope.jsonl"), Error);
}
