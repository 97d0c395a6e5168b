// Hand-computed GMNER / FMNERG fixtures (box and candidate mode).
#include "mie/eval/gmner.h"

#include <gtest/gtest.h>

#include "mie/core/error.h"
#include "mie/eval/align.h"

namespace {

using mie::Box;
using mie::Entity;
using mie::Post;
namespace ev = mie::eval;

Entity ent(int s, int e, const std::string& type, std::vector<Box> boxes = {}, int region = -1) {
  Entity x;
  x.start = s;
  x.end = e;
  x.type = type;
  x.groundable = !boxes.empty();
  x.boxes = std::move(boxes);
  x.region = region;
  return x;
}

Post post(const std::string& id, int n, std::vector<Entity> es) {
  Post p;
  p.id = id;
  for (int i = 0; i < n; ++i) p.tokens.push_back("t" + std::to_string(i));
  p.entities = std::move(es);
  return p;
}

void expect_prf(const mie::eval::Prf& s, long tp, long pred, long gold) {
  EXPECT_EQ(s.tp, tp);
  EXPECT_EQ(s.pred, pred);
  EXPECT_EQ(s.gold, gold);
}

// The worked example of docs/metrics.md.
struct BoxFixture : ::testing::Test {
  std::vector<Post> gold, pred;
  void SetUp() override {
    gold = {post("a", 6,
                 {ent(0, 2, "PER", {{0, 0, 10, 10}, {20, 20, 30, 30}}),  // two gold boxes
                  ent(3, 4, "LOC"),                                      // ungroundable
                  ent(4, 6, "ORG", {{0, 0, 10, 10}})}),
            post("b", 2, {ent(0, 1, "PER")}), post("c", 2, {})};
    pred = {post("c", 2, {ent(0, 1, "ORG")}),
            post("a", 6,
                 {ent(0, 2, "PER", {{20, 20, 30, 30}}),  // right box is the 2nd gold box
                  ent(3, 4, "LOC", {{0, 0, 1, 1}}),      // box for an ungroundable entity
                  ent(4, 6, "OTHER", {{0, 0, 10, 5}}),   // IoU exactly 0.5, wrong type
                  ent(2, 3, "PER")})};                   // no such gold span
    // "b" has no prediction: it predicts nothing.
  }
};

TEST_F(BoxFixture, HandComputedCounts) {
  auto aligned = ev::align_predictions(gold, pred);
  auto r = ev::score_gmner(gold, aligned);
  const auto g = r.at("gmner").total();
  expect_prf(g, 1, 5, 4);
  EXPECT_DOUBLE_EQ(g.p, 20.0);
  EXPECT_DOUBLE_EQ(g.r, 25.0);
  EXPECT_NEAR(g.f1, 200.0 / 9.0, 1e-9);
  expect_prf(r.at("mner").total(), 2, 5, 4);
  EXPECT_NEAR(r.at("mner").total().f1, 400.0 / 9.0, 1e-9);
  expect_prf(r.at("eeg").total(), 2, 5, 4);
  const auto& x = r.at("gmner").extra;
  EXPECT_EQ(x["groundable_correct"], 1);
  EXPECT_EQ(x["groundable_total"], 1);
  EXPECT_EQ(x["ungroundable_correct"], 0);
  EXPECT_EQ(x["ungroundable_total"], 1);
  // Per type: tp under the type, pred under the predicted type, gold under the gold type.
  const auto& pt = r.at("gmner").per_type;
  EXPECT_EQ(pt.at("PER"), (ev::Tally{1, 2, 2}));
  EXPECT_EQ(pt.at("LOC"), (ev::Tally{0, 1, 1}));
  EXPECT_EQ(pt.at("ORG"), (ev::Tally{0, 1, 1}));
  EXPECT_EQ(pt.at("OTHER"), (ev::Tally{0, 1, 0}));
  // One tally per gold post, in gold order.
  ASSERT_EQ(r.at("gmner").per_post.size(), 3u);
  EXPECT_EQ(r.at("gmner").per_post[1], (ev::Tally{0, 0, 1}));
  EXPECT_EQ(r.at("gmner").per_post[2], (ev::Tally{0, 1, 0}));
}

TEST_F(BoxFixture, IouJustBelowHalfIsWrong) {
  pred[1].entities[2] = ent(4, 6, "ORG", {{0, 0, 10, 4.9f}});
  auto r = ev::score_gmner(gold, ev::align_predictions(gold, pred));
  expect_prf(r.at("eeg").total(), 1, 5, 4);
  pred[1].entities[2] = ent(4, 6, "ORG", {{0, 0, 10, 5}});  // exactly 0.5, right type
  r = ev::score_gmner(gold, ev::align_predictions(gold, pred));
  expect_prf(r.at("gmner").total(), 2, 5, 4);
}

TEST_F(BoxFixture, GroundableFalseMeansNoBoxEvenWithBoxes) {
  pred[1].entities[1].groundable = false;  // box present but flagged not groundable -> "no box"
  auto r = ev::score_gmner(gold, ev::align_predictions(gold, pred));
  expect_prf(r.at("gmner").total(), 2, 5, 4);
  EXPECT_EQ(r.at("gmner").extra["ungroundable_correct"], 1);
}

TEST(GmnerBox, DuplicateSpansCollapseLastWins) {
  std::vector<Post> gold = {post("a", 3, {ent(0, 2, "PER", {{0, 0, 10, 10}})})};
  std::vector<Post> pred = {post("a", 3, {ent(0, 2, "PER"), ent(0, 2, "PER", {{0, 0, 10, 10}})})};
  auto r = ev::score_gmner(gold, pred);
  expect_prf(r.at("gmner").total(), 1, 1, 1);
  std::swap(pred[0].entities[0], pred[0].entities[1]);  // now the box-less one comes last
  r = ev::score_gmner(gold, pred);
  expect_prf(r.at("gmner").total(), 0, 1, 1);
  expect_prf(r.at("mner").total(), 1, 1, 1);
}

TEST(GmnerBox, OverlappingSpansAreDistinctPredictions) {
  std::vector<Post> gold = {post("a", 4, {ent(0, 2, "PER")})};
  std::vector<Post> pred = {post("a", 4, {ent(0, 2, "PER"), ent(1, 3, "PER"), ent(0, 3, "PER")})};
  auto r = ev::score_gmner(gold, pred);
  expect_prf(r.at("gmner").total(), 1, 3, 1);
  EXPECT_NEAR(r.at("gmner").total().f1, 50.0, 1e-9);
}

TEST(GmnerBox, EmptyPredictionsScoreZero) {
  std::vector<Post> gold = {post("a", 3, {ent(0, 1, "PER")}), post("b", 3, {ent(1, 2, "LOC")})};
  auto r = ev::score_gmner(gold, ev::align_predictions(gold, {}));
  const auto s = r.at("gmner").total();
  expect_prf(s, 0, 0, 2);
  EXPECT_EQ(s.p, 0.0);
  EXPECT_EQ(s.f1, 0.0);
}

TEST(GmnerBox, UnalignedInputThrows) {
  std::vector<Post> gold = {post("a", 3, {})};
  EXPECT_THROW(ev::score_gmner(gold, {}), mie::Error);
  EXPECT_THROW(ev::score_gmner(gold, {post("b", 3, {})}), mie::Error);
}

TEST(GmnerCandidate, GoldRegionsNeedIouAboveHalf) {
  std::vector<Box> cands = {{0, 0, 10, 10}, {0, 0, 10, 5}, {100, 100, 110, 110}, {20, 20, 30, 30}};
  EXPECT_EQ(ev::gold_regions({{0, 0, 10, 10}}, cands), (std::vector<int>{0}));  // c1 is exactly 0.5
  EXPECT_EQ(ev::gold_regions({{0, 0, 10, 10}, {21, 20, 30, 30}}, cands), (std::vector<int>{0, 3}));
  EXPECT_TRUE(ev::gold_regions({{50, 50, 60, 60}}, cands).empty());
}

TEST(GmnerCandidate, HandComputedWithUncoveredEntity) {
  ev::Candidates cands = {{"a", {{0, 0, 10, 10}, {0, 0, 10, 5}, {100, 100, 110, 110}, {20, 20, 30, 30}}}};
  std::vector<Post> gold = {post("a", 4,
                                 {ent(0, 1, "PER", {{0, 0, 10, 10}, {21, 20, 30, 30}}),  // regions {0, 3}
                                  ent(1, 2, "LOC", {{50, 50, 60, 60}}),                  // uncovered
                                  ent(2, 3, "ORG"),                                      // none
                                  ent(3, 4, "PER", {{0, 0, 10, 5}})})};                  // regions {1}
  std::vector<Post> pred = {post("a", 4,
                                 {ent(0, 1, "PER", {}, 3), ent(1, 2, "LOC", {}, 2), ent(2, 3, "ORG", {}, -1),
                                  ent(3, 4, "PER", {}, 0)})};  // c0 has IoU exactly 0.5: wrong
  ev::GmnerOptions o;
  o.mode = ev::RegionMode::Candidate;
  o.candidates = &cands;
  auto r = ev::score_gmner(gold, pred, o);
  expect_prf(r.at("gmner").total(), 2, 4, 4);
  expect_prf(r.at("mner").total(), 4, 4, 4);
  expect_prf(r.at("eeg").total(), 2, 4, 4);
  EXPECT_EQ(r.at("gmner").extra["uncovered"], 1);
  EXPECT_EQ(r.at("gmner").extra["groundable_correct"], 1);
  EXPECT_EQ(r.at("gmner").extra["groundable_total"], 3);
  EXPECT_EQ(r.at("gmner").extra["ungroundable_correct"], 1);
  // The uncovered entity can never be right, whatever is predicted.
  for (int reg : {-1, 0, 1, 2, 3, 99}) {
    pred[0].entities[1].region = reg;
    EXPECT_EQ(ev::score_gmner(gold, pred, o).at("gmner").total().tp, 2) << reg;
  }
  // Missing candidates for a post is an error, not a silent zero.
  ev::Candidates none;
  o.candidates = &none;
  EXPECT_THROW(ev::score_gmner(gold, pred, o), mie::Error);
  o.candidates = nullptr;
  EXPECT_THROW(ev::score_gmner(gold, pred, o), mie::Error);
}

TEST(Fmnerg, FineCoarseAndNoRegionVariants) {
  auto fine = [](Entity e, const std::string& f) {
    e.fine_type = f;
    return e;
  };
  std::vector<Post> gold = {post("a", 4,
                                 {fine(ent(0, 2, "person", {{0, 0, 10, 10}}), "athlete"),
                                  fine(ent(2, 3, "location"), "city"), fine(ent(3, 4, "event"), "festival")})};
  std::vector<Post> pred = {post("a", 4,
                                 {fine(ent(0, 2, "person", {{1, 0, 10, 10}}), "politician"),  // fine wrong
                                  fine(ent(2, 3, "location"), "city"),                        // all right
                                  fine(ent(3, 4, "event", {{0, 0, 5, 5}}), "festival")})};    // region wrong
  auto r = ev::score_fmnerg(gold, pred);
  ASSERT_EQ(r.metrics.size(), 5u);
  EXPECT_EQ(r.metrics[0].name, "fmnerg");
  expect_prf(r.at("fmnerg").total(), 1, 3, 3);
  expect_prf(r.at("fine_mner").total(), 2, 3, 3);
  expect_prf(r.at("coarse").total(), 2, 3, 3);
  expect_prf(r.at("coarse_mner").total(), 3, 3, 3);
  expect_prf(r.at("eeg").total(), 2, 3, 3);
  EXPECT_EQ(r.at("fmnerg").per_type.at("athlete"), (ev::Tally{0, 0, 1}));
  EXPECT_EQ(r.at("fmnerg").per_type.at("politician"), (ev::Tally{0, 1, 0}));
  EXPECT_EQ(r.at("fmnerg").extra["ungroundable_total"], 2);  // city and festival have right span+fine
}

}  // namespace
