#include "mie/core/files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "mie/core/error.h"
#include "mie/core/test_tmp.h"

namespace {

std::string error_of(const std::string& path) {
  try {
    mie::open_file(path, "test input");
  } catch (const mie::Error& e) {
    return e.what();
  }
  return "";
}

TEST(OpenFile, SaysWhatIsWrong) {
  mie::TestTempDir d;
  EXPECT_EQ(error_of(d.file("missing.txt")), d.file("missing.txt") + ": cannot open test input: no such file");
  EXPECT_EQ(error_of(d.dir.string()), d.dir.string() + ": cannot open test input: is a directory");
  std::ofstream(d.file("a.txt")) << "hello\n";
  std::ifstream in = mie::open_file(d.file("a.txt"));
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  EXPECT_EQ(line, "hello");
}

}  // namespace
