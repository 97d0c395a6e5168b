// mie/io/test_util.h — helpers for the io unit tests (header-only, tests only).
//
//   std::string p = mie::io::test::temp_file("x.txt", "IMGID:1\nA\tO\n");
//   EXPECT_PARSE_ERROR(mie::io::read_conll(p), p, 2, "column");
//
// Thread safety: temp_file uses a per-process directory; not for concurrent use.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "mie/core/error.h"
#include "mie/core/paths.h"
#include "mie/core/post.h"
#include "mie/core/test_tmp.h"

namespace mie::io::test {

inline std::string temp_dir() {
  auto d = mie::test_temp_path("io_test");
  std::filesystem::create_directories(d);
  return d.string();
}

inline std::string temp_file(const std::string& name, const std::string& content) {
  const std::string p = temp_dir() + "/" + name;
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

inline std::string data(const std::string& rel) { return mie::data_dir() + "/" + rel; }

inline mie::Entity ent(int start, int end, std::string type, std::string fine = "") {
  mie::Entity e;
  e.start = start;
  e.end = end;
  e.type = std::move(type);
  e.fine_type = std::move(fine);
  return e;
}

inline std::string fixture(const std::string& rel) { return mie::source_dir() + "/tests/fixtures/" + rel; }

}  // namespace mie::io::test

// Runs `stmt`, expects mie::ParseError with the given file, line and a substring of what().
#define EXPECT_PARSE_ERROR(stmt, file_, line_, substr_)                                     \
  do {                                                                                      \
    try {                                                                                   \
      stmt;                                                                                 \
      ADD_FAILURE() << "expected mie::ParseError from " #stmt;                              \
    } catch (const mie::ParseError& e_) {                                                   \
      EXPECT_EQ(e_.file(), std::string(file_));                                             \
      EXPECT_EQ(e_.line(), (line_)) << e_.what();                                           \
      EXPECT_NE(std::string(e_.what()).find(substr_), std::string::npos) << e_.what();      \
    }                                                                                       \
  } while (0)

#define SKIP_WITHOUT(path_) \
  if (!mie::file_exists(path_)) GTEST_SKIP() << "data not available: " << (path_)
