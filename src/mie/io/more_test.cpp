#include "mie/io/more.h"

#include <gtest/gtest.h>

#include <sstream>

#include "mie/io/test_util.h"

using namespace mie;
using namespace mie::io;

TEST(More, ReadsFixtureAndAttachesBoxes) {
  const std::string f = test::fixture("io/more_sample.txt"), o = test::fixture("io/more_objects.json");
  SKIP_WITHOUT(f);
  auto v = read_more(f);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0].entity.name, "Kobe Bryant");
  EXPECT_EQ(v[0].entity.start, 0);
  EXPECT_EQ(v[0].entity.end, 2);
  EXPECT_EQ(v[0].object.name, "man");
  EXPECT_TRUE(v[0].object.has_box);
  EXPECT_EQ(v[0].relation, "/per/per/parent");
  EXPECT_EQ(v[2].tokens[1], "'s");
  EXPECT_FALSE(v[1].object.has_box);
  Box px = v[0].object.to_pixels(200, 100);
  EXPECT_FLOAT_EQ(px.x1, 20.f);
  EXPECT_FLOAT_EQ(px.y1, 10.f);
  EXPECT_FLOAT_EQ(px.x2, 80.f);
  EXPECT_FLOAT_EQ(px.y2, 90.f);
  EXPECT_THROW(v[1].object.to_pixels(10, 10), Error);
  long missing = attach_more_boxes(v, read_more_objects(o));
  EXPECT_EQ(missing, 1);  // more_0002.jpg has no entry
  EXPECT_TRUE(v[1].object.has_box);
  EXPECT_FLOAT_EQ(v[1].object.cx, 0.7f);
  EXPECT_FALSE(v[2].object.has_box);
}

TEST(More, Errors) {
  auto parse = [](const std::string& s) {
    std::istringstream in(s);
    return read_more(in, "more.txt");
  };
  const std::string ok =
      "{'token': ['a', 'b'], 'h': {'name': 'a', 'pos': [0, 1]}, 't': {'name': 'man', 'box': [0.5, 0.5, 0.2, 0.2]}, "
      "'img_id': 'i.jpg', 'relation': 'r'}";
  EXPECT_EQ(parse(ok).size(), 1u);
  std::string pixel = ok;
  pixel.replace(pixel.find("[0.5, 0.5, 0.2, 0.2]"), 20, "[50, 50, 20, 20]");
  EXPECT_PARSE_ERROR(parse(ok + "\n" + pixel), "more.txt", 2, "not normalised");
  std::string three = ok;
  three.replace(three.find("[0.5, 0.5, 0.2, 0.2]"), 20, "[0.5, 0.5, 0.2]");
  EXPECT_PARSE_ERROR(parse(three), "more.txt", 1, "[cx, cy, w, h]");
  std::string no_t = ok.substr(0, ok.find(", 't'")) + ", 'img_id': 'i.jpg', 'relation': 'r'}";
  EXPECT_PARSE_ERROR(parse(no_t), "more.txt", 1, "'t'");
  EXPECT_PARSE_ERROR(parse("{'token': ['a'],"), "more.txt", 1, "column");
  const std::string bad = test::temp_file("more_bad.json", "{\"i.jpg\": {\"man\": [1, 2]}}");
  EXPECT_PARSE_ERROR(read_more_objects(bad), bad, 0, "object 'man'");
}
