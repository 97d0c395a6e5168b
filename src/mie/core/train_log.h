// mie/core/train_log.h — where a trainer reports progress: a callback that takes one line (no
// newline), so a program embedding the trainers decides where its lines go; the CLI's is stderr.
//
//   mie::TrainLog log = [](const std::string& line) { my_logger.info(line); };
//   opt.log = log;                                    // ner::TrainOptions, typing::..., relation::...
//   mie::say(opt.log, "epoch %d: F1 %.2f", 3, 75.4);  // through `log`, or stderr when it is empty
//
// Thread safety: the callback is called from the training thread only.
#pragma once

#include <cstdarg>
#include <cstdio>
#include <functional>
#include <string>

namespace mie {

using TrainLog = std::function<void(const std::string& line)>;

// printf into a string.
inline std::string strprintf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
inline std::string strprintf(const char* fmt, ...) {
  va_list a, b;
  va_start(a, fmt);
  va_copy(b, a);
  const int n = std::vsnprintf(nullptr, 0, fmt, a);
  va_end(a);
  std::string s(n > 0 ? static_cast<size_t>(n) : 0, '\0');
  if (n > 0) std::vsnprintf(s.data(), s.size() + 1, fmt, b);
  va_end(b);
  return s;
}

// One line to `log`, or to stderr when `log` is empty.
inline void say(const TrainLog& log, const std::string& line) {
  if (log) log(line);
  else std::fprintf(stderr, "%s\n", line.c_str());
}

}  // namespace mie
