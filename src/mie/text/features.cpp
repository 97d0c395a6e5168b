#include "mie/text/features.h"

#include "mie/text/tokenizer.h"

namespace mie::text {

namespace {
bool ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool ascii_lower(char c) { return c >= 'a' && c <= 'z'; }
bool ascii_digit(char c) { return c >= '0' && c <= '9'; }

struct Counts {
  int upper = 0, lower = 0, digit = 0, other_letter = 0, emoji = 0, n = 0;
  bool first_upper = false, inner_upper = false;
};

Counts count(std::string_view t) {
  Counts c;
  std::vector<char32_t> cps;
  if (valid_utf8(t)) cps = decode_utf8(t);
  else for (char ch : t) cps.push_back(static_cast<unsigned char>(ch));
  for (size_t i = 0; i < cps.size(); ++i) {
    char32_t cp = cps[i];
    ++c.n;
    if (cp < 0x80) {
      char ch = static_cast<char>(cp);
      if (ascii_upper(ch)) {
        ++c.upper;
        if (i == 0) c.first_upper = true;
        else c.inner_upper = true;
      } else if (ascii_lower(ch)) ++c.lower;
      else if (ascii_digit(ch)) ++c.digit;
    } else if (is_emoji(cp)) {
      ++c.emoji;
    } else if ((cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x370 && cp <= 0x3FF) ||
               (cp >= 0x400 && cp <= 0x4FF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3040 && cp <= 0x30FF) ||
               (cp >= 0x600 && cp <= 0x6FF) || (cp >= 0xAC00 && cp <= 0xD7AF)) {
      ++c.other_letter;
    }
  }
  return c;
}

bool is_sentence_punct(const std::string& t) {
  return !t.empty() && (t[0] == '.' || t[0] == '!' || t[0] == '?' || t[0] == ':' || t == "\xE2\x80\xA6");
}
}  // namespace

bool is_url(std::string_view t) {
  auto starts = [&](std::string_view p) { return t.size() >= p.size() && to_lower(t.substr(0, p.size())) == p; };
  return starts("http://") || starts("https://") || starts("www.") || starts("http\xE2\x80\xA6") ||
         starts("https\xE2\x80\xA6") || t == "http" || t == "https" || t.find("t.co/") != std::string_view::npos;
}

std::string to_lower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c + 32);
    } else if (c == 0xC3 && i + 1 < s.size()) {  // Latin-1 upper case letters U+00C0..U+00DE
      auto d = static_cast<unsigned char>(s[i + 1]);
      out += static_cast<char>(c);
      out += static_cast<char>((d >= 0x80 && d <= 0x9E && d != 0x97) ? d + 0x20 : d);
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string lookup_key(std::string_view t) {
  if (is_url(t)) return "<url>";
  if (t.size() > 1 && (t[0] == '@' || t[0] == '#')) t.remove_prefix(1);
  return to_lower(t);
}

std::string word_shape(std::string_view t) {
  std::string out;
  std::vector<char32_t> cps;
  if (valid_utf8(t)) cps = decode_utf8(t);
  for (char32_t cp : cps) {
    char sym;
    if (cp < 0x80 && ascii_upper(static_cast<char>(cp))) sym = 'X';
    else if (cp < 0x80 && ascii_lower(static_cast<char>(cp))) sym = 'x';
    else if (cp < 0x80 && ascii_digit(static_cast<char>(cp))) sym = 'd';
    else if (cp < 0x80) sym = static_cast<char>(cp);
    else if (is_emoji(cp)) sym = 'E';
    else sym = 'U';
    if (out.empty() || out.back() != sym) out += sym;
    if (out.size() >= 5) break;
  }
  return out;
}

std::vector<FeatureBits> token_features(const std::vector<std::string>& toks) {
  std::vector<FeatureBits> f(toks.size());
  // Retweet prefix: "RT" "@" "user" [_ parts] ":" or "RT" "@user" ":".
  size_t rt_end = 0;
  if (!toks.empty() && toks[0] == "RT") {
    size_t j = 1;
    while (j < toks.size() && j < 8 && toks[j] != ":") ++j;
    if (j < toks.size() && toks[j] == ":" && j >= 2 && toks[1][0] == '@') rt_end = j + 1;
  }
  for (size_t i = 0; i < toks.size(); ++i) {
    const std::string& t = toks[i];
    FeatureBits& b = f[i];
    const std::string prev = i > 0 ? toks[i - 1] : "";
    if (t == "@" || t == "#") b.set(kTagMark);
    if (t.size() > 1 && t[0] == '@') b.set(kMention);
    if (t.size() > 1 && t[0] == '#') b.set(kHashtag);
    if (prev == "@" && t != "@") b.set(kMention);
    if (prev == "#" && t != "#") b.set(kHashtag);
    // GMNER splits "_" off handles: "MahaveerM _" -> the "_" continues the mention.
    if (i > 0 && f[i - 1].test(kMention) && (t == "_" || (prev == "_" && t != ":"))) b.set(kMention);
    if (is_url(t)) b.set(kUrl);
    if (i < rt_end) b.set(kRtPrefix);
    if (i == 0) b.set(kFirst);
    if (i > 0 && is_sentence_punct(prev)) b.set(kAfterPunct);
    Counts c = count(t);
    if (c.emoji > 0) b.set(kEmoji);
    int letters = c.upper + c.lower;
    if (c.upper >= 2 && c.lower == 0) b.set(kAllCaps);
    if (c.first_upper && c.lower > 0 && !c.inner_upper) b.set(kInitCap);
    if (c.lower > 0 && c.upper == 0) b.set(kLower);
    if (c.inner_upper && c.lower > 0) b.set(kMixedCase);
    if (c.digit > 0) b.set(kHasDigit);
    if (c.digit > 0 && c.digit == c.n) b.set(kAllDigit);
    if (letters == 0 && c.digit == 0 && c.other_letter == 0) b.set(kPunct);
    if (c.other_letter > 0) b.set(kNonAscii);
    if ((b.test(kHashtag) || b.test(kMention)) && c.inner_upper && c.lower > 0) b.set(kCamelInTag);
  }
  return f;
}

}  // namespace mie::text
