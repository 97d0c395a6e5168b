#include "mie/io/pyliteral.h"

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <cstdlib>
#include <string>

#include "mie/core/error.h"
#include "mie/io/lines.h"

namespace mie::io {
namespace {

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  nlohmann::json parse_all() {
    skip_ws();
    nlohmann::json v = value(0);
    skip_ws();
    if (i_ < s_.size()) fail("unexpected trailing text");
    return v;
  }

 private:
  static constexpr int kMaxDepth = 200;
  std::string_view s_;
  size_t i_ = 0;

  [[noreturn]] void fail(const std::string& msg, size_t at = std::string::npos) const {
    throw Error("column " + std::to_string((at == std::string::npos ? i_ : at) + 1) + ": " + msg);
  }
  bool eof() const { return i_ >= s_.size(); }
  char peek() const { return eof() ? '\0' : s_[i_]; }
  void skip_ws() {
    while (!eof() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }
  void expect(char c) {
    skip_ws();
    if (peek() != c) fail(std::string("expected '") + c + "'" + (eof() ? " before end of input" : ""));
    ++i_;
  }

  nlohmann::json value(int depth) {
    if (depth > kMaxDepth) fail("nesting too deep");
    skip_ws();
    if (eof()) fail("unexpected end of input");
    char c = peek();
    if (c == '{') return dict(depth);
    if (c == '[') return sequence(depth, ']');
    if (c == '(') return sequence(depth, ')');
    if (c == '\'' || c == '"') return strings();
    if ((c == 'r' || c == 'R') && i_ + 1 < s_.size() && (s_[i_ + 1] == '\'' || s_[i_ + 1] == '"')) return strings();
    if (c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9')) return number();
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t st = i_;
      while (!eof() && (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '_')) ++i_;
      std::string_view w = s_.substr(st, i_ - st);
      if (w == "True") return true;
      if (w == "False") return false;
      if (w == "None") return nullptr;
      fail("unknown name '" + std::string(w) + "' (only literals are allowed)", st);
    }
    fail(std::string("unexpected character '") + c + "'");
  }

  nlohmann::json dict(int depth) {
    ++i_;  // {
    nlohmann::json obj = nlohmann::json::object();
    skip_ws();
    if (peek() == '}') return ++i_, obj;
    while (true) {
      skip_ws();
      size_t key_at = i_;
      nlohmann::json k = value(depth + 1);
      std::string key;
      if (k.is_string()) key = k.get<std::string>();
      else if (k.is_boolean()) key = k.get<bool>() ? "True" : "False";
      else if (k.is_null()) key = "None";
      else if (k.is_number()) key = k.dump();
      else fail("unhashable dict key", key_at);
      skip_ws();
      if (peek() != ':') fail(peek() == ',' || peek() == '}' ? "set literals are not supported" : "expected ':'");
      ++i_;
      obj[key] = value(depth + 1);
      skip_ws();
      if (peek() == ',') {
        ++i_;
        skip_ws();
        if (peek() == '}') return ++i_, obj;
        continue;
      }
      if (peek() == '}') return ++i_, obj;
      fail(eof() ? "unterminated dict" : "expected ',' or '}'");
    }
  }

  nlohmann::json sequence(int depth, char close) {
    const bool tuple = close == ')';
    ++i_;
    nlohmann::json arr = nlohmann::json::array();
    skip_ws();
    if (peek() == close) return ++i_, arr;
    while (true) {
      arr.push_back(value(depth + 1));
      skip_ws();
      if (peek() == ',') {
        ++i_;
        skip_ws();
        if (peek() == close) return ++i_, arr;
        continue;
      }
      if (peek() == close) {
        ++i_;
        if (tuple && arr.size() == 1) return arr[0];  // "(x)" is just x in Python; "(x,)" is a tuple
        return arr;
      }
      fail(eof() ? std::string("unterminated ") + (tuple ? "tuple" : "list")
                 : std::string("expected ',' or '") + close + "'");
    }
  }

  // One or more adjacent string literals, concatenated.
  nlohmann::json strings() {
    std::string out;
    do {
      one_string(out);
      skip_ws();
    } while (peek() == '\'' || peek() == '"' ||
             ((peek() == 'r' || peek() == 'R') && i_ + 1 < s_.size() && (s_[i_ + 1] == '\'' || s_[i_ + 1] == '"')));
    if (find_invalid_utf8(out) != std::string::npos) fail("string is not valid UTF-8");
    return out;
  }

  uint32_t hex(int n) {
    if (i_ + n > s_.size()) fail("truncated escape");
    uint32_t v = 0;
    for (int k = 0; k < n; ++k) {
      char c = s_[i_ + k];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= c - '0';
      else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
      else fail("bad hex digit in escape", i_ + k);
    }
    i_ += n;
    return v;
  }

  void one_string(std::string& out) {
    bool raw = false;
    if (peek() == 'r' || peek() == 'R') raw = true, ++i_;
    const size_t start = i_;
    const char q = s_[i_];
    const bool triple = s_.substr(i_, 3) == std::string(3, q);
    i_ += triple ? 3 : 1;
    while (true) {
      if (eof()) fail("unterminated string", start);
      char c = s_[i_];
      if (c == q && (!triple || s_.substr(i_, 3) == std::string(3, q))) {
        i_ += triple ? 3 : 1;
        return;
      }
      if (c == '\n' && !triple) fail("newline in string", start);
      if (c != '\\') {
        out += c, ++i_;
        continue;
      }
      if (i_ + 1 >= s_.size()) fail("unterminated string", start);
      char e = s_[i_ + 1];
      if (raw) {
        out += c, out += e, i_ += 2;
        continue;
      }
      const size_t esc_at = i_;
      i_ += 2;
      switch (e) {
        case '\\': out += '\\'; break;
        case '\'': out += '\''; break;
        case '"': out += '"'; break;
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'v': out += '\v'; break;
        case 'a': out += '\a'; break;
        case '\n': break;
        case 'x': append_utf8(out, hex(2)); break;
        case 'u':
        case 'U': {
          uint32_t cp = hex(e == 'u' ? 4 : 8);
          if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) fail("escape is not a valid code point", esc_at);
          append_utf8(out, cp);
          break;
        }
        default:
          if (e >= '0' && e <= '7') {
            uint32_t v = e - '0';
            for (int k = 0; k < 2 && !eof() && peek() >= '0' && peek() <= '7'; ++k) v = v * 8 + (s_[i_++] - '0');
            append_utf8(out, v);
          } else if (e == 'N') {
            fail("\\N{...} escapes are not supported", esc_at);
          } else {
            out += '\\', out += e;  // Python keeps unknown escapes verbatim
          }
      }
    }
  }

