// mie/io/mnre.h — MNRE (multimodal relation extraction) instances, one Python-literal dict a line.
//
//   mie::io::MreReadStats st;
//   auto train = mie::io::read_mnre(mie::data_dir() + "/mnre/train.txt", &st);
//   std::string val = mie::io::mnre_split_path(mie::data_dir() + "/mnre", "val");  // handles "mnre_val .txt"
//   mie::io::write_mnre_prediction(std::cout, 0, "/per/per/peer", 0.91);
//   // {"id":0,"relation":"/per/per/peer","score":0.91}
//
// Line format (v1 and v2): {'token': [...], 'h': {'name': str, 'pos': [s, e]}, 't': {...},
// 'img_id': str, 'relation': str}; pos is a half-open token range. Blank lines are skipped.
// Checks (mie::ParseError with file:line): the line parses as a Python literal, the fields exist
// with the right types, 0 <= s < e <= len(token). Quirk: some MNRE v1 names differ from the
// joined tokens of their pos range; `name` is kept as given, pos defines the span, and the
// number of such lines is counted in MreReadStats::name_mismatches.
// Thread safety: free functions.
#pragma once

#include <istream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "mie/core/post.h"

namespace mie::io {

struct MreInstance {
  std::vector<std::string> tokens;
  struct Arg {
    std::string name;
    int start = 0, end = 0;  // half-open token range
    bool operator==(const Arg&) const = default;
  } head, tail;
  std::string img_id;
  std::string relation;
  bool operator==(const MreInstance&) const = default;
};

struct MreReadStats {
  long instances = 0;
  long name_mismatches = 0;  // arg names != tokens[pos] joined by spaces
};

std::vector<MreInstance> read_mnre(const std::string& path, MreReadStats* stats = nullptr);  // "-" = stdin
std::vector<MreInstance> read_mnre(std::istream& in, const std::string& name, MreReadStats* stats = nullptr);
// One instance as an MNRE line (Python literal, as upstream writes it) without the newline.
std::string mnre_line(const MreInstance& m);

// <dir>/<split>.txt, else <dir>/mnre_<split>.txt, else the upstream name "<dir>/mnre_<split> .txt"
// (with a space; v2's val file). Throws mie::Error listing the tried paths when none exists.
std::string mnre_split_path(const std::string& dir, const std::string& split);

// Writes {"id": id, "relation": label, "score": score} and a newline.
void write_mnre_prediction(std::ostream& out, long id, const std::string& label, double score);

// The instance as a Post: entities 0 (head) and 1 (tail) with type "" and relation 0 -> 1.
// Post::id is img_id without its extension. When head and tail share a span they stay separate.
Post mnre_to_post(const MreInstance& m);

// Shared by the Python-literal readers (MNRE, MORE): reads {'name': str, 'pos': [s, e]} and
// checks the range against n tokens. Throws mie::Error (caller adds file:line).
MreInstance::Arg mnre_arg(const nlohmann::json& j, const char* field, size_t n_tokens);

}  // namespace mie::io
