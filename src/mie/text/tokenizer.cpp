#include "mie/text/tokenizer.h"

#include <cctype>

#include "mie/core/error.h"
#include "mie/text/features.h"

namespace mie::text {

namespace {
// Decodes one code point at s[i]; returns its byte length, 0 on invalid input.
size_t decode_one(std::string_view s, size_t i, char32_t& cp) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t n;
  if (c < 0x80) { cp = c; return 1; }
  if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1F; }
  else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0F; }
  else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07; }
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  static const char32_t min_for_len[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min_for_len[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

bool is_space(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0xA0 || c == 0x3000 || (c >= 0x2000 && c <= 0x200B); }
bool is_word_char(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  if (is_emoji(c)) return false;
  // General punctuation and symbols block, CJK punctuation, Latin-1 punctuation.
  if ((c >= 0x2010 && c <= 0x206F) || (c >= 0x3000 && c <= 0x303F) || (c >= 0xA1 && c <= 0xBF) || c == 0xD7 || c == 0xF7) return false;
  return true;
}

struct Piece {
  std::string text;
  bool word;
};
}  // namespace

bool is_emoji(char32_t c) {
  return (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) || (c >= 0x2B00 && c <= 0x2BFF) ||
         (c >= 0x2190 && c <= 0x21FF) || (c >= 0x2300 && c <= 0x23FF) || c == 0xFE0F || c == 0x200D ||
         (c >= 0x1F1E6 && c <= 0x1F1FF) || c == 0x3030 || c == 0x303D || c == 0x3297 || c == 0x3299 ||
         c == 0xA9 || c == 0xAE || c == 0x2122;
}

std::vector<char32_t> decode_utf8(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    char32_t cp;
    size_t n = decode_one(s, i, cp);
    if (!n) throw Error("invalid UTF-8 at byte " + std::to_string(i));
    out.push_back(cp);
    i += n;
  }
  return out;
}

bool valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    char32_t cp;
    size_t n = decode_one(s, i, cp);
    if (!n) return false;
    i += n;
  }
  return true;
}

std::string encode_utf8(char32_t cp) {
  std::string out;
  if (cp < 0x80) out += static_cast<char>(cp);
  else if (cp < 0x800) { out += static_cast<char>(0xC0 | (cp >> 6)); out += static_cast<char>(0x80 | (cp & 0x3F)); }
  else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12)); out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18)); out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)); out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

namespace {
void split_chunk(const std::u32string& chunk, const TokenizerOptions& opt, std::vector<std::string>& out) {
  std::string utf8;
  for (char32_t c : chunk) utf8 += encode_utf8(c);
  if (is_url(utf8)) {
    out.push_back(utf8);
    return;
  }
  // Group into word runs and single non-word characters (same punctuation chars merged).
  std::vector<Piece> pieces;
  size_t i = 0;
  while (i < chunk.size()) {
    char32_t c = chunk[i];
    if (is_word_char(c)) {
      std::string w;
      // Word with internal apostrophes/periods/hyphens/ampersands (U.S., don't, e-mail, AT&T).
      size_t j = i;
      while (j < chunk.size()) {
        if (is_word_char(chunk[j])) { w += encode_utf8(chunk[j]); ++j; continue; }
        char32_t p = chunk[j];
        bool joiner = (p == '\'' || p == 0x2019 || p == '.' || p == '-' || p == '&');
        if (joiner && j + 1 < chunk.size() && is_word_char(chunk[j + 1])) {
          w += encode_utf8(p);
          ++j;
          continue;
        }
        break;
      }
      // Trailing "." of abbreviations like "U.S." stays when the word already has internal dots.
      if (j < chunk.size() && chunk[j] == '.' && w.find('.') != std::string::npos && w.size() <= 6) {
        w += '.';
        ++j;
      }
      pieces.push_back({w, true});
      i = j;
    } else if (c == '&' && i + 1 < chunk.size() && chunk[i + 1] < 0x80 && std::isalpha(static_cast<int>(chunk[i + 1]))) {
      // HTML entity as the Twitter datasets keep it: "&amp;" -> "&amp", ";".
      std::string e = "&";
      size_t j = i + 1;
      while (j < chunk.size() && chunk[j] < 0x80 && std::isalpha(static_cast<int>(chunk[j]))) e += static_cast<char>(chunk[j++]);
      pieces.push_back({e, false});
      i = j;
    } else if (is_emoji(c)) {
      std::string e = encode_utf8(c);
      size_t j = i + 1;
      while (j < chunk.size() && (chunk[j] == 0xFE0F || chunk[j] == 0x200D || (chunk[j] >= 0x1F3FB && chunk[j] <= 0x1F3FF))) {
        e += encode_utf8(chunk[j]);
        // A zero-width joiner glues the next emoji to this one.
        if (chunk[j] == 0x200D && j + 1 < chunk.size()) e += encode_utf8(chunk[++j]);
        ++j;
      }
      pieces.push_back({e, false});
      i = j;
    } else {
      std::string p = encode_utf8(c);
      size_t j = i + 1;
      while (j < chunk.size() && chunk[j] == c && c != '@' && c != '#') p += encode_utf8(chunk[j++]);
      pieces.push_back({p, false});
      i = j;
    }
  }
  for (size_t k = 0; k < pieces.size(); ++k) {
    const auto& pc = pieces[k];
    if (!opt.split_tag_marks && (pc.text == "@" || pc.text == "#") && k + 1 < pieces.size() && pieces[k + 1].word) {
      out.push_back(pc.text + pieces[k + 1].text);
      ++k;
      continue;
    }
    if (pc.word) {
      // Clitics: "Trump's" -> "Trump", "'s"; "don't" -> "do", "n't".
      const std::string& w = pc.text;
      static const char* clitics[] = {"'s", "'re", "'ve", "'ll", "'d", "'m", "n't", "\xE2\x80\x99s"};
      bool split = false;
      for (const char* cl : clitics) {
        std::string c(cl);
        if (w.size() > c.size() + 1 && w.compare(w.size() - c.size(), c.size(), c) == 0) {
          out.push_back(w.substr(0, w.size() - c.size()));
          out.push_back(c);
          split = true;
          break;
        }
      }
      if (!split) out.push_back(w);
    } else {
      out.push_back(pc.text);
    }
  }
}
}  // namespace

std::vector<std::string> tokenize(std::string_view text, const TokenizerOptions& opt) {
  std::vector<char32_t> cps = decode_utf8(text);
  std::vector<std::string> out;
  std::u32string chunk;
  for (size_t i = 0; i <= cps.size(); ++i) {
    if (i == cps.size() || is_space(cps[i])) {
      if (!chunk.empty()) split_chunk(chunk, opt, out);
      chunk.clear();
    } else {
      chunk += cps[i];
    }
  }
  return out;
}

}  // namespace mie::text
