#include "mie/io/fmnerg.h"

#include <fstream>
#include <iostream>
#include <set>

#include "mie/core/files.h"
#include "mie/core/error.h"
#include "mie/io/conll.h"
#include "mie/io/lines.h"

namespace mie::io {

std::string normalize_fine_type(const std::string& fine) { return fine == "common_person" ? "person_other" : fine; }

std::vector<Post> read_fmnerg_fine_typed(const std::string& path, const TypeTree& tree) {
  auto posts = read_fmnerg(path, &tree);
  for (auto& p : posts)
    for (auto& e : p.entities) e.type = normalize_fine_type(e.fine_type);
  return posts;
}

std::string TypeTree::coarse_of(const std::string& fine) const {
  auto it = fine_to_coarse.find(normalize_fine_type(fine));
  return it == fine_to_coarse.end() ? std::string() : it->second;
}

size_t TypeTree::num_fine() const {
  size_t n = 0;
  for (const auto& [c, f] : coarse_to_fine) n += f.size();
  return n;
}

TypeTree type_tree_from_json(const nlohmann::json& j) {
  const nlohmann::json& m = j.contains("coarse_fine_tree") ? j.at("coarse_fine_tree") : j;
  if (!m.is_object() || m.empty()) throw Error("type tree must be an object {coarse: [fine, ...]}");
  TypeTree t;
  for (const auto& [coarse, fines] : m.items()) {
    if (!fines.is_array()) throw Error("type tree: '" + coarse + "' must map to a list of fine types");
    t.coarse.push_back(coarse);
    for (const auto& f : fines) {
      if (!f.is_string()) throw Error("type tree: fine types of '" + coarse + "' must be strings");
      const std::string fine = f.get<std::string>();
      if (!t.fine_to_coarse.emplace(fine, coarse).second) throw Error("type tree: fine type '" + fine + "' listed twice");
      t.coarse_to_fine[coarse].push_back(fine);
    }
  }
  return t;
}

TypeTree load_type_tree(const std::string& path) {
  std::ifstream in = mie::open_file(path, "FMNERG file");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw ParseError(path, 0, std::string("invalid JSON: ") + e.what());
  }
  try {
    return type_tree_from_json(j);
  } catch (const Error& e) {
    throw ParseError(path, 0, e.what());
  }
}

namespace {

struct Pending {
  Post post;
  std::vector<std::string> coarse, fine;
  std::vector<long> lines;
  bool active = false;
};

// Per token: 0 outside, 1 starts an entity, 2 continues one.
std::vector<int> shape(const std::vector<Entity>& ents, size_t n) {
  std::vector<int> s(n, 0);
  for (const Entity& e : ents)
    for (int i = e.start; i < e.end; ++i) s[i] = i == e.start ? 1 : 2;
  return s;
}

void finish(Pending& p, const std::string& name, const TypeTree* tree, std::vector<Post>& out) {
  if (!p.active) return;
  std::vector<Entity> c = decode_bio(p.coarse), f = decode_bio(p.fine);
  std::vector<int> sc = shape(c, p.coarse.size()), sf = shape(f, p.fine.size());
  for (size_t i = 0; i < sc.size(); ++i)
    if (sc[i] != sf[i])
      throw ParseError(name, p.lines[i], "coarse tag '" + p.coarse[i] + "' and fine tag '" + p.fine[i] +
                                             "' disagree on the entity span");
  for (size_t k = 0; k < c.size(); ++k) {
    c[k].fine_type = normalize_fine_type(f[k].type);
    if (tree) {
      const long line = p.lines[c[k].start];
      if (!tree->coarse_to_fine.count(c[k].type))
        throw ParseError(name, line, "unknown coarse type '" + c[k].type + "'");
      const std::string parent = tree->coarse_of(c[k].fine_type);
      if (parent.empty()) throw ParseError(name, line, "unknown fine type '" + f[k].type + "'");
      if (parent != c[k].type)
        throw ParseError(name, line, "fine type '" + f[k].type + "' belongs to '" + parent + "', not '" + c[k].type + "'");
    }
  }
  p.post.entities = std::move(c);
  out.push_back(std::move(p.post));
  p = Pending{};
}

}  // namespace

