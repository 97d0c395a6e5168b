// ctest-labels: train data
// Training on a real MNRE subset must learn; model file round trip; determinism; JMERE / MORE
// library functions on hand-written posts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

#include "mie/core/error.h"
#include "mie/core/model_file.h"
#include "mie/core/paths.h"
#include "mie/eval/mre.h"
#include "mie/io/mnre.h"
#include "mie/relation/classifier.h"
#include "mie/relation/classifier_impl.h"
#include "mie/relation/rel_train.h"
#include "mie/relation/schema.h"
#include "mie/core/test_tmp.h"

using namespace mie::relation;
using mie::ModelSection;

namespace {

struct Trained {
  std::vector<RelExample> train, dev;
  RelationClassifier clf{nullptr};
  TrainReport rep;
};

TrainOptions small_options() {
  TrainOptions o;
  o.encoder = "cnn";
  o.hidden = 64;
  o.mlp = 64;
  o.epochs = 6;
  o.batch_size = 32;
  o.lr = 3e-3f;
  o.threads = 1;  // ctest runs two test processes at once
  o.verbose = false;
  o.glove_top = 2000;
  return o;
}

// The 6 most frequent MNRE relations plus None, first 1,500 train / 400 val instances.
const Trained& subset() {
  static const Trained t = [] {
    Trained r;
    const std::string dir = mie::data_dir() + "/mnre/";
    auto tr = from_mnre(mie::io::read_mnre(dir + "train.txt"));
    auto va = from_mnre(mie::io::read_mnre(dir + "val.txt"));
    const std::vector<std::string> keep = {"None", "/per/per/peer", "/per/org/member_of", "/loc/loc/contain",
                                           "/per/misc/present_in", "/org/loc/locate_at"};
    auto kept = [&](const RelExample& e) { return std::find(keep.begin(), keep.end(), e.label) != keep.end(); };
    for (const auto& e : tr)
      if (kept(e) && r.train.size() < 1500) r.train.push_back(e);
    for (const auto& e : va)
      if (kept(e) && r.dev.size() < 400) r.dev.push_back(e);
    return r;
  }();
  return t;
}

// The subset's model, trained once per test process.
Trained& trained() {
  static Trained t = [] {
    Trained r = subset();
    TrainOptions o = small_options();
    const std::string glove = mie::cache_dir() + "/glove100.bin";
    if (mie::file_exists(glove)) o.glove_path = glove;
    r.clf = train_relation(r.train, r.dev, o, &r.rep);
    return r;
  }();
  return t;
}

double micro_f1(const RelationClassifier& clf, const std::vector<RelExample>& ex) {
  auto preds = clf.predict(ex);
  std::vector<std::string> gold, pred;
  for (size_t i = 0; i < ex.size(); ++i) {
    gold.push_back(ex[i].label);
    pred.push_back(preds[i].label);
  }
  return mie::eval::score_mre(gold, pred).at("mre").total().f1;
}

std::string tmp_path(const std::string& name) {
  return mie::test_temp_path("rel_test_" + name).string();
}

}  // namespace

TEST(RelationTrain, LearnsOnMnreSubset) {
  Trained& t = trained();
  ASSERT_EQ(t.rep.epochs.size(), 6u);
  EXPECT_LT(t.rep.epochs.back().loss, t.rep.epochs.front().loss);
  const double f1 = micro_f1(t.clf, t.dev);
  std::cerr << "subset dev micro F1 " << f1 << "\n";
  // Majority class ("None") scores 0; a model that learned nothing cannot pass this floor.
  EXPECT_GT(f1, 35.0);
  EXPECT_GT(micro_f1(t.clf, t.train), f1);
}

TEST(RelationTrain, ModelFileRoundTrip) {
  Trained& t = trained();
  const std::string path = tmp_path("model.mie");
  t.clf.save(path, {{"test", true}});
  RelationClassifier back = RelationClassifier::load(path);
  EXPECT_EQ(back.labels(), t.clf.labels());
  std::vector<RelExample> some(t.dev.begin(), t.dev.begin() + 50);
  auto a = t.clf.predict(some), b = back.predict(some);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].label, b[i].label);
    EXPECT_FLOAT_EQ(a[i].score, b[i].score);
  }
  // Prediction lines for MNRE instances.
  std::vector<mie::io::MreInstance> inst = mie::io::read_mnre(mie::data_dir() + "/mnre/val.txt");
  inst.resize(3);
  std::ostringstream out;
  predict_mnre(back, inst, &out);
  std::istringstream lines(out.str());
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j.at("id").get<int>(), n);
    EXPECT_TRUE(std::find(back.labels().begin(), back.labels().end(), j.at("relation").get<std::string>()) !=
                back.labels().end());
    EXPECT_GT(j.at("score").get<double>(), 0.0);
    ++n;
  }
  EXPECT_EQ(n, 3);
  // A model file without a relation section, and a corrupted file, are refused.
  mie::ModelFile other;
  other.add_section("ner").header = {{"arch", "x"}};
  other.save(path);
  EXPECT_THROW(RelationClassifier::load(path), mie::Error);
  {
    std::ofstream f(path, std::ios::binary);
    f << "not a model";
  }
  EXPECT_THROW(RelationClassifier::load(path), mie::Error);
  std::remove(path.c_str());
}

