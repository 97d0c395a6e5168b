// The public API's input side (mie/mie.h): parse_post and make_post, without a model.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mie/core/error.h"
#include "mie/mie.h"

namespace {

std::string error_of(const std::string& line) {
  try {
    mie::parse_post(line, "7");
  } catch (const mie::Error& e) {
    return e.what();
  }
  return "";
}

TEST(ParsePost, TextIsTokenizedAndIdDefaults) {
  const mie::Post p = mie::parse_post(R"({"text": "RT @nasa : Barack Obama visits New York", "image": "a/1.jpg"})", "7");
  EXPECT_EQ(p.id, "7");
  EXPECT_EQ(p.tokens, (std::vector<std::string>{"RT", "@", "nasa", ":", "Barack", "Obama", "visits", "New", "York"}));
  ASSERT_TRUE(p.image.has_value());
  EXPECT_EQ(p.image->path, "a/1.jpg");
  const mie::Post q = mie::parse_post(R"({"id": "x", "tokens": ["Messi", "joins", "PSG"]})", "7");
  EXPECT_EQ(q.id, "x");
  EXPECT_EQ(q.tokens.size(), 3u);
  EXPECT_FALSE(q.image.has_value());
}

TEST(ParsePost, BadInputGivesClearErrors) {
  EXPECT_NE(error_of(R"({"text": "broken)").find("invalid JSON"), std::string::npos);
  EXPECT_NE(error_of("[1, 2]").find("expected a JSON object"), std::string::npos);
  EXPECT_NE(error_of(R"({"id": "x"})").find("neither \"tokens\" nor \"text\""), std::string::npos);
  EXPECT_NE(error_of(R"({"text": 5})").find("\"text\" must be a string"), std::string::npos);
  EXPECT_NE(error_of("{\"text\": \"caf\xe9\"}").find("UTF-8"), std::string::npos);
}

TEST(ParsePost, DeepNestingIsRefusedNotParsed) {
  std::string deep = R"({"text": "x", "extra": )";
  for (int i = 0; i < 100000; ++i) deep += '[';
  EXPECT_NE(error_of(deep).find("nested deeper than 32 levels"), std::string::npos);
  std::string fine = R"({"text": "x", "extra": )" + std::string(20, '[') + std::string(20, ']') + "}";
  EXPECT_EQ(error_of(fine), "");
}

}  // namespace
