#include "mie/vision/assets.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "mie/core/error.h"
#include "mie/vision/candidate.h"

namespace mie::vision {
namespace {

namespace fs = std::filesystem;

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex("", 0), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc", 3), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::string two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";  // crosses a block
  EXPECT_EQ(sha256_hex(two.data(), two.size()), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  std::string million(1000000, 'a');
  EXPECT_EQ(sha256_hex(million.data(), million.size()),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

struct TmpDir {
  fs::path p;
  TmpDir() {
    p = fs::temp_directory_path() / ("mie_assets_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                                     "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(p);
    fs::create_directories(p / "m");
  }
  ~TmpDir() { fs::remove_all(p); }
  void write(const std::string& rel, const std::string& s) const { std::ofstream(p / rel, std::ios::binary) << s; }
};

TEST(Assets, RequireAssetChecksSha256Sums) {
  TmpDir d;
  d.write("m/model.bin", "abc");
  EXPECT_EQ(sha256_file((d.p / "m/model.bin").string()), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // No SHA256SUMS: existence is enough.
  EXPECT_EQ(require_asset(d.p.string(), "m/model.bin", "test model"), (d.p / "m/model.bin").string());
  try {
    require_asset(d.p.string(), "m/missing.onnx", "test model");
    FAIL();
  } catch (const mie::Error& e) {
    EXPECT_NE(std::string(e.what()).find("m/missing.onnx: test model model file not found"), std::string::npos) << e.what();
  }
  d.write("SHA256SUMS", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  m/model.bin\n"
                        "0000000000000000000000000000000000000000000000000000000000000000  m/other.bin\n");
  d.write("m/other.bin", "abd");
  EXPECT_NO_THROW(require_asset(d.p.string(), "m/model.bin", "test model"));
  try {
    require_asset(d.p.string(), "m/other.bin", "other model");
    FAIL();
  } catch (const mie::Error& e) {
    EXPECT_NE(std::string(e.what()).find("wrong other model model file: sha256"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(require_asset(d.p.string(), "m/other.bin", "other model", /*verify=*/false));
}

TEST(Assets, MalformedSha256SumsIsAParseError) {
  TmpDir d;
  d.write("SHA256SUMS", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  ok.bin\nnot a line\n");
  EXPECT_THROW(read_sha256sums(d.p.string()), mie::ParseError);
  try {
    read_sha256sums(d.p.string());
  } catch (const mie::ParseError& e) {
    EXPECT_EQ(e.line(), 2);
  }
}

TEST(Candidate, JsonHasBoxAndOptionalFields) {
  Candidate c;
  c.source = "text";
  c.label = "text";
  c.score = 0.87654f;
  c.box = {1.04f, 2.f, 30.f, 40.56f};
  c.text = "STARBUCKS";
  nlohmann::json j = to_json(c);
  EXPECT_EQ(j["source"], "text");
  EXPECT_EQ(j["text"], "STARBUCKS");
  EXPECT_DOUBLE_EQ(j["score"].get<double>(), 0.8765);
  EXPECT_DOUBLE_EQ(j["box"][0].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(j["box"][3].get<double>(), 40.6);
  EXPECT_FALSE(j.contains("feature_dim"));
  c.feature.assign(2048, 0.f);
  EXPECT_EQ(to_json(c)["feature_dim"], 2048);
  EXPECT_EQ(clamp_box({-5, 3, 50, 90}, 40, 60), (mie::Box{0, 3, 40, 60}));
}

}  // namespace
}  // namespace mie::vision
