// mie/core/progress.h — a one-line progress bar on stderr, for long runs over files: posts done,
// posts/s and (when the total is known, in posts or bytes) a bar and the time left.
//
//   mie::Progress bar("predict", mie::Progress::file_size(path));   // total in bytes; 0 = unknown
//   bar.update(posts_done, bytes_read);                              // redraws at most 10 times/s
//   bar.finish();                                                    // clears the line
//
// It draws only when stderr is a terminal (isatty), so logs and CI output stay clean; MIE_PROGRESS=0
// turns it off, MIE_PROGRESS=1 forces it on (tests). Thread safety: one thread per bar.
#pragma once

#include <chrono>
#include <cstdint>
#include <istream>
#include <ostream>
#include <string>

namespace mie {

class Progress {
 public:
  explicit Progress(std::string label, uint64_t total = 0, std::ostream* out = nullptr);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // `done` posts so far; `position` in the total's unit (bytes or posts; 0: use `done`).
  void update(uint64_t done, uint64_t position = 0);
  void update(uint64_t done, std::istream& read_from);  // position: where the stream is (the end: total)
  void finish();
  bool enabled() const { return enabled_; }
  static uint64_t file_size(const std::string& path);  // 0 when not a regular file ("-", a pipe)
  // The line drawn for these numbers (no terminal control characters): for tests.
  static std::string line(const std::string& label, uint64_t done, uint64_t position, uint64_t total, double seconds);

 private:
  std::string label_;
  uint64_t total_;
  std::ostream* out_;
  bool enabled_, drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace mie
