// ctest-labels: train data model
// The library pipeline without the CLI: the default model (models/gmner.mie, trained by
// scripts/setup.sh) plus a small relation stage trained here on an MNRE subset, through the public
// API of mie/mie.h.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "mie/core/model_file.h"
#include "mie/core/paths.h"
#include "mie/core/test_tmp.h"
#include "mie/io/conll.h"
#include "mie/io/jmere.h"
#include "mie/io/mnre.h"
#include "mie/mie.h"
#include "mie/pipeline/pipeline.h"
#include "mie/pipeline/relation_threshold.h"
#include "mie/relation/rel_train.h"

namespace {

const std::string kPhoto = "/usr/share/doc/opencv-doc/examples/data/messi5.jpg";

std::string default_model() { return mie::models_dir() + "/gmner.mie"; }

// models/gmner.mie with a relation stage trained on 1,500 MNRE train instances (CNN, 2 epochs);
// trained once per test binary.
const std::string& model_with_relations() {
  // named after the default model's time stamp too: a retrained one makes a new fixture
  const auto stamp = std::filesystem::last_write_time(default_model()).time_since_epoch().count();
  static const std::string path = mie::test_fixture_file("with_relations_" + std::to_string(stamp) + ".mie", [](const std::string& out) {
    mie::ModelFile mf = mie::ModelFile::load(default_model());
    auto train = mie::relation::from_mnre(mie::io::read_mnre(mie::data_dir() + "/mnre/train.txt"));
    train.resize(1500);
    mie::relation::TrainOptions o;
    o.encoder = "cnn";
    o.hidden = 64;
    o.mlp = 64;
    o.epochs = 2;
    o.verbose = false;
    o.glove_top = 2000;
    const std::string glove = mie::cache_dir() + "/glove100.bin";
    if (mie::file_exists(glove)) o.glove_path = glove;
    mf.set_section(mie::relation::train_relation(train, {}, o).to_section());
    mf.save(out);
  });
  return path;
}

std::vector<mie::Post> dev_posts(size_t n) {
  auto posts = mie::io::read_conll(mie::data_dir() + "/gmner/dev.txt");
  posts.resize(std::min(n, posts.size()));
  for (auto& p : posts) p.entities.clear();
  return posts;
}

std::vector<std::string> lines(const std::vector<mie::Post>& posts) {
  std::vector<std::string> out;
  for (const auto& p : posts) out.push_back(mie::to_jsonl(p));
  return out;
}

#define NEED_DEFAULT_MODEL() \
  ASSERT_TRUE(mie::file_exists(default_model())) << default_model() << " missing: scripts/setup.sh trains it"

}  // namespace

TEST(Pipeline, TextAndPhotoGetEntitiesBoxesAndRelations) {
  NEED_DEFAULT_MODEL();
  ASSERT_TRUE(mie::file_exists(kPhoto)) << kPhoto << " missing (apt install opencv-doc)";
  mie::Options opt;
  opt.relation_threshold = 0;  // every relation the classifier prefers to None
  const mie::Model m = mie::Model::load(model_with_relations(), opt);
  EXPECT_EQ(m.stages(), (std::vector<std::string>{"ner", "ground", "relation"}));
  const mie::Post p = m.predict(mie::make_post("Lionel Messi scores again for Barcelona in Madrid", kPhoto));
  ASSERT_GE(p.entities.size(), 2u) << mie::to_jsonl(p);
  const auto messi = std::find_if(p.entities.begin(), p.entities.end(), [&](const mie::Entity& e) {
    return mie::span_text(p, e).find("Messi") != std::string::npos;
  });
  ASSERT_NE(messi, p.entities.end()) << mie::to_jsonl(p);
  EXPECT_EQ(messi->type, "PER");
  ASSERT_TRUE(messi->groundable) << mie::to_jsonl(p);
  ASSERT_EQ(messi->boxes.size(), 1u);
  EXPECT_GT(messi->boxes[0].area(), 0);
  ASSERT_TRUE(p.image && p.image->width == 548 && p.image->height == 342) << mie::to_jsonl(p);
  // Relations: over a batch of MNRE posts some are found, each between two distinct entities.
  auto posts = mie::io::mnre_as_posts(mie::io::read_mnre(mie::data_dir() + "/mnre/val.txt"));
  posts.resize(60);
  for (auto& q : posts) {
    q.entities.clear();
    q.relations.clear();
    q.image.reset();
  }
  m.predict(posts);
  size_t found = 0;
  for (const auto& q : posts)
    for (const auto& r : q.relations) {
      ++found;
      ASSERT_TRUE(r.head != r.tail && r.head >= 0 && r.tail >= 0 && r.head < static_cast<int>(q.entities.size()) &&
                  r.tail < static_cast<int>(q.entities.size()))
          << mie::to_jsonl(q);
      EXPECT_EQ(r.label.front(), '/') << r.label;
      EXPECT_GT(r.score, 0.f);
    }
  EXPECT_GT(found, 0u);
  // A threshold above every score leaves none.
  mie::Options strict;
  strict.relation_threshold = 1;
  const mie::Model none = mie::Model::load(model_with_relations(), strict);
  none.predict(posts);
  for (const auto& q : posts) EXPECT_TRUE(q.relations.empty()) << mie::to_jsonl(q);
}

