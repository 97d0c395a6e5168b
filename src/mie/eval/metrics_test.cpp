// Hand-computed MNER, MRE, JMERE, alignment, bootstrap and report fixtures.
#include <gtest/gtest.h>

#include <sstream>

#include "mie/core/error.h"
#include "mie/eval/align.h"
#include "mie/eval/bootstrap.h"
#include "mie/eval/jmere.h"
#include "mie/eval/mner.h"
#include "mie/eval/mre.h"
#include "mie/eval/report.h"

namespace {

using mie::Entity;
using mie::Post;
using mie::Relation;
namespace ev = mie::eval;

Post post(const std::string& id, int n, std::vector<Entity> es, std::vector<Relation> rs = {}) {
  Post p;
  p.id = id;
  for (int i = 0; i < n; ++i) p.tokens.push_back("w" + std::to_string(i));
  p.entities = std::move(es);
  p.relations = std::move(rs);
  return p;
}
Entity ent(int s, int e, const std::string& t) {
  Entity x;
  x.start = s;
  x.end = e;
  x.type = t;
  return x;
}

TEST(Mner, ExactChunksPerType) {
  std::vector<Post> gold = {post("1", 7, {ent(0, 2, "PER"), ent(3, 4, "LOC"), ent(5, 6, "ORG")})};
  std::vector<Post> pred = {post("1", 7, {ent(0, 2, "PER"), ent(3, 4, "ORG"), ent(5, 6, "ORG"), ent(5, 7, "ORG")})};
  auto r = ev::score_mner(gold, pred);
  const auto s = r.at("mner").total();
  EXPECT_EQ(s.tp, 2);
  EXPECT_EQ(s.pred, 4);
  EXPECT_EQ(s.gold, 3);
  EXPECT_NEAR(s.f1, 2 * 50.0 * (200.0 / 3) / (50.0 + 200.0 / 3), 1e-9);
  EXPECT_EQ(r.at("mner").per_type.at("PER"), (ev::Tally{1, 1, 1}));
  EXPECT_EQ(r.at("mner").per_type.at("LOC"), (ev::Tally{0, 0, 1}));
  EXPECT_EQ(r.at("mner").per_type.at("ORG"), (ev::Tally{1, 3, 1}));
}

TEST(Mre, AccuracyMicroAndMacro) {
  std::vector<std::string> gold = {"A", "A", "B", "None", "None"};
  std::vector<std::string> pred = {"A", "B", "B", "A", "None"};
  auto r = ev::score_mre(gold, pred);
  const auto& m = r.at("mre");
  EXPECT_EQ(m.acc().correct, 3);
  EXPECT_DOUBLE_EQ(m.acc().percent(), 60.0);
  const auto s = m.total();
  EXPECT_EQ(s.tp, 2);
  EXPECT_EQ(s.pred, 4);
  EXPECT_EQ(s.gold, 3);
  EXPECT_DOUBLE_EQ(s.p, 50.0);
  EXPECT_NEAR(s.r, 200.0 / 3, 1e-9);
  EXPECT_NEAR(s.f1, 400.0 / 7, 1e-9);
  EXPECT_EQ(m.per_type.at("A"), (ev::Tally{1, 2, 2}));
  EXPECT_EQ(m.per_type.at("B"), (ev::Tally{1, 2, 1}));
  EXPECT_FALSE(m.per_type.contains("None"));
  EXPECT_NEAR(m.extra["macro_f1"].get<double>(), (50.0 + 200.0 / 3) / 2, 1e-9);
  EXPECT_THROW(ev::score_mre(gold, {"A"}), mie::Error);
}

TEST(Jmere, EntityAndTripleF1) {
  std::vector<Post> gold = {post("1", 4, {ent(0, 1, "PER"), ent(2, 3, "ORG")}, {{0, 1, "member_of"}}),
                            post("2", 4, {ent(0, 1, "PER"), ent(1, 2, "PER")}, {{0, 1, "peer"}})};
  std::vector<Post> pred = {
      post("1", 4, {ent(0, 1, "PER"), ent(2, 3, "ORG")},
           {{0, 1, "member_of"}, {0, 1, "member_of"}, {1, 0, "member_of"}, {0, 1, "None"}}),
      post("2", 4, {ent(0, 1, "LOC"), ent(1, 2, "PER")}, {{0, 1, "peer"}})};  // head type wrong
  auto r = ev::score_jmere(gold, pred);
  const auto e = r.at("jmere_entity").total();
  EXPECT_EQ(e.tp, 3);
  EXPECT_EQ(e.pred, 4);
  EXPECT_EQ(e.gold, 4);
  const auto t = r.at("jmere_triple").total();
  EXPECT_EQ(t.tp, 1);
  EXPECT_EQ(t.pred, 3);  // duplicate collapses, None is not a triple
  EXPECT_EQ(t.gold, 2);
  EXPECT_EQ(r.at("jmere_triple").per_type.at("member_of"), (ev::Tally{1, 2, 1}));
  pred[0].relations.push_back({0, 5, "x"});
  EXPECT_THROW(ev::score_jmere(gold, pred), mie::Error);
}

TEST(Jmere, UndirectedAndAcrossTypeSchemes) {
  // gold from MNRE (MISC), prediction from a GMNER model (OTHER): the same type
  std::vector<Post> gold = {post("1", 5, {ent(0, 1, "PER"), ent(2, 3, "MISC"), ent(4, 5, "PER")},
                                 {{0, 1, "/per/misc/present_in"}, {0, 2, "/per/per/peer"}})};
  std::vector<Post> pred = {post("1", 5, {ent(0, 1, "PER"), ent(2, 3, "OTHER"), ent(4, 5, "PER")},
                                 {{0, 1, "/per/misc/present_in"}, {2, 0, "/per/per/peer"}})};
  auto r = ev::score_jmere(gold, pred);
  EXPECT_EQ(r.at("jmere_entity").total().tp, 3);
  const auto directed = r.at("jmere_triple").total();
  EXPECT_EQ(directed.tp, 1);  // the peer pair is reversed
  EXPECT_EQ(directed.pred, 2);
  const auto undirected = r.at("jmere_triple_undirected").total();
  EXPECT_EQ(undirected.tp, 2);
  EXPECT_EQ(undirected.gold, 2);
  EXPECT_EQ(r.info["gold_triples"], 2);
}

TEST(Align, MatchesByIdAndReportsBadPredictions) {
  std::vector<Post> gold = {post("a", 3, {}), post("b", 3, {})};
  auto out = ev::align_predictions(gold, {post("b", 0, {ent(0, 1, "PER")})});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].id, "a");
  EXPECT_TRUE(out[0].entities.empty());
  EXPECT_EQ(out[1].entities.size(), 1u);
  EXPECT_EQ(out[1].tokens, gold[1].tokens);  // a prediction without tokens takes the gold ones
  try {
    ev::align_predictions(gold, {post("zz", 3, {})}, "pred.jsonl");
    FAIL() << "unknown id accepted";
  } catch (const mie::Error& e) {
    EXPECT_NE(std::string(e.what()).find("'zz'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("pred.jsonl"), std::string::npos);
  }
  EXPECT_THROW(ev::align_predictions(gold, {post("a", 3, {}), post("a", 3, {})}), mie::Error);
  EXPECT_THROW(ev::align_predictions(gold, {post("a", 4, {})}), mie::Error);  // tokens differ
  EXPECT_THROW(ev::align_predictions(gold, {post("a", 3, {ent(2, 4, "PER")})}), mie::Error);
  EXPECT_THROW(ev::align_predictions(gold, {post("a", 3, {ent(1, 1, "PER")})}), mie::Error);
  EXPECT_THROW(ev::align_predictions({post("a", 1, {}), post("a", 1, {})}, {}), mie::Error);
}

TEST(Align, UniqueSpansKeepsLastInFirstPosition) {
  std::vector<Entity> es = {ent(0, 1, "A"), ent(2, 3, "B"), ent(0, 1, "C")};
  auto u = ev::unique_spans(es);
  ASSERT_EQ(u.size(), 2u);
  EXPECT_EQ(u[0]->type, "C");
  EXPECT_EQ(u[1]->type, "B");
}

TEST(Bootstrap, PercentileInterpolates) {
  std::vector<double> v = {4, 1, 3, 2};
  EXPECT_DOUBLE_EQ(ev::percentile(v, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(ev::percentile(v, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(ev::percentile(v, 1.0), 4.0);
}

TEST(Bootstrap, SeededIntervalsAroundTheEstimate) {
  std::vector<std::string> gold, pred;
  for (int i = 0; i < 400; ++i) {
    gold.push_back(i % 3 ? "A" : "None");
    pred.push_back(i % 5 ? gold.back() : "B");
  }
  auto r = ev::score_mre(gold, pred);
  auto c1 = ev::bootstrap(r, {.samples = 300, .seed = 7});
  auto c2 = ev::bootstrap(r, {.samples = 300, .seed = 7});
  auto c3 = ev::bootstrap(r, {.samples = 300, .seed = 8});
  const double f1 = r.at("mre").total().f1;
  const auto& c = c1.at("mre");
  EXPECT_LT(c.f1.lo, f1);
  EXPECT_GT(c.f1.hi, f1);
  EXPECT_GT(c.f1.hi - c.f1.lo, 1.0);
  EXPECT_LT(c.f1.hi - c.f1.lo, 20.0);
  ASSERT_TRUE(c.acc.has_value());
  EXPECT_LT(c.acc->lo, r.at("mre").acc().percent());
  EXPECT_EQ(c1.at("mre").f1.lo, c2.at("mre").f1.lo);
  EXPECT_NE(c1.at("mre").f1.lo + c1.at("mre").f1.hi, c3.at("mre").f1.lo + c3.at("mre").f1.hi);
  // Perfect predictions: every resample is perfect.
  auto perfect = ev::bootstrap(ev::score_mre(gold, gold), {.samples = 50});
  EXPECT_EQ(perfect.at("mre").f1.lo, 100.0);
  EXPECT_EQ(perfect.at("mre").f1.hi, 100.0);
  EXPECT_THROW(ev::bootstrap(r, {.samples = 0}), mie::Error);
}

TEST(Report, JsonAndTable) {
  auto r = ev::score_mre({"A", "None"}, {"A", "A"});
  auto ci = ev::bootstrap(r, {.samples = 20});
  auto j = ev::to_json(r, &ci);
  ASSERT_TRUE(j.contains("mre"));
  EXPECT_DOUBLE_EQ(j["mre"]["p"].get<double>(), 50.0);
  EXPECT_DOUBLE_EQ(j["mre"]["r"].get<double>(), 100.0);
  EXPECT_EQ(j["mre"]["tp"], 1);
  EXPECT_EQ(j["mre"]["pred"], 2);
  EXPECT_EQ(j["mre"]["gold"], 1);
  EXPECT_DOUBLE_EQ(j["mre"]["acc"].get<double>(), 50.0);
  EXPECT_TRUE(j["mre"]["per_type"].contains("A"));
  EXPECT_TRUE(j["mre"]["ci95"]["f1"].is_array());
  std::ostringstream os;
  ev::print_table(os, r, &ci);
  EXPECT_NE(os.str().find("mre"), std::string::npos);
  EXPECT_NE(os.str().find("accuracy: 50.00 (1/2)"), std::string::npos);
  EXPECT_NE(os.str().find("95% CI"), std::string::npos);
}

}  // namespace
