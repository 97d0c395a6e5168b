// mie/core/test_tmp.h — per-process temporary files for the unit tests (header-only, tests only).
//
//   std::string p = mie::test_temp_path("model.mie");   // $TMPDIR/mie_<pid>_model.mie, removed at exit
//   mie::TestTempDir d;                                 // $TMPDIR/mie_<pid>_<test name>/, removed with d
//   std::ofstream(d.file("a.txt")) << "...";
//
// CTest runs every test in its own process, several at once: a fixed file name lets one process
// rewrite or delete a file that another has open or mapped (a mapped file rewritten underneath
// kills the reader with SIGBUS). Every temporary name in the tests therefore carries the pid.
//   std::string m = mie::test_fixture_file("model.mie", [](const std::string& out) { train_and_save(out); });
//
// test_fixture_file trains a fixture once per test binary build, not once per test process: the
// file lives beside the test binary (<binary>.fixtures/<name>), made under an exclusive lock by the
// first process that needs it and reused by the others; a rebuilt binary makes it anew.
// Thread safety: names are unique per process, not per thread; call from one thread.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <functional>

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

// The fixture `name` of this test binary: made by make(path) under a lock the first time, then reused.
inline std::string test_fixture_file(const std::string& name, const std::function<void(const std::string&)>& make) {
  namespace fs = std::filesystem;
  const fs::path exe = fs::read_symlink("/proc/self/exe");
  const auto stamp = fs::last_write_time(exe).time_since_epoch().count();
  const fs::path dir = exe.string() + ".fixtures";
  fs::create_directories(dir);
  const fs::path path = dir / (std::to_string(stamp) + "_" + name);
  const int lock = ::open((path.string() + ".lock").c_str(), O_CREAT | O_RDWR, 0644);
  if (lock < 0 || ::flock(lock, LOCK_EX) != 0) throw std::runtime_error("cannot lock " + path.string() + ".lock");
  if (!fs::exists(path)) {
    const std::string tmp = path.string() + ".tmp" + std::to_string(::getpid());
    make(tmp);
    fs::rename(tmp, path);
  }
  ::flock(lock, LOCK_UN);
  ::close(lock);
  return path.string();
}

}  // namespace mie
