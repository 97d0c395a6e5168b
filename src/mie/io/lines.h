// mie/io/lines.h — line-by-line text input shared by the io readers.
//
//   mie::io::LineReader r(path);          // "-" reads stdin; throws mie::Error if unreadable
//   std::string line;
//   while (r.next(line)) {                // CR/LF stripped, UTF-8 validated, BOM dropped
//     if (bad) throw mie::ParseError(r.name(), r.line_no(), "...");
//   }
//
// Invalid UTF-8 throws mie::ParseError(file, line, "invalid UTF-8 at byte N").
// Thread safety: one reader per thread.
#pragma once

#include <fstream>
#include <istream>
#include <memory>
#include <string>
#include <string_view>

namespace mie::io {

class LineReader {
 public:
  explicit LineReader(const std::string& path);           // "-" = stdin
  LineReader(std::istream& in, std::string name);          // borrows `in`
  bool next(std::string& line);                            // false at end of input
  long line_no() const { return line_no_; }
  const std::string& name() const { return name_; }

 private:
  std::unique_ptr<std::ifstream> owned_;
  std::istream* in_ = nullptr;
  std::string name_;
  long line_no_ = 0;
};

// Byte offset of the first invalid UTF-8 sequence, or npos when `s` is valid UTF-8
// (overlongs, surrogates and code points above U+10FFFF are invalid).
size_t find_invalid_utf8(std::string_view s);
// Removes trailing ASCII whitespace (space, tab, CR, LF, VT, FF).
std::string_view rstrip(std::string_view s);
std::string_view strip(std::string_view s);

}  // namespace mie::io