  nlohmann::json number() {
    const size_t st = i_;
    std::string digits;
    bool neg = false;
    if (peek() == '+' || peek() == '-') neg = s_[i_++] == '-';
    skip_ws();
    if (peek() == '0' && i_ + 1 < s_.size() && std::strchr("xXoObB", s_[i_ + 1])) {
      char kind = static_cast<char>(std::tolower(s_[i_ + 1]));
      i_ += 2;
      while (!eof() && (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '_'))
        if (s_[i_++] != '_') digits += s_[i_ - 1];
      int base = kind == 'x' ? 16 : kind == 'o' ? 8 : 2;
      char* end = nullptr;
      errno = 0;
      unsigned long long v = std::strtoull(digits.c_str(), &end, base);
      if (digits.empty() || *end != '\0') fail("bad integer literal", st);
      if (errno == ERANGE || v > static_cast<unsigned long long>(INT64_MAX)) fail("integer literal out of range", st);
      return neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
    }
    bool is_float = false;
    while (!eof()) {
      char c = peek();
      if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
      else if (c == '.') digits += c, is_float = true;
      else if (c == 'e' || c == 'E') {
        digits += c, is_float = true;
        if (i_ + 1 < s_.size() && (s_[i_ + 1] == '+' || s_[i_ + 1] == '-')) digits += s_[++i_];
      } else if (c != '_') break;
      ++i_;
    }
    if (digits.empty() || digits == ".") fail("bad number", st);
    if (std::isalpha(static_cast<unsigned char>(peek()))) fail("bad number suffix", i_);
    char* end = nullptr;
    if (!is_float) {
      if (digits.size() > 1 && digits[0] == '0' && digits.find_first_not_of('0') != std::string::npos)
        fail("leading zeros in integer literal", st);
      errno = 0;
      long long v = std::strtoll(digits.c_str(), &end, 10);
      if (*end == '\0' && errno != ERANGE) return neg ? -v : v;
    }
    double d = std::strtod(digits.c_str(), &end);
    if (*end != '\0') fail("bad number '" + digits + "'", st);
    return neg ? -d : d;
  }
};

}  // namespace

nlohmann::json parse_py_literal(std::string_view text) { return Parser(text).parse_all(); }

}  // namespace mie::io
