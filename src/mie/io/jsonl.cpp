#include "mie/io/jsonl.h"

#include <cstdint>
#include <fstream>
#include <iostream>

#include "mie/core/files.h"
#include "mie/core/error.h"
#include "mie/io/lines.h"

namespace mie::io {
namespace {

using nlohmann::json;

const json* opt(const json& j, const char* key) {
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? nullptr : &*it;
}

std::string str(const json& j, const char* key, const std::string& def = "") {
  const json* v = opt(j, key);
  if (!v) return def;
  if (!v->is_string()) throw Error(std::string("field '") + key + "' must be a string");
  return v->get<std::string>();
}

double num(const json& j, const char* key, double def) {
  const json* v = opt(j, key);
  if (!v) return def;
  if (!v->is_number()) throw Error(std::string("field '") + key + "' must be a number");
  return v->get<double>();
}

int integer(const json& j, const char* key, int def, bool required = false) {
  const json* v = opt(j, key);
  if (!v) {
    if (required) throw Error(std::string("missing field '") + key + "'");
    return def;
  }
  if (!v->is_number_integer()) throw Error(std::string("field '") + key + "' must be an integer");
  const int64_t x = v->get<int64_t>();
  if (x < INT32_MIN || x > INT32_MAX) throw Error(std::string("field '") + key + "' is out of range");
  return static_cast<int>(x);
}

Box box_from(const json& b) {
  if (!b.is_array() || b.size() != 4) throw Error("a box must be [x1, y1, x2, y2]");
  for (const auto& x : b)
    if (!x.is_number()) throw Error("box coordinates must be numbers");
  return {b[0].get<float>(), b[1].get<float>(), b[2].get<float>(), b[3].get<float>()};
}

}  // namespace

json post_to_json(const Post& p) {
  json j;
  j["id"] = p.id;
  j["tokens"] = p.tokens;
  if (!p.text.empty()) j["text"] = p.text;
  j["image"] = p.image ? json{{"path", p.image->path}, {"width", p.image->width}, {"height", p.image->height}} : json(nullptr);
  json ents = json::array();
  for (const Entity& e : p.entities) {
    json je;
    je["start"] = e.start;
    je["end"] = e.end;
    const bool in_range = e.start >= 0 && e.end <= static_cast<int>(p.tokens.size()) && e.start < e.end;
    je["text"] = in_range ? span_text(p, e) : std::string();
    je["type"] = e.type;
    je["fine_type"] = e.fine_type.empty() ? json(nullptr) : json(e.fine_type);
    je["score"] = e.score;
    je["groundable"] = e.groundable;
    if (e.groundable_score >= 0) je["groundable_score"] = e.groundable_score;
    json boxes = json::array();
    for (const Box& b : e.boxes) boxes.push_back({b.x1, b.y1, b.x2, b.y2});
    je["boxes"] = boxes;
    if (e.region >= 0) je["region"] = e.region;
    ents.push_back(std::move(je));
  }
  j["entities"] = std::move(ents);
  json rels = json::array();
  for (const Relation& r : p.relations)
    rels.push_back({{"head", r.head}, {"tail", r.tail}, {"label", r.label}, {"score", r.score}});
  j["relations"] = std::move(rels);
  if (!p.caption.empty()) j["caption"] = p.caption;
  if (!p.knowledge.empty()) j["knowledge"] = p.knowledge;
  return j;
}

Post post_from_json(const json& j) {
  if (!j.is_object()) throw Error("a post must be a JSON object");
  Post p;
  const json* id = opt(j, "id");
  if (!id) throw Error("missing field 'id'");
  if (id->is_string()) p.id = id->get<std::string>();
  else if (id->is_number_integer()) p.id = id->dump();
  else throw Error("field 'id' must be a string or an integer");
  if (const json* t = opt(j, "tokens")) {
    if (!t->is_array()) throw Error("field 'tokens' must be a list of strings");
    for (const auto& x : *t) {
      if (!x.is_string()) throw Error("field 'tokens' must be a list of strings");
      std::string tok = x.get<std::string>();
      // An empty token is kept, as the CoNLL reader keeps "<TAB>O" (token/tag alignment).
      if (tok.find_first_of("\t\n\r") != std::string::npos)
        throw Error("tokens[" + std::to_string(p.tokens.size()) +
                    "] contains a tab or line break (a token cannot be written to CoNLL)");
      p.tokens.push_back(std::move(tok));
    }
  }
  p.text = str(j, "text");
  if (const json* im = opt(j, "image")) {
    if (!im->is_object()) throw Error("field 'image' must be an object or null");
    p.image = ImageRef{str(*im, "path"), integer(*im, "width", 0), integer(*im, "height", 0)};
  }
  if (const json* es = opt(j, "entities")) {
    if (!es->is_array()) throw Error("field 'entities' must be a list");
    for (const auto& je : *es) {
      if (!je.is_object()) throw Error("each entity must be an object");
      Entity e;
      e.start = integer(je, "start", 0, true);
      e.end = integer(je, "end", 0, true);
      if (e.start < 0 || e.end <= e.start || (!p.tokens.empty() && e.end > static_cast<int>(p.tokens.size())))
        throw Error("entity span [" + std::to_string(e.start) + ", " + std::to_string(e.end) + ") is invalid for " +
                    std::to_string(p.tokens.size()) + " tokens");
      e.type = str(je, "type");
      e.fine_type = str(je, "fine_type");
      e.score = static_cast<float>(num(je, "score", 1.0));
      if (const json* bs = opt(je, "boxes")) {
        if (!bs->is_array()) throw Error("field 'boxes' must be a list");
        for (const auto& b : *bs) e.boxes.push_back(box_from(b));
      }
      if (const json* g = opt(je, "groundable")) {
        if (!g->is_boolean()) throw Error("field 'groundable' must be a boolean");
        e.groundable = g->get<bool>();
      } else {
        e.groundable = !e.boxes.empty();
      }
      e.region = integer(je, "region", -1);
      e.groundable_score = static_cast<float>(num(je, "groundable_score", -1.0));
      if (opt(je, "groundable_score") && !(e.groundable_score >= 0 && e.groundable_score <= 1))
        throw Error("field 'groundable_score' must be in [0, 1]");
      p.entities.push_back(std::move(e));
    }
  }
  if (const json* rs = opt(j, "relations")) {
    if (!rs->is_array()) throw Error("field 'relations' must be a list");
    for (const auto& jr : *rs) {
      if (!jr.is_object()) throw Error("each relation must be an object");
      Relation r;
      r.head = integer(jr, "head", 0, true);
      r.tail = integer(jr, "tail", 0, true);
      const int n = static_cast<int>(p.entities.size());
      if (r.head < 0 || r.head >= n || r.tail < 0 || r.tail >= n)
        throw Error("relation refers to entity " + std::to_string(r.head < 0 || r.head >= n ? r.head : r.tail) +
                    " but the post has " + std::to_string(n));
      r.label = str(jr, "label");
      r.score = static_cast<float>(num(jr, "score", 1.0));
      p.relations.push_back(std::move(r));
    }
  }
  p.caption = str(j, "caption");
  p.knowledge = str(j, "knowledge");
  return p;
}

std::vector<Post> read_jsonl(std::istream& in, const std::string& name) {
  LineReader r(in, name);
  std::vector<Post> out;
  std::string line;
  while (r.next(line)) {
    if (strip(line).empty()) continue;
    json j;
    try {
      j = json::parse(line);
    } catch (const json::parse_error& e) {
      throw ParseError(name, r.line_no(), std::string("invalid JSON: ") + e.what());
    }
    try {
      out.push_back(post_from_json(j));
    } catch (const Error& e) {
      throw ParseError(name, r.line_no(), e.what());
    } catch (const json::exception& e) {
      throw ParseError(name, r.line_no(), e.what());
    }
  }
  return out;
}

std::vector<Post> read_jsonl(const std::string& path) {
  if (path == "-") return read_jsonl(std::cin, "<stdin>");
  std::ifstream in = mie::open_file(path, "JSONL file");
  return read_jsonl(in, path);
}

void write_jsonl_line(std::ostream& out, const Post& p) {
  out << post_to_json(p).dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
}

}  // namespace mie::io
