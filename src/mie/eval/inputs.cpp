#include "mie/eval/inputs.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "mie/core/files.h"
#include "mie/core/error.h"
#include "mie/core/paths.h"
#include "mie/io/conll.h"
#include "mie/io/fmnerg.h"
#include "mie/io/jmere.h"
#include "mie/io/jsonl.h"
#include "mie/io/lines.h"
#include "mie/io/mnre.h"
#include "mie/io/npz.h"
#include "mie/io/voc.h"

namespace mie::eval {

namespace {

void need_xml_dir(const std::string& task, const std::string& xml_dir) {
  if (xml_dir.empty()) throw Error(task + " needs the gold boxes: give --xml DIR (the VOC xml directory)");
  if (!std::filesystem::is_directory(xml_dir)) throw Error("xml directory " + xml_dir + " does not exist");
}

std::string slurp(const std::string& path) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in = mie::open_file(path, "input file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::vector<Post> load_gold(const std::string& task, const std::string& gold_path, const std::string& xml_dir) {
  if (task == "gmner") {
    need_xml_dir(task, xml_dir);
    auto posts = io::read_conll(gold_path);
    io::attach_voc_boxes(posts, xml_dir);
    return posts;
  }
  if (task == "fmnerg") {
    need_xml_dir(task, xml_dir);
    auto posts = io::read_fmnerg(gold_path);
    io::attach_voc_boxes(posts, xml_dir);
    return posts;
  }
  if (task == "mner") return io::read_conll(gold_path);
  if (task == "jmere") {
    // MNRE lines (Python-literal dicts, {'token': ...}) are read as posts; else JMERE's own JSON.
    const std::string text = slurp(gold_path);
    const size_t first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    const std::string name = gold_path == "-" ? "<stdin>" : gold_path;
    std::istringstream in(text);
    if (first != std::string::npos && text.compare(first, 2, "{'") == 0) return io::mnre_as_posts(io::read_mnre(in, name));
    return io::read_jmere(in, name);
  }
  throw Error("load_gold: unknown task '" + task + "' (gmner, fmnerg, mner, jmere; mre uses io::read_mnre)");
}

std::vector<Post> load_predictions(const std::string& task, const std::string& pred_path) {
  const std::string name = pred_path == "-" ? "<stdin>" : pred_path;
  if (task != "mner") return io::read_jsonl(pred_path);
  const std::string text = slurp(pred_path);
  const size_t first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  std::istringstream in(text);
  if (first != std::string::npos && text[first] == '{') return io::read_jsonl(in, name);
  return io::read_conll(in, name);
}

Candidates load_candidates(const std::vector<Post>& gold, const std::string& dir, int top_k) {
  if (!std::filesystem::is_directory(dir)) throw Error("regions directory " + dir + " does not exist");
  Candidates out;
  out.reserve(gold.size());
  for (const Post& p : gold) {
    const std::string path = dir + "/" + p.id + ".jpg.npz";
    if (!file_exists(path)) throw Error("no candidate regions for post " + p.id + ": " + path + " is missing");
    out[p.id] = io::read_vinvl(path, top_k).boxes;
  }
  return out;
}

std::vector<std::string> read_mre_predictions(const std::string& path, size_t n_gold, const std::string& none_label) {
  std::vector<std::string> out(n_gold, none_label);
  std::vector<long> seen_at(n_gold, 0);
  io::LineReader r(path);
  std::string line;
  while (r.next(line)) {
    if (io::strip(line).empty()) continue;
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& e) {
      throw ParseError(r.name(), r.line_no(), std::string("not a JSON object: ") + e.what());
    }
    if (!j.is_object()) throw ParseError(r.name(), r.line_no(), "expected {\"id\": i, \"relation\": label, \"score\": s}");
    if (!j.contains("id") || !j["id"].is_number_integer())
      throw ParseError(r.name(), r.line_no(), "field 'id' must be an integer (the 0-based gold instance index)");
    if (!j.contains("relation") || !j["relation"].is_string())
      throw ParseError(r.name(), r.line_no(), "field 'relation' must be a string");
    if (j.contains("score") && !j["score"].is_number())
      throw ParseError(r.name(), r.line_no(), "field 'score' must be a number");
    const long id = j["id"].get<long>();
    if (id < 0 || static_cast<size_t>(id) >= n_gold)
      throw ParseError(r.name(), r.line_no(), "prediction id " + std::to_string(id) + " is not in the gold file (" +
                                                  std::to_string(n_gold) + " instances, ids 0.." +
                                                  std::to_string(static_cast<long>(n_gold) - 1) + ")");
    if (seen_at[static_cast<size_t>(id)])
      throw ParseError(r.name(), r.line_no(), "second prediction for id " + std::to_string(id) + " (first on line " +
                                                  std::to_string(seen_at[static_cast<size_t>(id)]) + ")");
    seen_at[static_cast<size_t>(id)] = r.line_no();
    out[static_cast<size_t>(id)] = j["relation"].get<std::string>();
  }
  return out;
}

}  // namespace mie::eval
