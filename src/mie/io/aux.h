// mie/io/aux.h — auxiliary text inputs keyed by image: captions and LLM-written knowledge.
//
//   auto caps = mie::io::read_aux_jsonl(mie::data_dir() + "/aux/captions-blip2.jsonl", "caption");
//   auto know = mie::io::read_aux_jsonl(mie::data_dir() + "/aux/gmner-llm-knowledge.jsonl", "knowledge");
//   mie::io::AuxAttachStats st = mie::io::attach_aux(posts, caps, know);   // fills Post::caption/knowledge
//
// Each line is a JSON object {"image": "<id>.jpg", "<field>": str, ...}; the key is the image name
// without its extension ("575705"). A repeated image with the same text is fine; with different
// text it throws mie::ParseError(file, line). Invalid JSON, a missing/non-string "image" or
// field throws ParseError(file, line). Blank lines are skipped.
// Thread safety: free functions.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "mie/core/post.h"

namespace mie::io {

using AuxMap = std::map<std::string, std::string>;

AuxMap read_aux_jsonl(const std::string& path, const std::string& field);
inline AuxMap read_captions(const std::string& path) { return read_aux_jsonl(path, "caption"); }
inline AuxMap read_knowledge(const std::string& path) { return read_aux_jsonl(path, "knowledge"); }

// "575705.jpg" -> "575705"; "a/b/575705.jpg" -> "575705"; names without a dot are unchanged.
std::string image_key(const std::string& image);

struct AuxAttachStats {
  long captions = 0, knowledge = 0;     // posts that received one
  long missing_caption = 0, missing_knowledge = 0;  // posts with no entry (only counted for non-empty maps)
};

// Sets Post::caption / Post::knowledge by Post::id (or the image path's key when the post has an
// image). An empty map leaves that field untouched.
AuxAttachStats attach_aux(std::vector<Post>& posts, const AuxMap& captions, const AuxMap& knowledge);

}  // namespace mie::io
