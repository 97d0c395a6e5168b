// mie/io/jsonl.h — mie's own prediction format, one post per JSON line.
//
//   {"id": "<IMGID>", "tokens": [...], "image": {"path":..., "width":W, "height":H} | null,
//    "entities": [{"start": i, "end": j, "text": "...", "type": "PER", "fine_type": "athlete"|null,
//                  "score": 0.93, "groundable": true, "groundable_score": 0.81 (when grounded),
//                  "boxes": [[x1,y1,x2,y2], ...],
//                  "region": 3 (optional, candidate mode)}],
//    "relations": [{"head": k, "tail": l, "label": "/per/org/member_of", "score": 0.8}]}
//
//   for (auto& p : mie::io::read_jsonl("pred.jsonl")) ...
//   mie::io::write_jsonl_line(std::cout, post);
//
// Field names are a public contract: extend, never rename. Input posts may instead carry
// "text" (whitespace-tokenised later by the caller; Post::tokens stays empty and Post::text keeps
// it), "caption" and "knowledge". Only "id" is required; everything else defaults (no image,
// no entities, type "", fine_type "", score 1, groundable = !boxes.empty(), region -1).
// Entity spans must lie within the tokens when tokens are given. "text" is written only when it
// is non-empty, "caption"/"knowledge" likewise. Blank lines are skipped.
// Errors: invalid JSON or wrong field types throw mie::ParseError(file, line, ...).
// Thread safety: free functions.
#pragma once

#include <nlohmann/json.hpp>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "mie/core/post.h"

namespace mie::io {

nlohmann::json post_to_json(const Post& p);
// Throws mie::Error on wrong field types; the JSONL readers add file:line.
Post post_from_json(const nlohmann::json& j);

std::vector<Post> read_jsonl(const std::string& path);  // "-" reads stdin
std::vector<Post> read_jsonl(std::istream& in, const std::string& name);
void write_jsonl_line(std::ostream& out, const Post& p);

}  // namespace mie::io
