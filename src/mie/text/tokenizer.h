// mie/text/tokenizer.h — tweet tokenizer for raw text (`mie predict --text`, JSONL "text").
//
//   auto toks = mie::text::tokenize("RT @nasa: Launch at 5pm!! #SpaceX http://t.co/x 🚀");
//   // {"RT", "@", "nasa", ":", "Launch", "at", "5pm", "!!", "#", "SpaceX", "http://t.co/x", "🚀"}
//
// Whitespace first, then per chunk: URLs stay whole; "@"/"#" are split from the name (the GMNER
// and Twitter-2017 convention; TokenizerOptions::split_tag_marks=false keeps "@user"); leading
// and trailing punctuation is split off (runs of one character stay together: "!!", "...");
// clitics 's 're 've 'll 'd 'm n't become separate tokens; each emoji is its own token.
// Invalid UTF-8 throws mie::Error. Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mie::text {

struct TokenizerOptions {
  bool split_tag_marks = true;  // "@user" -> "@", "user"; "#tag" -> "#", "tag"
};

std::vector<std::string> tokenize(std::string_view text, const TokenizerOptions& opt = {});

// UTF-8 helpers. decode_utf8 throws mie::Error("invalid UTF-8 at byte N") on bad input.
std::vector<char32_t> decode_utf8(std::string_view s);
std::string encode_utf8(char32_t cp);
bool valid_utf8(std::string_view s);
bool is_emoji(char32_t cp);

}  // namespace mie::text
