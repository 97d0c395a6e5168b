#include "mie/io/aux.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "mie/core/error.h"
#include "mie/io/lines.h"

namespace mie::io {

std::string image_key(const std::string& image) {
  std::string s = image.substr(image.find_last_of("/\\") == std::string::npos ? 0 : image.find_last_of("/\\") + 1);
  const size_t dot = s.rfind('.');
  return dot == std::string::npos || dot == 0 ? s : s.substr(0, dot);
}

AuxMap read_aux_jsonl(const std::string& path, const std::string& field) {
  LineReader r(path);
  AuxMap out;
  std::string line;
  while (r.next(line)) {
    if (strip(line).empty()) continue;
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& e) {
      throw ParseError(r.name(), r.line_no(), std::string("invalid JSON: ") + e.what());
    }
    if (!j.is_object() || !j.contains("image") || !j["image"].is_string())
      throw ParseError(r.name(), r.line_no(), "expected an object with a string \"image\"");
    if (!j.contains(field) || !j[field].is_string())
      throw ParseError(r.name(), r.line_no(), "missing string field \"" + field + "\"");
    const std::string key = image_key(j["image"].get<std::string>());
    std::string val = j[field].get<std::string>();
    auto [it, fresh] = out.emplace(key, val);
    if (!fresh && it->second != val)
      throw ParseError(r.name(), r.line_no(), "image '" + key + "' appears again with a different " + field);
  }
  return out;
}

AuxAttachStats attach_aux(std::vector<Post>& posts, const AuxMap& captions, const AuxMap& knowledge) {
  AuxAttachStats st;
  for (Post& p : posts) {
    const std::string key = p.image && !p.image->path.empty() ? image_key(p.image->path) : p.id;
    if (!captions.empty()) {
      auto it = captions.find(key);
      if (it != captions.end()) p.caption = it->second, ++st.captions;
      else ++st.missing_caption;
    }
    if (!knowledge.empty()) {
      auto it = knowledge.find(key);
      if (it != knowledge.end()) p.knowledge = it->second, ++st.knowledge;
      else ++st.missing_knowledge;
    }
  }
  return st;
}

}  // namespace mie::io
