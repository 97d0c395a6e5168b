// mie/eval/inputs.h — read gold files, predictions and candidate regions for `mie eval`.
//
//   auto gold = mie::eval::load_gold("gmner", "dev.txt", "xml");   // CoNLL + VOC boxes
//   auto pred = mie::eval::load_predictions("gmner", "pred.jsonl"); // mie JSONL
//   auto cands = mie::eval::load_candidates(gold, "vinvl/", 16);    // <id>.jpg.npz, top 16
//   auto labels = mie::eval::read_mre_predictions("pred.jsonl", 1624); // {"id","relation","score"}
//
// Gold formats: gmner = GMNER CoNLL + xml dir; fmnerg = FMNERG 3 columns + xml dir; mner = CoNLL
// (Twitter-2015/2017/GMNER); mre = MNRE lines; jmere = JMERE (io/jmere.h). Predictions: mie
// JSONL; for mner also CoNLL (detected by content: a first non-blank line starting with '{' is
// JSONL). "-" reads stdin. All errors are mie::Error / mie::ParseError naming the file.
// Thread safety: free functions.
#pragma once

#include <string>
#include <vector>

#include "mie/core/post.h"
#include "mie/eval/gmner.h"

namespace mie::eval {

// Throws mie::Error for an unknown task, or when gmner/fmnerg lack an existing xml_dir.
std::vector<Post> load_gold(const std::string& task, const std::string& gold_path, const std::string& xml_dir = "");
std::vector<Post> load_predictions(const std::string& task, const std::string& pred_path);

// Candidates for every gold post from <dir>/<id>.jpg.npz (top_k by score, <= 0 keeps all).
// A missing file throws mie::Error naming it.
Candidates load_candidates(const std::vector<Post>& gold, const std::string& dir, int top_k);

// MRE predictions: one JSON object a line, {"id": i, "relation": label, "score": s} with i the
// 0-based index of the gold instance ("score" optional). Returns one label per gold instance;
// instances without a prediction get `none_label`. Throws mie::ParseError(file, line) for bad
// lines, ids outside [0, n_gold) and repeated ids.
std::vector<std::string> read_mre_predictions(const std::string& path, size_t n_gold,
                                              const std::string& none_label = "None");

}  // namespace mie::eval