std::vector<Post> read_fmnerg(std::istream& in, const std::string& name, const TypeTree* tree) {
  LineReader r(in, name);
  std::vector<Post> out;
  Pending cur;
  std::string raw;
  while (r.next(raw)) {
    const std::string line(rstrip(raw));
    if (strip(line).empty()) {
      finish(cur, name, tree, out);
      continue;
    }
    if (line.rfind("IMGID:", 0) == 0) {
      finish(cur, name, tree, out);
      cur.active = true;
      cur.post.id = std::string(strip(std::string_view(line).substr(6)));
      if (cur.post.id.empty()) throw ParseError(name, r.line_no(), "empty IMGID");
      continue;
    }
    std::vector<std::string> cols = split_conll_columns(line);
    if (cols.size() != 3)
      throw ParseError(name, r.line_no(),
                       "expected token<TAB>coarse-tag<TAB>fine-tag, got " + std::to_string(cols.size()) + " column(s)");
    try {
      BioTag c = parse_bio_tag(cols[1]), f = parse_bio_tag(cols[2]);
      (void)c, (void)f;
    } catch (const Error& e) {
      throw ParseError(name, r.line_no(), e.what());
    }
    cur.active = true;
    cur.post.tokens.push_back(std::move(cols[0]));
    cur.coarse.push_back(std::move(cols[1]));
    cur.fine.push_back(std::move(cols[2]));
    cur.lines.push_back(r.line_no());
  }
  finish(cur, name, tree, out);
  return out;
}

std::vector<Post> read_fmnerg(const std::string& path, const TypeTree* tree) {
  if (path == "-") return read_fmnerg(std::cin, "<stdin>", tree);
  std::ifstream in = mie::open_file(path, "FMNERG file");
  return read_fmnerg(in, path, tree);
}

void write_fmnerg(std::ostream& out, const std::vector<Post>& posts) {
  for (const Post& p : posts) {
    const int n = static_cast<int>(p.tokens.size());
    std::vector<Entity> fine = p.entities;
    for (Entity& e : fine) {
      if (e.fine_type.empty()) throw Error("post " + p.id + ": entity '" + span_text(p, e) + "' has no fine type");
      e.type = e.fine_type;
    }
    std::vector<std::string> tc = encode_bio(p.entities, n), tf = encode_bio(fine, n);
    if (!p.id.empty()) out << "IMGID:" << p.id << '\n';
    for (int i = 0; i < n; ++i) out << p.tokens[i] << '\t' << tc[i] << '\t' << tf[i] << '\n';
    out << '\n';
  }
}

std::string fmnerg_to_gmner_type(const std::string& coarse) {
  static const std::map<std::string, std::string> m = {
      {"person", "PER"},    {"location", "LOC"}, {"building", "LOC"}, {"organization", "ORG"},
      {"art", "OTHER"},     {"event", "OTHER"},  {"product", "OTHER"}, {"other", "OTHER"}};
  auto it = m.find(coarse);
  if (it == m.end()) throw Error("no GMNER type for FMNERG coarse type '" + coarse + "'");
  return it->second;
}

std::string fine_label_to_gmner(const TypeTree& tree, const std::string& label) {
  if (label == "O") return label;
  const bool bio = label.size() > 2 && (label[0] == 'B' || label[0] == 'I') && label[1] == '-';
  const std::string coarse = bio ? tree.coarse_of(label.substr(2)) : "";
  if (coarse.empty()) throw Error("NER label '" + label + "' is not a fine type of the model's type tree");
  return label.substr(0, 2) + fmnerg_to_gmner_type(coarse);
}

std::vector<Post> fmnerg_to_gmner(std::vector<Post> posts) {
  for (Post& p : posts)
    for (Entity& e : p.entities) e.type = fmnerg_to_gmner_type(e.type);
  return posts;
}

}  // namespace mie::io
