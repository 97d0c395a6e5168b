#include "mie/io/jmere.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "mie/core/files.h"
#include "mie/core/error.h"
#include "mie/io/lines.h"

namespace mie::io {
namespace {

using nlohmann::json;

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool is_none(const std::string& r) { return r.empty() || r == "none" || r == "None" || r == "NA"; }

int add_entity(Post& p, int start, int end, const std::string& type) {
  for (size_t i = 0; i < p.entities.size(); ++i) {
    const Entity& e = p.entities[i];
    if (e.start == start && e.end == end && e.type == type) return static_cast<int>(i);
  }
  Entity e;
  e.start = start, e.end = end, e.type = type;
  p.entities.push_back(std::move(e));
  return static_cast<int>(p.entities.size()) - 1;
}

int entity_from(const json& t, const char* field, Post& p) {
  MreInstance::Arg a = mnre_arg(t, field, p.tokens.size());
  const json& e = t.at(field);
  if (!e.contains("tags") || !e["tags"].is_string() || e["tags"].get<std::string>().empty())
    throw Error(std::string("'") + field + "' lacks a string 'tags' (entity type)");
  return add_entity(p, a.start, a.end, upper(e["tags"].get<std::string>()));
}

}  // namespace

Post jmere_post_from_json(const json& j) {
  if (!j.is_object()) throw Error("a JMERE sentence must be an object");
  Post p;
  if (!j.contains("token") || !j["token"].is_array()) throw Error("missing list field 'token'");
  for (const auto& t : j["token"]) {
    if (!t.is_string()) throw Error("'token' must hold strings");
    p.tokens.push_back(t.get<std::string>());
  }
  if (!j.contains("img_id") || !j["img_id"].is_string()) throw Error("missing string field 'img_id'");
  const std::string img = j["img_id"].get<std::string>();
  p.id = img.substr(0, img.rfind('.'));
  p.image = ImageRef{img, 0, 0};
  if (j.contains("image_caption")) {
    const json& c = j["image_caption"];
    if (c.is_string()) p.caption = c.get<std::string>();
    else if (c.is_array() && !c.empty() && c[0].is_string()) p.caption = c[0].get<std::string>();
  }
  if (j.contains("knowledge") && j["knowledge"].is_string()) p.knowledge = j["knowledge"].get<std::string>();
  if (!j.contains("label_list") || !j["label_list"].is_array()) throw Error("missing list field 'label_list'");
  for (const auto& item : j["label_list"]) {
    const json& t = item.is_array() && item.size() == 1 ? item[0] : item;
    if (!t.is_object()) throw Error("label_list items must be [ {beg_ent, sec_ent, relation} ]");
    const int h = entity_from(t, "beg_ent", p), tl = entity_from(t, "sec_ent", p);
    if (!t.contains("relation") || !t["relation"].is_string()) throw Error("triple lacks a string 'relation'");
    const std::string rel = t["relation"].get<std::string>();
    if (!is_none(rel)) p.relations.push_back({h, tl, rel, 1.f});
  }
  return p;
}

std::vector<Post> read_jmere(std::istream& in, const std::string& name) {
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  const size_t first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  std::vector<Post> out;
  if (first != std::string::npos && text[first] == '[') {
    if (size_t bad = find_invalid_utf8(text); bad != std::string::npos)
      throw ParseError(name, 1 + std::count(text.begin(), text.begin() + bad, '\n'), "invalid UTF-8");
    json arr;
    try {
      arr = json::parse(text.begin() + first, text.end());
    } catch (const json::parse_error& e) {
      throw ParseError(name, 0, std::string("invalid JSON: ") + e.what());
    }
    for (size_t k = 0; k < arr.size(); ++k) {
      try {
        out.push_back(jmere_post_from_json(arr[k]));
      } catch (const Error& e) {
        throw ParseError(name, 0, "sentence #" + std::to_string(k) + ": " + e.what());
      }
    }
    return out;
  }
  std::istringstream lines(text);
  LineReader r(lines, name);
  std::string line;
  while (r.next(line)) {
    if (strip(line).empty()) continue;
    try {
      out.push_back(jmere_post_from_json(json::parse(line)));
    } catch (const json::parse_error& e) {
      throw ParseError(name, r.line_no(), std::string("invalid JSON: ") + e.what());
    } catch (const Error& e) {
      throw ParseError(name, r.line_no(), e.what());
    }
  }
  return out;
}

std::vector<Post> read_jmere(const std::string& path) {
  if (path == "-") return read_jmere(std::cin, "<stdin>");
  std::ifstream in = mie::open_file(path, "JMERE file");
  return read_jmere(in, path);
}

std::vector<Post> jmere_from_mnre(const std::vector<MreInstance>& lines) {
  std::vector<Post> out;
  const MreInstance* prev = nullptr;
  for (const MreInstance& m : lines) {
    std::vector<std::string> parts;
    std::stringstream rs(m.relation);
    for (std::string s; std::getline(rs, s, '/');) parts.push_back(s);
    // "/per/per/parent" -> {"", "per", "per", "parent"}
    const bool typed = parts.size() == 4 && !parts[1].empty() && !parts[2].empty() && !parts[3].empty();
    const bool same = prev && prev->tokens == m.tokens;
    if (!same) {
      Post p;
      p.tokens = m.tokens;
      p.id = m.img_id.substr(0, m.img_id.rfind('.'));
      p.image = ImageRef{m.img_id, 0, 0};
      out.push_back(std::move(p));
    }
    prev = &m;
    if (!typed) continue;
    Post& p = out.back();
    const int h = add_entity(p, m.head.start, m.head.end, upper(parts[1]));
    const int t = add_entity(p, m.tail.start, m.tail.end, upper(parts[2]));
    p.relations.push_back({h, t, parts[3], 1.f});
  }
  return out;
}

std::vector<Post> mnre_as_posts(const std::vector<MreInstance>& lines) {
  std::vector<Post> out;
  std::map<std::vector<std::string>, size_t> index;
  std::map<std::string, int> ids;
  for (const MreInstance& m : lines) {
    auto [it, fresh] = index.emplace(m.tokens, out.size());
    if (fresh) {
      Post p;
      p.tokens = m.tokens;
      p.id = m.img_id.substr(0, m.img_id.rfind('.'));
      if (const int n = ++ids[p.id]; n > 1) p.id += "#" + std::to_string(n);
      p.image = ImageRef{m.img_id, 0, 0};
      out.push_back(std::move(p));
    }
    std::vector<std::string> parts;
    std::stringstream rs(m.relation);
    for (std::string s; std::getline(rs, s, '/');) parts.push_back(s);
    if (parts.size() != 4 || parts[1].empty() || parts[2].empty() || parts[3].empty()) continue;  // None
    Post& p = out[it->second];
    const int h = add_entity(p, m.head.start, m.head.end, upper(parts[1]));
    const int t = add_entity(p, m.tail.start, m.tail.end, upper(parts[2]));
    const Relation r{h, t, m.relation, 1.f};
    if (std::find(p.relations.begin(), p.relations.end(), r) == p.relations.end()) p.relations.push_back(r);
  }
  return out;
}

}  // namespace mie::io
