#include "mie/io/mnre.h"

#include <fstream>
#include <iostream>

#include "mie/core/files.h"
#include "mie/core/error.h"
#include "mie/core/paths.h"
#include "mie/io/lines.h"
#include "mie/io/pyliteral.h"

namespace mie::io {
namespace {

std::string get_string(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) throw Error(std::string("missing field '") + key + "'");
  if (!it->is_string()) throw Error(std::string("field '") + key + "' must be a string");
  return it->get<std::string>();
}

std::string py_quote(const std::string& s) {
  const char q = s.find('\'') != std::string::npos && s.find('"') == std::string::npos ? '"' : '\'';
  std::string out(1, q);
  for (char c : s) {
    if (c == '\\' || c == q) out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + q;
}

}  // namespace

MreInstance::Arg mnre_arg(const nlohmann::json& j, const char* field, size_t n_tokens) {
  auto it = j.find(field);
  if (it == j.end() || !it->is_object()) throw Error(std::string("missing or non-dict field '") + field + "'");
  MreInstance::Arg a;
  a.name = get_string(*it, "name");
  auto pos = it->find("pos");
  if (pos == it->end() || !pos->is_array() || pos->size() != 2 || !(*pos)[0].is_number_integer() ||
      !(*pos)[1].is_number_integer())
    throw Error(std::string("'") + field + "': 'pos' must be [start, end] integers");
  const int64_t s = (*pos)[0].get<int64_t>(), e = (*pos)[1].get<int64_t>();
  if (s < 0 || e <= s || e > static_cast<int64_t>(n_tokens))
    throw Error(std::string("'") + field + "': pos [" + std::to_string(s) + ", " + std::to_string(e) +
                "] is not a non-empty range within " + std::to_string(n_tokens) + " tokens");
  a.start = static_cast<int>(s);
  a.end = static_cast<int>(e);
  return a;
}

std::vector<MreInstance> read_mnre(std::istream& in, const std::string& name, MreReadStats* stats) {
  LineReader r(in, name);
  std::vector<MreInstance> out;
  MreReadStats st;
  std::string line;
  while (r.next(line)) {
    if (strip(line).empty()) continue;
    try {
      nlohmann::json j = parse_py_literal(line);
      if (!j.is_object()) throw Error("expected a dict");
      MreInstance m;
      auto tok = j.find("token");
      if (tok == j.end() || !tok->is_array()) throw Error("missing list field 'token'");
      for (const auto& t : *tok) {
        if (!t.is_string()) throw Error("'token' must hold strings");
        m.tokens.push_back(t.get<std::string>());
      }
      m.head = mnre_arg(j, "h", m.tokens.size());
      m.tail = mnre_arg(j, "t", m.tokens.size());
      m.img_id = get_string(j, "img_id");
      m.relation = get_string(j, "relation");
      if (m.head.name != join(m.tokens, m.head.start, m.head.end) ||
          m.tail.name != join(m.tokens, m.tail.start, m.tail.end))
        ++st.name_mismatches;
      out.push_back(std::move(m));
    } catch (const ParseError&) {
      throw;
    } catch (const Error& e) {
      throw ParseError(name, r.line_no(), e.what());
    }
  }
  st.instances = static_cast<long>(out.size());
  if (stats) *stats = st;
  return out;
}

std::vector<MreInstance> read_mnre(const std::string& path, MreReadStats* stats) {
  if (path == "-") return read_mnre(std::cin, "<stdin>", stats);
  std::ifstream in = mie::open_file(path, "MNRE file");
  return read_mnre(in, path, stats);
}

std::string mnre_line(const MreInstance& m) {
  std::string s = "{'token': [";
  for (size_t i = 0; i < m.tokens.size(); ++i) s += (i ? ", " : "") + py_quote(m.tokens[i]);
  auto arg = [](const MreInstance::Arg& a) {
    return "{'name': " + py_quote(a.name) + ", 'pos': [" + std::to_string(a.start) + ", " + std::to_string(a.end) + "]}";
  };
  s += "], 'h': " + arg(m.head) + ", 't': " + arg(m.tail) + ", 'img_id': " + py_quote(m.img_id) +
       ", 'relation': " + py_quote(m.relation) + "}";
  return s;
}

std::string mnre_split_path(const std::string& dir, const std::string& split) {
  const std::string cands[] = {dir + "/" + split + ".txt", dir + "/mnre_" + split + ".txt",
                               dir + "/mnre_" + split + " .txt"};
  for (const auto& c : cands)
    if (file_exists(c)) return c;
  throw Error("no MNRE " + split + " file: tried '" + cands[0] + "', '" + cands[1] + "', '" + cands[2] + "'");
}

void write_mnre_prediction(std::ostream& out, long id, const std::string& label, double score) {
  out << nlohmann::json{{"id", id}, {"relation", label}, {"score", score}}.dump() << '\n';
}

Post mnre_to_post(const MreInstance& m) {
  Post p;
  p.id = m.img_id.substr(0, m.img_id.rfind('.'));
  p.tokens = m.tokens;
  p.image = ImageRef{m.img_id, 0, 0};
  Entity h, t;
  h.start = m.head.start, h.end = m.head.end;
  t.start = m.tail.start, t.end = m.tail.end;
  p.entities = {h, t};
  p.relations.push_back({0, 1, m.relation, 1.f});
  return p;
}

}  // namespace mie::io
