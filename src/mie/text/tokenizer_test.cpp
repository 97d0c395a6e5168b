// ctest-labels: data
#include "mie/text/tokenizer.h"

#include <gtest/gtest.h>

#include <fstream>

#include "mie/core/error.h"
#include "mie/core/paths.h"
#include "mie/text/features.h"

namespace {
using Toks = std::vector<std::string>;
using namespace mie::text;

TEST(Tokenizer, RetweetMentionsHashtagsUrlsEmoji) {
  EXPECT_EQ(tokenize("RT @nasa: Launch at 5pm!! #SpaceX http://t.co/Z3neVBQ7vF \xF0\x9F\x9A\x80"),
            (Toks{"RT", "@", "nasa", ":", "Launch", "at", "5pm", "!!", "#", "SpaceX", "http://t.co/Z3neVBQ7vF",
                  "\xF0\x9F\x9A\x80"}));
  TokenizerOptions keep;
  keep.split_tag_marks = false;
  EXPECT_EQ(tokenize("RT @JayKenMinaj_: wow #NBAAwards", keep),
            (Toks{"RT", "@JayKenMinaj_", ":", "wow", "#NBAAwards"}));
}

TEST(Tokenizer, CliticsAbbreviationsAndPunctuation) {
  EXPECT_EQ(tokenize("Bill Cosby's star in the U.S. isn't \"gone\"..."),
            (Toks{"Bill", "Cosby", "'s", "star", "in", "the", "U.S.", "is", "n't", "\"", "gone", "\"", "..."}));
  EXPECT_EQ(tokenize("AT&T,e-mail (ok)"), (Toks{"AT&T", ",", "e-mail", "(", "ok", ")"}));
  EXPECT_EQ(tokenize("  \t\n "), Toks{});
}

TEST(Tokenizer, EmojiSequencesAndUnicode) {
  // Two adjacent emoji, one with a variation selector; a flag-free ZWJ family stays one token.
  EXPECT_EQ(tokenize("Go\xF0\x9F\x8F\x80\xE2\x9C\x88\xEF\xB8\x8F Z\xC3\xBCrich \xE2\x80\x9Cquote\xE2\x80\x9D"),
            (Toks{"Go", "\xF0\x9F\x8F\x80", "\xE2\x9C\x88\xEF\xB8\x8F", "Z\xC3\xBCrich", "\xE2\x80\x9C", "quote",
                  "\xE2\x80\x9D"}));
}

TEST(Tokenizer, InvalidUtf8Throws) {
  EXPECT_THROW(tokenize("bad \xC3\x28 byte"), mie::Error);
  EXPECT_THROW(tokenize("overlong \xC0\xAF"), mie::Error);
  EXPECT_THROW(tokenize("cut \xE2\x82"), mie::Error);
  EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));  // surrogate
  EXPECT_TRUE(valid_utf8("\xF0\x9F\x98\x83"));
}

TEST(Features, ShapesAndKeys) {
  EXPECT_EQ(word_shape("SpaceX"), "XxX");
  EXPECT_EQ(word_shape("2017"), "d");
  EXPECT_EQ(word_shape("U.S."), "X.X.");
  EXPECT_EQ(lookup_key("#SpaceX"), "spacex");
  EXPECT_EQ(lookup_key("@"), "@");
  EXPECT_EQ(lookup_key("https://t.co/abc"), "<url>");
  EXPECT_EQ(to_lower("Z\xC3\x9C" "RICH"), "z\xC3\xBC" "rich");
}

// The first post of the GMNER training file: "RT @ MahaveerM _ : Pak is ... &amp ; ... # ProudOfRAW".
TEST(Features, RealGmnerTweet) {
  std::ifstream in(mie::data_dir() + "/gmner/train.txt");
  ASSERT_TRUE(in) << "GMNER data not found under " << mie::data_dir();
  std::string line;
  std::getline(in, line);
  ASSERT_EQ(line.rfind("IMGID:", 0), 0u);
  Toks toks;
  while (std::getline(in, line) && !line.empty()) toks.push_back(line.substr(0, line.find('\t')));
  ASSERT_GE(toks.size(), 8u);
  ASSERT_EQ(toks[0], "RT");
  ASSERT_EQ(toks[1], "@");
  auto f = token_features(toks);
  EXPECT_TRUE(f[0].test(kRtPrefix) && f[0].test(kFirst) && f[0].test(kAllCaps));
  EXPECT_TRUE(f[1].test(kTagMark));
  EXPECT_TRUE(f[2].test(kMention) && f[2].test(kRtPrefix));  // MahaveerM
  EXPECT_TRUE(f[3].test(kMention));                          // "_" continues the handle
  EXPECT_TRUE(f[4].test(kRtPrefix) && f[4].test(kPunct));    // ":"
  EXPECT_FALSE(f[5].test(kRtPrefix));                        // "Pak"
  EXPECT_TRUE(f[5].test(kInitCap) && f[5].test(kAfterPunct));
  size_t tag = toks.size() - 1;
  EXPECT_EQ(toks[tag - 1], "#");
  EXPECT_TRUE(f[tag].test(kHashtag) && f[tag].test(kCamelInTag));  // ProudOfRAW
  // Tokenizing the joined text with tag marks split reproduces the tokens of this post.
  std::string joined;
  for (auto& t : toks) joined += (joined.empty() ? "" : " ") + t;
  EXPECT_EQ(tokenize(joined), toks);
}

TEST(Features, UrlsEmojiDigits) {
  auto f = token_features({"see", "http://t.co/x", "\xF0\x9F\x98\x83", "2017", "iPhone"});
  EXPECT_TRUE(f[1].test(kUrl));
  EXPECT_TRUE(f[2].test(kEmoji) && f[2].test(kPunct));
  EXPECT_TRUE(f[3].test(kAllDigit) && f[3].test(kHasDigit));
  EXPECT_TRUE(f[4].test(kMixedCase));
  EXPECT_FALSE(f[0].test(kRtPrefix));
}

}  // namespace
