// mie/core/test_tmp.h — per-process temporary files for the unit tests (header-only, tests only).
//
//   std::string p = mie::test_temp_path("model.mie");   // $TMPDIR/mie_<pid>_model.mie, removed at exit
//   mie::TestTempDir d;                                 // $TMPDIR/mie_<pid>_<test name>/, removed with d
//   std::ofstream(d.file("a.txt")) << "...";
//
// CTest runs every test in its own process, several at once: a fixed file name lets one process
// rewrite or delete a file that another has open or mapped (a mapped file rewritten underneath
// kills the reader with SIGBUS). Every temporary name in the tests therefore carries the pid.
// Thread safety: names are unique per process, not per thread; call from one thread.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace mie {

// Every path handed out is removed (files and directories) when the process exits.
inline std::filesystem::path test_temp_path(const std::string& name) {
  struct Cleanup {
    std::vector<std::filesystem::path> paths;
    ~Cleanup() {
      std::error_code ec;
      for (const auto& p : paths) std::filesystem::remove_all(p, ec);
    }
  };
  static Cleanup cleanup;
  auto p = std::filesystem::temp_directory_path() / ("mie_" + std::to_string(::getpid()) + "_" + name);
  cleanup.paths.push_back(p);
  return p;
}

// A fresh directory named after the running test (or `tag`), removed on destruction.
struct TestTempDir {
  std::filesystem::path dir;
  explicit TestTempDir(const std::string& tag = ::testing::UnitTest::GetInstance()->current_test_info()->name())
      : dir(test_temp_path(tag)) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  ~TestTempDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  TestTempDir(const TestTempDir&) = delete;
  TestTempDir& operator=(const TestTempDir&) = delete;
  std::string file(const std::string& name) const { return (dir / name).string(); }
};

}  // namespace mie
