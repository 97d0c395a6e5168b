// mie/io/conll.h — Twitter-GMNER, Twitter-2015 and Twitter-2017 CoNLL files.
//
//   std::vector<mie::Post> posts = mie::io::read_conll("../shared/data/gmner/dev.txt");
//   mie::io::write_conll(std::cout, posts);            // IMGID: line, token<TAB>tag, blank line
//
// Format: "IMGID:<id>" line, then one "token<TAB>BIO-tag" line per token, then a blank line.
// Types PER/LOC/ORG/OTHER; MISC is read as OTHER. Malformed lines throw mie::ParseError(file, line).
//
// Reading rules (all tested in conll_test.cpp):
// - CRLF line ends, a UTF-8 BOM and trailing whitespace are accepted; a whitespace-only line is a
//   blank line. A missing final blank line is fine; so is an IMGID line right after a post's last
//   token (it starts the next post). "-DOCSTART-" lines are skipped.
// - A token line is "token<TAB>tag"; a line without a tab is split at its last space. A line
//   with a tab but an empty token ("<TAB>O") keeps an empty token, so token/tag alignment holds.
//   More than two tab-separated columns is an error.
// - Tags are "O", "B-<type>" or "I-<type>"; anything else, or a type not in
//   ConllOptions::allowed_types (when that list is non-empty), throws ParseError with file:line.
// - Invalid UTF-8 throws ParseError(file, line). Posts without an IMGID line get id "".
// - BIO decoding follows conlleval: an I-X tag starts a new entity unless the previous tag is
//   B-X or I-X (so "O I-PER" and "B-LOC I-PER" both start a new PER entity).
// Thread safety: free functions, no shared state.
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "mie/core/post.h"

namespace mie::io {

struct ConllOptions {
  bool map_misc_to_other = true;  // Twitter-2017's MISC becomes OTHER
  // Entity types accepted in tags (checked before the MISC mapping); empty accepts any type.
  std::vector<std::string> allowed_types = {"PER", "LOC", "ORG", "OTHER", "MISC"};
  // Accept columns after the tag (FMNERG's fine tag) and ignore them; otherwise exactly 2 columns.
  bool extra_columns = false;
};

std::vector<Post> read_conll(const std::string& path, const ConllOptions& opt = {});  // "-" = stdin
std::vector<Post> read_conll(std::istream& in, const std::string& name, const ConllOptions& opt = {});
void write_conll(std::ostream& out, const std::vector<Post>& posts);

// BIO tags -> entities with half-open spans (conlleval rules). Unknown tag syntax throws
// mie::Error naming the offending tag; the caller adds file:line context.
std::vector<Entity> decode_bio(const std::vector<std::string>& tags);
// Entities -> BIO tags for `n` tokens. Overlapping entities: the earlier-starting one wins
// (ties: the one listed first). An entity outside [0, n) throws mie::Error.
std::vector<std::string> encode_bio(const std::vector<Entity>& entities, int n);

// One parsed tag: prefix 'O', 'B' or 'I' and the type ("" for O). Throws mie::Error on bad syntax.
struct BioTag {
  char prefix = 'O';
  std::string type;
};
BioTag parse_bio_tag(const std::string& tag);

// Splits a CoNLL token line into columns: tab-separated when it contains a tab, else split at
// spaces. Trailing whitespace must already be removed.
std::vector<std::string> split_conll_columns(const std::string& line);

}  // namespace mie::io
