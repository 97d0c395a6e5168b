// mie/core/error.h — errors that name the file and line.
//
//   throw mie::ParseError(path, line_no, "expected token<TAB>tag, got 3 columns");
//   // what(): "data/dev.txt:17: expected token<TAB>tag, got 3 columns"
//
// Every reader reports bad input this way; the CLI prints what() and exits with status 2.
// Thread safety: exception types only.
#pragma once

#include <stdexcept>
#include <string>

namespace mie {

// Any error mie reports to the user (bad arguments, missing files, wrong model files).
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Malformed input: carries the file and the 1-based line (0 when no line applies).
class ParseError : public Error {
 public:
  ParseError(std::string file, long line, const std::string& msg)
      : Error(file + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " + msg),
        file_(std::move(file)),
        line_(line) {}
  const std::string& file() const { return file_; }
  long line() const { return line_; }

 private:
  std::string file_;
  long line_;
};

}  // namespace mie