// --no-type-prior: the argument-type term of the logits stays out (compat fixed at 0, not trained)
// and the model records it; by default compat is trained away from its initial 0.5.
TEST(RelationTrain, TypePriorAblationKeepsCompatAtZero) {
  const Trained& t = subset();
  std::vector<RelExample> tiny(t.train.begin(), t.train.begin() + 200);
  TrainOptions o = small_options();
  o.epochs = 1;
  RelationClassifier on = train_relation(tiny, {}, o);
  o.type_prior = false;
  RelationClassifier off = train_relation(tiny, {}, o);
  EXPECT_EQ(off.impl().net->compat.item<float>(), 0.f);
  EXPECT_EQ(off.info()["train"]["type_prior"], false);
  EXPECT_NE(on.impl().net->compat.item<float>(), 0.5f);
  EXPECT_EQ(on.info()["train"]["type_prior"], true);
}

// BiLSTM depth is part of the model config: files written before it existed load as one layer;
// two layers give the LSTM a second layer's weights; an out-of-range depth is refused.
TEST(RelationTrain, NetConfigLayers) {
  NetConfig c;
  c.labels = {"None", "/per/per/peer"};
  nlohmann::json j = c.to_json();
  j.erase("layers");
  EXPECT_EQ(NetConfig::from_json(j).layers, 1);
  j["layers"] = 2;
  NetConfig two = NetConfig::from_json(j);
  EXPECT_EQ(two.layers, 2);
  RelNet net(two, 1, 10, 4);
  bool second = false;
  for (const auto& p : net->named_parameters()) second = second || p.key() == "lstm.weight_ih_l1";
  EXPECT_TRUE(second);
  j["layers"] = 5;
  EXPECT_THROW(NetConfig::from_json(j), mie::Error);
}

TEST(RelationTrain, DeterministicForASeed) {
  const Trained& t = subset();
  std::vector<RelExample> tiny(t.train.begin(), t.train.begin() + 200);
  TrainOptions o = small_options();
  o.epochs = 1;
  auto a = train_relation(tiny, {}, o).predict(std::vector<RelExample>(t.dev.begin(), t.dev.begin() + 20));
  auto b = train_relation(tiny, {}, o).predict(std::vector<RelExample>(t.dev.begin(), t.dev.begin() + 20));
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].probs, b[i].probs);
  o.seed = 99;
  auto c = train_relation(tiny, {}, o).predict(std::vector<RelExample>(t.dev.begin(), t.dev.begin() + 20));
  EXPECT_NE(a[0].probs, c[0].probs);
}

// An ensemble averages its members' log-probabilities: merged with itself a model predicts as it
// does alone; two members give p ∝ sqrt(p1 * p2); it survives a file round trip; members with
// another vocabulary, and an ensemble as a member, are refused.
TEST(RelationTrain, EnsembleAveragesMembersLogProbs) {
  Trained& t = trained();
  TrainOptions o = small_options();
  o.epochs = 1;
  o.seed = 99;
  const std::string glove = mie::cache_dir() + "/glove100.bin";
  if (mie::file_exists(glove)) o.glove_path = glove;
  RelationClassifier other = train_relation(t.train, {}, o);  // same data: same vocabulary
  const ModelSection a = t.clf.to_section(), b = other.to_section();
  std::vector<RelExample> some(t.dev.begin(), t.dev.begin() + 40);
  const auto pa = t.clf.predict(some), pb = other.predict(some);

  const ModelSection self = merge_relation_models({&a, &a});
  const auto ps = RelationClassifier::from_section(self, "self").predict(some);
  for (size_t i = 0; i < some.size(); ++i)
    for (size_t l = 0; l < pa[i].probs.size(); ++l) EXPECT_NEAR(ps[i].probs[l], pa[i].probs[l], 1e-5);

  const ModelSection ab = merge_relation_models({&a, &b});
  ASSERT_TRUE(ab.header.contains("ensemble"));
  EXPECT_EQ(ab.header["ensemble"].size(), 1u);
  const std::string path = tmp_path("ens.mie");
  mie::ModelFile mf;
  mf.set_section(ab);
  mf.save(path);
  RelationClassifier ens = RelationClassifier::load(path);
  EXPECT_EQ(ens.info()["members"], 2);
  const auto pe = ens.predict(some);
  const auto again = RelationClassifier::from_section(ens.to_section(), "again").predict(some);
  bool differs_from_a = false;
  for (size_t i = 0; i < some.size(); ++i) {
    double z = 0;
    for (size_t l = 0; l < pa[i].probs.size(); ++l) z += std::sqrt(double(pa[i].probs[l]) * pb[i].probs[l]);
    for (size_t l = 0; l < pa[i].probs.size(); ++l) {
      EXPECT_NEAR(pe[i].probs[l], std::sqrt(double(pa[i].probs[l]) * pb[i].probs[l]) / z, 1e-4) << i << " " << l;
      EXPECT_FLOAT_EQ(again[i].probs[l], pe[i].probs[l]);
      differs_from_a |= std::abs(pe[i].probs[l] - pa[i].probs[l]) > 1e-3;
    }
  }
  EXPECT_TRUE(differs_from_a);
  std::remove(path.c_str());

  EXPECT_THROW(merge_relation_models({&ab, &a}), mie::Error);  // already an ensemble
  EXPECT_THROW(merge_relation_models({&a}), mie::Error);
  TrainOptions tiny_o = o;
  RelationClassifier tiny = train_relation(std::vector<RelExample>(t.train.begin(), t.train.begin() + 100), {}, tiny_o);
  const ModelSection c = tiny.to_section();
  try {
    merge_relation_models({&a, &c});
    ADD_FAILURE() << "another vocabulary was merged";
  } catch (const mie::Error& e) {
    EXPECT_NE(std::string(e.what()).find("vocabulary"), std::string::npos) << e.what();
  }
}

