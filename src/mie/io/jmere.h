// mie/io/jmere.h — JMERE (joint multimodal entity-relation extraction; Yuan et al., AAAI 2023,
// github.com/YuanLi95/EEGA-for-JMERE) read into Posts with typed entities and relations.
//
//   std::vector<mie::Post> posts = mie::io::read_jmere("jmere/train.json");
//   posts[0].entities[posts[0].relations[0].head].type;   // "PER"
//   posts[0].relations[0].label;                           // "parent"
//
// No JMERE data is available here; the format follows the authors' loader (EEGA-for-JMERE
// submit_code/utils/data.py, and data/data_process.py which builds it):
//   [ {"token": [str, ...], "img_id": "xxx.jpg",
//      "label_list": [ [ {"beg_ent": {"name": str, "pos": [s, e], "tags": "per"},
//                         "sec_ent": {"name": str, "pos": [s, e], "tags": "loc"},
//                         "relation": "place_of_residence"} ], ... ]}, ... ]
// i.e. one JSON array (json.dump) of sentences; each label_list item is a one-element list
// holding a triple. pos is half-open. The file may instead be JSON lines, one sentence per
// line (the jsonlines variant used by later JMERE code, which adds "image_caption" (str or list
// of str; the first is kept) and "knowledge" (str)); both are detected automatically.
// Mapping: Post::id = img_id without extension, Post::image = {img_id, 0, 0}; each distinct
// (span, type) becomes one Entity with type upper-cased ("per" -> "PER", "misc" -> "MISC");
// each triple becomes Relation{head, tail, relation} with the label as given. A triple whose
// relation is "none"/"None" adds its entities but no relation. Errors throw mie::ParseError with
// file:line for JSON lines, and file plus "sentence #k" for the array form.
//
// JMERE's raw release is MNRE-style lines whose relation is "/<head-type>/<tail-type>/<rel>";
// jmere_from_mnre() groups consecutive lines with identical tokens into one Post as
// data_process.py does; lines whose relation has no types (e.g. "None") add no entity or
// relation (upstream drops a sentence that has only such lines; here it is kept, empty).
// Thread safety: free functions.
#pragma once

#include <istream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mie/core/post.h"
#include "mie/io/mnre.h"

namespace mie::io {

std::vector<Post> read_jmere(const std::string& path);  // "-" = stdin
std::vector<Post> read_jmere(std::istream& in, const std::string& name);
Post jmere_post_from_json(const nlohmann::json& j);    // throws mie::Error
std::vector<Post> jmere_from_mnre(const std::vector<MreInstance>& lines);

// MNRE read as posts (mie's relation dev metric, docs/metrics.md "jmere"): one Post per distinct
// token sequence, in first-seen order, whatever lines lie between its pairs. Gold entities are the
// arguments of its pairs labelled other than None, typed by the label's signature ("/per/org/..."
// -> PER, ORG; misc -> MISC); each such pair is a Relation with the full MNRE label. Post::id is
// the first line's img_id without extension, "#2", "#3", ... appended when an id repeats;
// Post::image = {img_id}.
std::vector<Post> mnre_as_posts(const std::vector<MreInstance>& lines);

}  // namespace mie::io
