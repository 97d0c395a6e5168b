#include "mie/io/more.h"

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "mie/core/files.h"
#include "mie/core/error.h"
#include "mie/io/lines.h"
#include "mie/io/pyliteral.h"

namespace mie::io {
namespace {

std::array<float, 4> norm_box(const nlohmann::json& b) {
  if (!b.is_array() || b.size() != 4) throw Error("object box must be [cx, cy, w, h]");
  std::array<float, 4> v{};
  for (int i = 0; i < 4; ++i) {
    if (!b[i].is_number()) throw Error("object box values must be numbers");
    v[i] = b[i].get<float>();
    if (!(v[i] >= -1e-4f && v[i] <= 1.0001f)) throw Error("object box " + b.dump() + " is not normalised to [0, 1]");
  }
  return v;
}

std::string str_field(const nlohmann::json& j, const char* k) {
  if (!j.contains(k) || !j[k].is_string()) throw Error(std::string("missing string field '") + k + "'");
  return j[k].get<std::string>();
}

}  // namespace

Box MoreObject::to_pixels(int width, int height) const {
  if (!has_box) throw Error("MORE object '" + name + "' has no box");
  return {(cx - w / 2) * width, (cy - h / 2) * height, (cx + w / 2) * width, (cy + h / 2) * height};
}

std::vector<MoreInstance> read_more(std::istream& in, const std::string& name) {
  LineReader r(in, name);
  std::vector<MoreInstance> out;
  std::string line;
  while (r.next(line)) {
    if (strip(line).empty()) continue;
    try {
      nlohmann::json j = parse_py_literal(line);
      if (!j.is_object()) throw Error("expected a dict");
      MoreInstance m;
      if (!j.contains("token") || !j["token"].is_array()) throw Error("missing list field 'token'");
      for (const auto& t : j["token"]) {
        if (!t.is_string()) throw Error("'token' must hold strings");
        m.tokens.push_back(t.get<std::string>());
      }
      m.entity = mnre_arg(j, "h", m.tokens.size());
      if (!j.contains("t") || !j["t"].is_object()) throw Error("missing dict field 't' (the object)");
      const auto& t = j["t"];
      m.object.name = str_field(t, "name");
      if (t.contains("box") && !t["box"].is_null()) {
        auto b = norm_box(t["box"]);
        m.object.has_box = true;
        m.object.cx = b[0], m.object.cy = b[1], m.object.w = b[2], m.object.h = b[3];
      }
      m.img_id = str_field(j, "img_id");
      m.relation = str_field(j, "relation");
      out.push_back(std::move(m));
    } catch (const Error& e) {
      throw ParseError(name, r.line_no(), e.what());
    }
  }
  return out;
}

std::vector<MoreInstance> read_more(const std::string& path) {
  if (path == "-") return read_more(std::cin, "<stdin>");
  std::ifstream in = mie::open_file(path, "MORE file");
  return read_more(in, path);
}

MoreObjectBoxes read_more_objects(const std::string& json_path) {
  std::ifstream in = mie::open_file(json_path, "MORE file");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw ParseError(json_path, 0, std::string("invalid JSON: ") + e.what());
  }
  if (!j.is_object()) throw ParseError(json_path, 0, "expected {img_id: {object name: [cx, cy, w, h]}}");
  MoreObjectBoxes out;
  for (const auto& [img, objs] : j.items()) {
    if (!objs.is_object()) throw ParseError(json_path, 0, "image '" + img + "': expected {object name: box}");
    for (const auto& [obj, box] : objs.items()) {
      try {
        out[img][obj] = norm_box(box);
      } catch (const Error& e) {
        throw ParseError(json_path, 0, "image '" + img + "', object '" + obj + "': " + e.what());
      }
    }
  }
  return out;
}

long attach_more_boxes(std::vector<MoreInstance>& data, const MoreObjectBoxes& boxes) {
  long missing = 0;
  for (MoreInstance& m : data) {
    if (m.object.has_box) continue;
    auto im = boxes.find(m.img_id);
    if (im == boxes.end()) {
      ++missing;
      continue;
    }
    auto ob = im->second.find(m.object.name);
    if (ob == im->second.end()) {
      ++missing;
      continue;
    }
    m.object.has_box = true;
    m.object.cx = ob->second[0], m.object.cy = ob->second[1], m.object.w = ob->second[2], m.object.h = ob->second[3];
  }
  return missing;
}

}  // namespace mie::io
