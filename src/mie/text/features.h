// mie/text/features.h — per-token tweet features for the taggers.
//
//   std::vector<std::string> toks = {"RT", "@", "nasa", ":", "Go", "#", "SpaceX", "http://t.co/x"};
//   auto f = mie::text::token_features(toks);          // f[2].test(mie::text::kMention) == true
//   std::string s = mie::text::word_shape("SpaceX");   // "XxX"
//   std::string k = mie::text::lookup_key("#SpaceX");   // "spacex"  (embedding lookup key)
//
// Features look at neighbours: GMNER splits "@"/"#" from the name, so "nasa" after "@" is a
// mention just like "@nasa"; "RT @user :" at the start marks the retweet prefix.
// Thread safety: pure functions.
#pragma once

#include <bitset>
#include <string>
#include <string_view>
#include <vector>

namespace mie::text {

enum TokenFeature : int {
  kMention = 0,    // @user or the name after a split "@"
  kHashtag,        // #tag or the word after a split "#"
  kTagMark,        // the bare "@" / "#" token
  kUrl,
  kEmoji,
  kRtPrefix,       // inside the leading "RT @user :" prefix
  kAllCaps,        // >= 2 letters, all upper case
  kInitCap,        // first letter upper, rest not all upper
  kLower,          // all letters lower case
  kMixedCase,      // e.g. iPhone, SpaceX
  kHasDigit,
  kAllDigit,
  kPunct,          // no letters or digits
  kFirst,          // first token of the post
  kAfterPunct,     // previous token is sentence punctuation (. ! ? :)
  kNonAscii,       // contains a non-ASCII letter
  kCamelInTag,     // a hashtag/mention word with internal capitals (ProudOfRAW)
  kNumFeatures
};

using FeatureBits = std::bitset<kNumFeatures>;

std::vector<FeatureBits> token_features(const std::vector<std::string>& tokens);

// Collapsed word shape: runs of upper/lower/digit as X/x/d, other characters kept; at most
// 5 symbols ("McDonald's" -> "XxXx'x" truncated to "XxXx'").
std::string word_shape(std::string_view token);

// Lower-cased lookup key: strips a leading @/#, maps URLs to "<url>", lower-cases ASCII and
// common Latin-1 letters. Tokens that are only "@" or "#" stay as they are.
std::string lookup_key(std::string_view token);
std::string to_lower(std::string_view s);

bool is_url(std::string_view token);

}  // namespace mie::text
