#include "mie/core/progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace mie {

Progress::Progress(std::string label, uint64_t total, std::ostream* out)
    : label_(std::move(label)), total_(total), out_(out ? out : &std::cerr) {
  const char* env = std::getenv("MIE_PROGRESS");
  enabled_ = env && *env ? std::string(env) != "0" : ::isatty(STDERR_FILENO) == 1;
  start_ = last_ = std::chrono::steady_clock::now();
}

Progress::~Progress() { finish(); }

uint64_t Progress::file_size(const std::string& path) {
  std::error_code ec;
  if (path.empty() || path == "-" || !std::filesystem::is_regular_file(path, ec)) return 0;
  const auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<uint64_t>(n);
}

std::string Progress::line(const std::string& label, uint64_t done, uint64_t position, uint64_t total,
                           double seconds) {
  char buf[160];
  const double rate = seconds > 0 ? done / seconds : 0;
  std::string s = label + ": ";
  if (total > 0) {
    const double f = std::min(1.0, static_cast<double>(position ? position : done) / static_cast<double>(total));
    const int width = 24, full = static_cast<int>(std::floor(f * width));
    s += "[" + std::string(static_cast<size_t>(full), '#') + std::string(static_cast<size_t>(width - full), '.') + "] ";
    std::snprintf(buf, sizeof buf, "%3.0f%% ", 100 * f);
    s += buf;
    std::snprintf(buf, sizeof buf, "%llu posts, %.0f posts/s", static_cast<unsigned long long>(done), rate);
    s += buf;
    if (f > 0 && f < 1) {
      const long left = std::lround(seconds * (1 - f) / f);
      std::snprintf(buf, sizeof buf, ", ETA %ld:%02ld", left / 60, left % 60);
      s += buf;
    }
  } else {
    std::snprintf(buf, sizeof buf, "%llu posts, %.0f posts/s", static_cast<unsigned long long>(done), rate);
    s += buf;
  }
  return s;
}

void Progress::update(uint64_t done, uint64_t position) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  drawn_ = true;
  const double s = std::chrono::duration<double>(now - start_).count();
  *out_ << "\r\033[K" << line(label_, done, position, total_, s) << std::flush;
}

void Progress::update(uint64_t done, std::istream& read_from) {
  if (!enabled_) return;
  const std::streamoff at = read_from.tellg();
  update(done, at < 0 ? total_ : static_cast<uint64_t>(at));
}

void Progress::finish() {
  if (enabled_ && drawn_) *out_ << "\r\033[K" << std::flush;
  drawn_ = false;
}

}  // namespace mie
