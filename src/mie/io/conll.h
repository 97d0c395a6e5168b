// mie/io/conll.h — Twitter-GMNER, Twitter-2015 and Twitter-2017 CoNLL files.
//
//   std::vector<mie::Post> posts = mie::io::read_conll("../shared/data/gmner/dev.txt");
//   mie::io::write_conll(std::cout, posts);            // IMGID: line, token<TAB>tag, blank line
//
// Format: "IMGID:<id>" line, then one "token<TAB>BIO-tag" line per token, then a blank line.
// Types PER/LOC/ORG/OTHER; MISC is read as OTHER. I- without a preceding B- of the same type
// starts a new entity (conlleval's rule). Malformed lines throw mie::ParseError(file, line).
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
};

std::vector<Post> read_conll(const std::string& path, const ConllOptions& opt = {});
std::vector<Post> read_conll(std::istream& in, const std::string& name, const ConllOptions& opt = {});
void write_conll(std::ostream& out, const std::vector<Post>& posts);

// BIO tags -> entities with half-open spans (conlleval rules). Unknown tag syntax throws
// mie::Error naming the offending tag; the caller adds file:line context.
std::vector<Entity> decode_bio(const std::vector<std::string>& tags);
// Entities -> BIO tags for `n` tokens. Overlapping entities: the earlier-starting one wins.
std::vector<std::string> encode_bio(const std::vector<Entity>& entities, int n);

}  // namespace mie::io