TEST(RelationPipeline, JmereFillsTypedPairs) {
  Trained& t = trained();
  mie::Post p;
  p.id = "hand1";
  p.tokens = {"RT", "@cnn", ":", "Barack", "Obama", "and", "Joe", "Biden", "visit", "Paris", "with", "the",
              "Democratic", "Party"};
  p.entities = {{.start = 3, .end = 5, .type = "PER"}, {.start = 6, .end = 8, .type = "PER"},
                {.start = 9, .end = 10, .type = "LOC"}, {.start = 12, .end = 14, .type = "ORG"}};
  p.relations = {{0, 0, "stale", 1.f}};
  fill_relations(t.clf, p);
  for (const auto& r : p.relations) {
    EXPECT_NE(r.head, r.tail);
    EXPECT_NE(r.label, "None");
    EXPECT_NE(r.label, "stale");
    const auto sig = label_signature(r.label);
    EXPECT_TRUE(compatible(sig, arg_type_from_ner(p.entities[r.head].type), arg_type_from_ner(p.entities[r.tail].type)))
        << r.label << " " << r.head << "->" << r.tail;
  }
  // Type constraint on the raw predictions: a PER-LOC pair never gets a /per/per/ label.
  auto pred = t.clf.predict({from_post(p, 0, 2)});
  EXPECT_FALSE(pred[0].label.rfind("/per/per/", 0) == 0);
  EXPECT_NEAR(std::accumulate(pred[0].probs.begin(), pred[0].probs.end(), 0.f), 1.f, 1e-4);
  // With min_score 1.01 nothing survives.
  fill_relations(t.clf, p, nullptr, 1.01f);
  EXPECT_TRUE(p.relations.empty());
}

TEST(RelationPipeline, MoreEntityObjectPairs) {
  Trained& t = trained();
  mie::Post p;
  p.id = "hand2";
  p.tokens = {"Lionel", "Messi", "with", "his", "dog", "in", "Miami"};
  p.entities = {{.start = 0, .end = 2, .type = "PER"}, {.start = 6, .end = 7, .type = "LOC"}};
  ImageSignals s;
  s.present = true;
  s.width = 200;
  s.height = 100;
  s.objects = {{.source = "object", .label = "dog", .score = 0.9f, .box = {10, 10, 80, 90}},
               {.source = "face", .label = "face", .score = 0.8f, .box = {100, 5, 130, 40}},
               {.source = "object", .label = "sports ball", .score = 0.5f, .box = {150, 60, 170, 80}}};
  auto ex = entity_object_examples(p, s, t.clf.word_vectors());
  ASSERT_EQ(ex.size(), 6u);
  EXPECT_EQ(ex[2].tokens[7], "<obj>");
  EXPECT_EQ(ex[2].tokens[8], "sports");
  EXPECT_EQ(ex[2].tail.start, 8);
  EXPECT_EQ(ex[2].tail.end, 10);
  EXPECT_EQ(ex[3].head.start, 6);  // second entity, first object
  EXPECT_EQ(ex[0].image[kGlobalDim], 1.f);  // target block set
  EXPECT_NE(ex[0].image, ex[1].image);      // different objects, different region features
  auto rels = entity_object_relations(t.clf, p, s);
  for (const auto& r : rels) {
    EXPECT_GE(r.entity, 0);
    EXPECT_LT(r.entity, 2);
    EXPECT_GE(r.object, 0);
    EXPECT_LT(r.object, 3);
    EXPECT_NE(r.label, "None");
  }
  // The image path is neutral until trained with images (zero-initialised projection).
  RelExample with = from_post(p, 0, 1), without = with;
  with.image = image_features(s, with, t.clf.word_vectors());
  EXPECT_EQ(t.clf.predict({with})[0].probs, t.clf.predict({without})[0].probs);
}