TEST(Pipeline, RawTextIsTokenized) {
  NEED_DEFAULT_MODEL();
  const mie::Model m = mie::Model::load(default_model());
  mie::Post raw;
  raw.id = "raw";
  raw.text = "RT @nasa: Barack Obama visits New York!";
  const mie::Post p = m.predict(raw);
  EXPECT_EQ(p.tokens, mie::tokenize(raw.text));
  EXPECT_GE(p.tokens.size(), 8u);
  EXPECT_TRUE(p.text.empty());
  EXPECT_EQ(mie::to_jsonl(p), mie::to_jsonl(m.predict(mie::make_post(raw.text, "", "raw"))));
  ASSERT_FALSE(p.entities.empty()) << mie::to_jsonl(p);
  EXPECT_THROW(mie::make_post("   "), mie::Error);
}

TEST(Pipeline, TwoThreadsOnOneModelGiveTheOutputOfOne) {
  NEED_DEFAULT_MODEL();
  // Scores depend on a batch's make-up (padding, summation order) at float noise level, so each
  // half is compared with itself run alone on one thread.
  const mie::Model m = mie::Model::load(default_model());
  const std::vector<mie::Post> posts = dev_posts(80);
  std::vector<mie::Post> a(posts.begin(), posts.begin() + 40), b(posts.begin() + 40, posts.end());
  std::vector<mie::Post> one = a, one_b = b;
  m.predict(one);
  m.predict(one_b);
  one.insert(one.end(), one_b.begin(), one_b.end());
  std::thread ta([&] { m.predict(a); });
  std::thread tb([&] { m.predict(b); });
  ta.join();
  tb.join();
  a.insert(a.end(), b.begin(), b.end());
  EXPECT_EQ(lines(a), lines(one));
  // Options::threads splits a batch into the same two halves.
  mie::Options two;
  two.threads = 2;
  std::vector<mie::Post> c = dev_posts(80);
  mie::Model::load(default_model(), two).predict(c);
  EXPECT_EQ(lines(c), lines(one));
}

TEST(Pipeline, InMemoryImageEqualsItsFile) {
  NEED_DEFAULT_MODEL();
  ASSERT_TRUE(mie::file_exists(kPhoto));
  const mie::Model m = mie::Model::load(default_model());
  std::ifstream f(kPhoto, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  mie::Post from_file = m.predict(mie::make_post("Messi scores again for Barcelona", kPhoto));
  mie::Post in_memory = mie::make_post("Messi scores again for Barcelona");
  in_memory.image = mie::image_from_bytes(bytes, kPhoto);
  in_memory = m.predict(in_memory);
  EXPECT_EQ(mie::to_jsonl(in_memory), mie::to_jsonl(from_file));
  mie::Post corrupt = mie::make_post("Messi scores again for Barcelona");
  corrupt.image = mie::image_from_bytes(std::vector<uint8_t>(bytes.begin(), bytes.begin() + 100), "photo.jpg");
  try {
    m.predict(corrupt);
    FAIL() << "a truncated JPEG was accepted";
  } catch (const mie::Error& e) {
    EXPECT_NE(std::string(e.what()).find("photo.jpg"), std::string::npos) << e.what();
  }
}

TEST(Pipeline, BadModelFilesNameTheFile) {
  const std::string path = mie::test_temp_path("not_a_model.mie").string();
  std::ofstream(path) << "hello";
  try {
    mie::Model::load(path);
    FAIL();
  } catch (const mie::Error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  mie::ModelFile mf;
  mf.add_section("mystery").header = {{"arch", "x"}};
  mf.save(path);
  try {
    mie::Model::load(path);
    FAIL();
  } catch (const mie::Error& e) {
    EXPECT_NE(std::string(e.what()).find("mystery"), std::string::npos) << e.what();
  }
  mie::ModelFile future;
  future.add_section("ner").header = {{"arch", "bilstm-crf"}, {"version", 99}};
  future.save(path);
  try {
    mie::Model::load(path);
    FAIL();
  } catch (const mie::Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("'ner' has version 99"), std::string::npos) << what;
    EXPECT_NE(what.find("reads version 1"), std::string::npos) << what;
  }
  mie::Options bad;
  bad.threads = 0;
  EXPECT_THROW(mie::Model::load(path, bad), mie::Error);
}

TEST(Pipeline, RelationThresholdIsChosenOnDevPosts) {
  NEED_DEFAULT_MODEL();
  mie::ModelFile mf = mie::ModelFile::load(model_with_relations());
  auto gold = mie::io::mnre_as_posts(mie::io::read_mnre(mie::data_dir() + "/mnre/val.txt"));
  gold.resize(150);
  const auto t = mie::pipeline::calibrate_relation_threshold(mf, gold, 1);
  ASSERT_EQ(t.sweep.size(), 20u);
  for (const auto& point : t.sweep) EXPECT_LE(point["f1"].get<double>(), t.f1 + 1e-9);
  EXPECT_GE(t.threshold, 0.f);
  EXPECT_LT(t.threshold, 1.f);
  mie::pipeline::set_relation_threshold(mf, t, "val");
  EXPECT_EQ(mf.section("relation").header["post_threshold"].get<float>(), t.threshold);
}
