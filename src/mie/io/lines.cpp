#include "mie/io/lines.h"

#include <iostream>

#include "mie/core/error.h"
#include "mie/core/files.h"

namespace mie::io {

LineReader::LineReader(const std::string& path) : name_(path) {
  if (path == "-") {
    in_ = &std::cin;
    name_ = "<stdin>";
    return;
  }
  owned_ = std::make_unique<std::ifstream>(open_file(path, "input file"));
  in_ = owned_.get();
}

LineReader::LineReader(std::istream& in, std::string name) : in_(&in), name_(std::move(name)) {}

bool LineReader::next(std::string& line) {
  if (!std::getline(*in_, line)) {
    if (in_->bad()) throw ParseError(name_, line_no_, "read error");
    return false;
  }
  ++line_no_;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line_no_ == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
  if (size_t bad = find_invalid_utf8(line); bad != std::string::npos)
    throw ParseError(name_, line_no_, "invalid UTF-8 at byte " + std::to_string(bad + 1));
  return true;
}

size_t find_invalid_utf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len = 0;
    uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) len = 2, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0) len = 3, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0) len = 4, cp = c & 0x07;
    else return i;
    if (i + len > n) return i;
    for (int k = 1; k < len; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return i;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string::npos;
}

static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

std::string_view rstrip(std::string_view s) {
  while (!s.empty() && is_ws(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view strip(std::string_view s) {
  s = rstrip(s);
  while (!s.empty() && is_ws(s.front())) s.remove_prefix(1);
  return s;
}

}  // namespace mie::io
