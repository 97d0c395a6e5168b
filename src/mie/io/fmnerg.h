// mie/io/fmnerg.h — FMNERG fine-grained files (token, coarse BIO tag, fine BIO tag) and the
// 8-coarse / 51-fine type hierarchy.
//
//   mie::io::TypeTree tree = mie::io::load_type_tree(mie::data_dir() + "/fmnerg/coarse_fine_tree.json");
//   auto posts = mie::io::read_fmnerg(mie::data_dir() + "/fmnerg/dev.txt", &tree);
//   posts[0].entities[0].type;       // "person"     (coarse)
//   posts[0].entities[0].fine_type;  // "politician" (fine)
//   mie::io::fmnerg_to_gmner_type("building");   // "LOC"
//   mie::io::write_fmnerg(std::cout, posts);
//
// File format: like GMNER (IMGID lines, blank line between posts; CRLF, trailing whitespace and
// a missing final blank line are accepted) but with three tab-separated columns. Both tag columns
// are decoded with conlleval's BIO rules (see conll.h); the coarse and fine spans must be
// identical, else mie::ParseError(file, line of the first disagreeing token). With a TypeTree,
// every fine type must belong to its coarse type (file:line error otherwise); "common_person"
// (used by upstream code) is read as "person_other". Without a tree no type check is done.
// Thread safety: free functions; TypeTree is a plain value.
#pragma once

#include <istream>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "mie/core/post.h"

namespace mie::io {

struct TypeTree {
  std::vector<std::string> coarse;                                  // in file order (8)
  std::map<std::string, std::vector<std::string>> coarse_to_fine;  // coarse -> fines in file order
  std::map<std::string, std::string> fine_to_coarse;               // 51 fines (+ aliases)
  // Coarse type of `fine` (aliases resolved), "" when unknown.
  std::string coarse_of(const std::string& fine) const;
  size_t num_fine() const;  // distinct fine types, aliases not counted
};

// Reads {"coarse_fine_tree": {coarse: [fine, ...]}} (or the bare mapping). Throws ParseError.
TypeTree load_type_tree(const std::string& path);
TypeTree type_tree_from_json(const nlohmann::json& j);  // throws mie::Error

// "common_person" -> "person_other"; other names unchanged.
std::string normalize_fine_type(const std::string& fine);

std::vector<Post> read_fmnerg(const std::string& path, const TypeTree* tree = nullptr);  // "-" = stdin
std::vector<Post> read_fmnerg(std::istream& in, const std::string& name, const TypeTree* tree = nullptr);
// The posts of an FMNERG file as a fine-type tagger sees them: each entity's type is its
// (normalised) fine type, fine_type kept. Checked against `tree` like read_fmnerg.
std::vector<Post> read_fmnerg_fine_typed(const std::string& path, const TypeTree& tree);
// IMGID line, token<TAB>coarse-tag<TAB>fine-tag, blank line. An entity without fine_type throws
// mie::Error (the fine column cannot be written); overlaps resolve as in encode_bio.
void write_fmnerg(std::ostream& out, const std::vector<Post>& posts);

// FMNERG coarse -> GMNER coarse. The mapping is fixed and was checked on the data: GMNER and
// FMNERG share ids, tokens and spans (all 2,450 dev and 11,779 train spans coincide), and every
// span's GMNER type equals the mapped FMNERG type (100% agreement on both splits):
//   person -> PER, location -> LOC, building -> LOC, organization -> ORG,
//   art, event, product, other -> OTHER.
// (dev: building->LOC 62/62, art 103, event 126, product 82, other 65 all OTHER.)
// Unknown types throw mie::Error.
std::string fmnerg_to_gmner_type(const std::string& coarse);
// The GMNER BIO label of an FMNERG fine BIO label: "B-athlete" -> "B-PER" (the fine type's coarse
// type in `tree`, then fmnerg_to_gmner_type); "O" stays "O". Throws mie::Error naming the label when
// it is not "O" or B-/I- plus a fine type of `tree`.
std::string fine_label_to_gmner(const TypeTree& tree, const std::string& label);
// Copies `posts` with Entity::type mapped by fmnerg_to_gmner_type (fine_type kept).
std::vector<Post> fmnerg_to_gmner(std::vector<Post> posts);

}  // namespace mie::io
