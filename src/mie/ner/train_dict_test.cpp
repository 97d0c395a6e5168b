#include "mie/ner/train_dict.h"

#include <gtest/gtest.h>

#include "mie/core/error.h"

namespace {
using namespace mie;
using ner::TrainDict;

Post post(std::vector<std::string> toks, std::vector<Entity> ents) {
  Post p;
  p.tokens = std::move(toks);
  p.entities = std::move(ents);
  return p;
}
Entity ent(int s, int e, std::string type) {
  Entity x;
  x.start = s;
  x.end = e;
  x.type = std::move(type);
  return x;
}

const std::vector<std::string> kTypes = {"LOC", "ORG", "PER"};

std::vector<Post> corpus() {
  return {post({"New", "York", "Knicks", "win"}, {ent(0, 3, "ORG")}),        // fold 0
          post({"I", "love", "new", "york"}, {ent(2, 4, "LOC")}),            // fold 1
          post({"#Apple", "beats", "apple", "pie"}, {ent(0, 1, "ORG")}),     // fold 0
          post({"New", "York", "again"}, {ent(0, 2, "LOC")})};               // fold 1
}

std::vector<float> feats(const TrainDict& d, const std::vector<std::string>& toks) {
  std::vector<float> f(toks.size() * static_cast<size_t>(d.num_feats() + 1), 0.f);
  d.features(toks, f.data(), d.num_feats() + 1, 1);
  return f;
}

TEST(TrainDict, LongestMatchWithRatioCountAndTypeShares) {
  TrainDict d = TrainDict::build(corpus(), kTypes);
  EXPECT_EQ(d.size(), 3u);  // "new york knicks", "new york", "apple"
  const int w = d.num_feats() + 1;
  ASSERT_EQ(d.num_feats(), 7);
  auto f = feats(d, {"the", "NEW", "YORK", "Knicks", "and", "#NEW", "york"});
  EXPECT_EQ(f[0 * w + 1], 0.f);                  // "the": no match
  EXPECT_EQ(f[1 * w + 1], 1.f);                  // B of the longest match "new york knicks"
  EXPECT_EQ(f[2 * w + 2], 1.f);                  // I
  EXPECT_EQ(f[3 * w + 2], 1.f);                  // I
  EXPECT_FLOAT_EQ(f[1 * w + 1 + 3 + 1 + 1], 1.f);  // all of it ORG
  EXPECT_EQ(f[4 * w + 1] + f[4 * w + 2], 0.f);   // "and"
  EXPECT_EQ(f[5 * w + 1], 1.f);                  // "#NEW york": the '#' is dropped
  // "new york" was annotated twice (LOC) and occurs 3 times (also inside the ORG span).
  EXPECT_FLOAT_EQ(f[5 * w + 3], 2.f / 3.f);
  EXPECT_FLOAT_EQ(f[5 * w + 5], 1.f);            // LOC share
  // "apple": annotated once, occurs twice.
  auto g = feats(d, {"apple"});
  EXPECT_FLOAT_EQ(g[3], 0.5f);
  EXPECT_GT(g[4], 0.f);
}

TEST(TrainDict, FoldsLeaveOutTheirOwnPosts) {
  TrainDict without0 = TrainDict::build(corpus(), kTypes, 2, 0);  // only posts 1 and 3
  EXPECT_EQ(without0.size(), 1u);                                  // "new york"
  auto f = feats(without0, {"Apple", "New", "York", "Knicks"});
  const int w = without0.num_feats() + 1;
  EXPECT_EQ(f[0 * w + 1], 0.f);
  EXPECT_EQ(f[1 * w + 1], 1.f);
  EXPECT_EQ(f[3 * w + 1] + f[3 * w + 2], 0.f);  // "knicks" alone is no entry
  EXPECT_FLOAT_EQ(f[1 * w + 3], 1.f);           // posts 1 and 3: 2 annotated, 2 occurrences
}

TEST(TrainDict, JsonRoundTripAndTypeCheck) {
  TrainDict d = TrainDict::build(corpus(), kTypes);
  TrainDict back = TrainDict::from_json(d.to_json(), kTypes);
  EXPECT_EQ(back.to_json(), d.to_json());
  const std::vector<std::string> toks = {"new", "york", "knicks", "apple"};
  EXPECT_EQ(feats(back, toks), feats(d, toks));
  EXPECT_THROW(TrainDict::from_json(d.to_json(), {"LOC", "ORG"}), Error);
  auto bad = d.to_json();
  bad["entries"][0][3] = {1};
  EXPECT_THROW(TrainDict::from_json(bad, kTypes), Error);
}

// Token statistics: "york" is inside an entity at all 3 of its occurrences (ORG once, LOC twice),
// never first; "new" is always first; "apple" is inside once (ORG, first) of 2 occurrences;
// "knicks" once of once. Tokens never annotated get no columns.
TEST(TrainDict, TokenStatistics) {
  TrainDict d = TrainDict::build(corpus(), kTypes, 1, -1, /*tokens=*/true);
  ASSERT_TRUE(d.has_token_stats());
  ASSERT_EQ(d.num_feats(), 7 + 6);
  EXPECT_EQ(d.num_token_stats(), 4u);  // new, york, knicks, apple
  const int w = d.num_feats() + 1, b = 1 + 7;  // offset 1, after the 7 whole-string columns
  auto f = feats(d, {"York", "new", "APPLE", "win", "knicks"});
  EXPECT_FLOAT_EQ(f[0 * w + b + 0], 1.f);        // york: always inside
  EXPECT_FLOAT_EQ(f[0 * w + b + 2], 0.f);        // never at the start
  EXPECT_FLOAT_EQ(f[0 * w + b + 3], 2.f / 3.f);  // LOC
  EXPECT_FLOAT_EQ(f[0 * w + b + 4], 1.f / 3.f);  // ORG
  EXPECT_FLOAT_EQ(f[1 * w + b + 2], 1.f);        // new: always the start
  EXPECT_FLOAT_EQ(f[2 * w + b + 0], 0.5f);       // apple: inside once of twice
  EXPECT_FLOAT_EQ(f[2 * w + b + 4], 0.5f);
  EXPECT_GT(f[2 * w + b + 1], 0.f);              // count feature
  for (int k = 0; k < 6; ++k) EXPECT_EQ(f[3 * w + b + k], 0.f) << k;  // "win": never annotated
  EXPECT_FLOAT_EQ(f[4 * w + b + 0], 1.f);        // knicks (no whole-string entry of its own)
  EXPECT_EQ(f[4 * w + 1] + f[4 * w + 2], 0.f);
  // Without token statistics the columns do not exist.
  EXPECT_EQ(TrainDict::build(corpus(), kTypes).num_feats(), 7);
  // Folds: without fold 0 (posts 0 and 2) "knicks" and "apple" were never seen inside an entity.
  TrainDict without0 = TrainDict::build(corpus(), kTypes, 2, 0, true);
  EXPECT_EQ(without0.num_token_stats(), 2u);
  auto g = feats(without0, {"york", "apple"});
  EXPECT_FLOAT_EQ(g[0 * w + b + 0], 1.f);  // york: 2 of 2 in posts 1 and 3
  EXPECT_FLOAT_EQ(g[0 * w + b + 3], 1.f);  // LOC only
  EXPECT_EQ(g[1 * w + b + 0], 0.f);
  // JSON round trip keeps them; a malformed token row is refused.
  TrainDict back = TrainDict::from_json(d.to_json(), kTypes);
  EXPECT_TRUE(back.has_token_stats());
  EXPECT_EQ(back.to_json(), d.to_json());
  EXPECT_EQ(feats(back, {"York", "new", "APPLE"}), feats(d, {"York", "new", "APPLE"}));
  auto bad = d.to_json();
  bad["tokens"][0][3] = {1};
  EXPECT_THROW(TrainDict::from_json(bad, kTypes), Error);
}

}  // namespace
