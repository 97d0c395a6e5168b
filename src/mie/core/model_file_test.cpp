#include "mie/core/model_file.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "mie/core/error.h"
#include "mie/core/test_tmp.h"

namespace {

mie::ModelFile sample() {
  mie::ModelFile mf;
  mf.meta["trainer"] = "test";
  auto& ner = mf.add_section("ner");
  ner.header = {{"arch", "bilstm-crf"}, {"labels", {"O", "B-PER", "I-PER"}}};
  ner.add_tensor("w", {2, 3}, {1, 2, 3, 4, 5, 6});
  ner.add_tensor("b", {3}, {-1.5f, 0.f, 7.25f});
  auto& g = mf.add_section("ground");
  g.header = {{"k", 16}};
  g.add_tensor("empty", {0, 4}, {});
  return mf;
}

std::string tmp_path(const std::string& name) {
  return mie::test_temp_path("mf" + name).string();
}

void expect_error_naming(const std::string& bytes, const std::string& name, const std::string& fragment) {
  try {
    mie::ModelFile::from_bytes(bytes, name);
    FAIL() << "expected an error containing " << fragment;
  } catch (const mie::Error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find(name), std::string::npos) << what;
    EXPECT_NE(what.find(fragment), std::string::npos) << what;
  }
}

TEST(ModelFile, RoundTripThroughDisk) {
  auto path = tmp_path("rt.mie");
  sample().save(path);
  auto back = mie::ModelFile::load(path);
  std::filesystem::remove(path);
  EXPECT_EQ(back.section_names(), (std::vector<std::string>{"ner", "ground"}));
  EXPECT_EQ(back.meta["trainer"], "test");
  EXPECT_EQ(back.meta["stages"], nlohmann::json({"ner", "ground"}));
  const auto& ner = back.section("ner");
  EXPECT_EQ(ner.header["labels"][1], "B-PER");
  EXPECT_EQ(ner.tensor("w").shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(ner.tensor("w").data, (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(ner.tensor("b").data[2], 7.25f);
  EXPECT_EQ(back.section("ground").tensor("empty").numel(), 0);
  EXPECT_THROW(ner.tensor("missing"), mie::Error);
  EXPECT_THROW(back.section("rel"), mie::Error);
}

TEST(ModelFile, EveryTruncationIsDetected) {
  std::string bytes = sample().to_bytes();
  for (size_t n = 0; n < bytes.size(); n += (n < 64 ? 1 : 7)) {
    EXPECT_THROW(mie::ModelFile::from_bytes(bytes.substr(0, n), "cut.mie"), mie::Error) << n;
  }
  expect_error_naming(bytes.substr(0, bytes.size() - 1), "cut.mie", "truncated");
  expect_error_naming(bytes.substr(0, bytes.size() / 2), "cut.mie", "truncated");
}

TEST(ModelFile, WrongVersionTypeAndCorruption) {
  std::string bytes = sample().to_bytes();
  std::string v2 = bytes;
  v2[4] = 2;
  expect_error_naming(v2, "v2.mie", "version 2");
  expect_error_naming("{\"not\": \"a model\"}\n", "x.json", "not a mie model file");
  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x40;
  expect_error_naming(flipped, "flip.mie", "checksum");
  EXPECT_THROW(mie::ModelFile::load(tmp_path("does-not-exist.mie")), mie::Error);
}

TEST(ModelFile, RejectsInconsistentTensorsAndDuplicates) {
  mie::ModelFile mf;
  auto& s = mf.add_section("ner");
  EXPECT_THROW(s.add_tensor("x", {2, 2}, {1, 2, 3}), mie::Error);
  s.add_tensor("x", {1}, {1});
  EXPECT_THROW(s.add_tensor("x", {1}, {1}), mie::Error);
  EXPECT_THROW(mf.add_section("ner"), mie::Error);
  mie::ModelSection repl;
  repl.name = "ner";
  mf.set_section(repl);
  EXPECT_TRUE(mf.section("ner").tensors.empty());
}

TEST(ModelFile, FileHashChangesWithContent) {
  auto a = tmp_path("a.txt");
  std::ofstream(a) << "hello";
  auto h1 = mie::file_hash(a);
  std::ofstream(a) << "hellp";
  EXPECT_NE(h1, mie::file_hash(a));
  EXPECT_EQ(h1.size(), 16u);
  std::filesystem::remove(a);
}

}  // namespace

TEST(ModelFile, StageOrderFollowsMetaThenAddsUnlistedSections) {
  mie::ModelFile mf;
  mf.add_section("ner");
  mf.add_section("relation");
  mf.add_section("ground");
  EXPECT_EQ(mf.stage_order(), (std::vector<std::string>{"ner", "relation", "ground"}));
  mf.meta["stages"] = {"ner", "ground", "gone", "ner"};  // a missing section and a repeat are dropped
  EXPECT_EQ(mf.stage_order(), (std::vector<std::string>{"ner", "ground", "relation"}));
  const auto back = mie::ModelFile::from_bytes(mf.to_bytes(), "mem");
  EXPECT_EQ(back.meta["stages"], (nlohmann::json{"ner", "ground", "relation"}));
  EXPECT_EQ(back.stage_order(), mf.stage_order());
}
