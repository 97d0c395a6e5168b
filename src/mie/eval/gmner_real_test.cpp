// ctest-labels: data
// Real data: GMNER dev gold scored against itself and against a degraded copy whose expected
// counts are computed independently from the edits; candidate mode on a real VinVL file.
#include <gtest/gtest.h>

#include <algorithm>

#include "mie/core/error.h"
#include "mie/core/paths.h"
#include "mie/eval/align.h"
#include "mie/eval/gmner.h"
#include "mie/eval/inputs.h"
#include "mie/eval/report.h"

namespace {

namespace ev = mie::eval;

std::vector<mie::Post> dev_gold() {
  const std::string dir = mie::data_dir() + "/gmner";
  if (!mie::file_exists(dir + "/dev.txt")) return {};
  return ev::load_gold("gmner", dir + "/dev.txt", dir + "/xml");
}

TEST(GmnerReal, DevAgainstItselfIsPerfect) {
  const auto gold = dev_gold();
  if (gold.empty()) GTEST_SKIP() << "GMNER dev data not found under " << mie::data_dir();
  ASSERT_EQ(gold.size(), 1500u);
  auto r = ev::score_gmner(gold, ev::align_predictions(gold, gold));
  for (const auto& m : r.metrics) {
    const auto s = m.total();
    EXPECT_EQ(s.gold, 2450) << m.name;
    EXPECT_EQ(s.tp, 2450) << m.name;
    EXPECT_DOUBLE_EQ(s.f1, 100.0) << m.name;
  }
  EXPECT_EQ(r.info["gold_groundable"], 991);
  EXPECT_EQ(r.at("gmner").extra["groundable_total"], 991);
  EXPECT_EQ(r.at("gmner").extra["groundable_correct"], 991);
  EXPECT_EQ(r.at("gmner").extra["ungroundable_correct"], 2450 - 991);
  for (const auto& [type, t] : r.at("gmner").per_type) EXPECT_EQ(t.tp, t.gold) << type;
}

TEST(GmnerReal, DegradedCopyMatchesCountsFromTheEdits) {
  const auto gold = dev_gold();
  if (gold.empty()) GTEST_SKIP() << "GMNER dev data not found under " << mie::data_dir();
  // Edits over entities in file order (k) and groundable entities in file order (j):
  // drop k % 4 == 3; retype k % 5 == 4; move every box of j % 3 == 2 far away (IoU 0).
  auto pred = gold;
  long k = 0, j = 0;
  long n = 0, kept = 0, kept_typed = 0, kept_grounded = 0, kept_both = 0;
  long typed_grd = 0, typed_grd_ok = 0, typed_ungrd = 0;
  for (auto& p : pred) {
    std::vector<mie::Entity> out;
    for (auto e : p.entities) {
      const bool groundable = e.groundable && !e.boxes.empty();
      const bool drop = k % 4 == 3, retype = k % 5 == 4, shift = groundable && j % 3 == 2;
      ++k;
      if (groundable) ++j;
      ++n;
      if (retype) e.type = e.type == "PER" ? "LOC" : "PER";
      if (shift)
        for (auto& b : e.boxes) b = {b.x1 + 10000, b.y1, b.x2 + 10000, b.y2};
      if (drop) continue;
      ++kept;
      kept_typed += !retype;
      kept_grounded += !shift;
      kept_both += !retype && !shift;
      if (!retype) {
        if (groundable) {
          ++typed_grd;
          typed_grd_ok += !shift;
        } else {
          ++typed_ungrd;
        }
      }
      out.push_back(e);
    }
    p.entities = out;
  }
  ASSERT_EQ(n, 2450);
  // The same numbers by hand: 2450 entities, 612 dropped (k = 3, 7, ..., 2447) -> 1838 kept.
  EXPECT_EQ(kept, 1838);
  auto r = ev::score_gmner(gold, ev::align_predictions(gold, pred));
  const auto g = r.at("gmner").total(), t = r.at("mner").total(), e = r.at("eeg").total();
  EXPECT_EQ(g.pred, kept);
  EXPECT_EQ(g.gold, 2450);
  EXPECT_EQ(t.tp, kept_typed);
  EXPECT_EQ(e.tp, kept_grounded);
  EXPECT_EQ(g.tp, kept_both);
  // Retyped among kept: k % 5 == 4 (490 of them) minus those also dropped (k % 20 == 19: 122) = 368.
  EXPECT_EQ(kept - kept_typed, 368);
  // Fixed numbers, also counted by an independent Python pass over dev.txt + xml/:
  // 1470 kept with the right type, 1604 kept with the right region, 1276 with both;
  // span+type right: 600 groundable (406 boxes untouched), 870 ungroundable.
  EXPECT_EQ(kept_typed, 1470);
  EXPECT_EQ(kept_grounded, 1604);
  EXPECT_EQ(kept_both, 1276);
  EXPECT_EQ(typed_grd, 600);
  EXPECT_EQ(typed_grd_ok, 406);
  EXPECT_EQ(typed_ungrd, 870);
  EXPECT_NEAR(g.f1, 100.0 * 2 * 1276 / (1838 + 2450), 1e-9);  // 59.51
  const double p = 100.0 * kept_both / kept, rc = 100.0 * kept_both / 2450;
  EXPECT_NEAR(g.p, p, 1e-9);
  EXPECT_NEAR(g.r, rc, 1e-9);
  EXPECT_NEAR(g.f1, 2 * p * rc / (p + rc), 1e-9);
  EXPECT_NEAR(t.f1, 2.0 * kept_typed / (kept + 2450) * 100, 1e-9);  // F1 = 2tp / (pred + gold)
  const auto& x = r.at("gmner").extra;
  EXPECT_EQ(x["groundable_total"], typed_grd);
  EXPECT_EQ(x["groundable_correct"], typed_grd_ok);
  EXPECT_EQ(x["ungroundable_total"], typed_ungrd);
  EXPECT_EQ(x["ungroundable_correct"], typed_ungrd);
  // JSON output carries the same counts.
  const auto js = ev::to_json(r);
  EXPECT_EQ(js["gmner"]["tp"], kept_both);
  EXPECT_EQ(js["mner"]["pred"], kept);
}

TEST(GmnerReal, CandidateModeOnRealVinvlRegions) {
  const std::string data = mie::data_dir();
  if (!mie::file_exists(data + "/samples/1953977.jpg.npz")) GTEST_SKIP() << "samples not found";
  // The GMNER train post 1953977: "Angelina Jolie" (PER) with two gold boxes.
  std::vector<mie::Post> gold;
  for (auto& p : ev::load_gold("gmner", data + "/gmner/train.txt", data + "/gmner/xml"))
    if (p.id == "1953977") gold.push_back(p);
  ASSERT_EQ(gold.size(), 1u);
  ASSERT_EQ(gold[0].entities.size(), 1u);
  ASSERT_EQ(gold[0].entities[0].boxes.size(), 2u);
  const auto cands = ev::load_candidates(gold, data + "/samples", 16);
  ASSERT_EQ(cands.at("1953977").size(), 16u);
  const auto regions = ev::gold_regions(gold[0].entities[0].boxes, cands.at("1953977"));
  ASSERT_FALSE(regions.empty());
  ev::GmnerOptions o;
  o.mode = ev::RegionMode::Candidate;
  o.candidates = &cands;
  auto pred = gold;
  for (int c = 0; c < 16; ++c) {
    pred[0].entities[0].region = c;
    const bool in = std::find(regions.begin(), regions.end(), c) != regions.end();
    EXPECT_EQ(ev::score_gmner(gold, pred, o).at("gmner").total().tp, in ? 1 : 0) << c;
  }
  pred[0].entities[0].region = -1;
  EXPECT_EQ(ev::score_gmner(gold, pred, o).at("gmner").total().tp, 0);
  EXPECT_THROW(ev::load_candidates(gold, data + "/gmner", 16), mie::Error);  // no npz there
}

}  // namespace
