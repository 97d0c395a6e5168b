#include "mie/io/conll.h"

#include <algorithm>
#include <fstream>
#include <iostream>

#include "mie/core/files.h"
#include "mie/core/error.h"
#include "mie/io/lines.h"

namespace mie::io {

BioTag parse_bio_tag(const std::string& tag) {
  if (tag == "O") return {'O', ""};
  if (tag.size() >= 3 && (tag[0] == 'B' || tag[0] == 'I') && tag[1] == '-') {
    std::string type = tag.substr(2);
    bool ok = std::none_of(type.begin(), type.end(), [](char c) {
      return c == ' ' || c == '\t' || static_cast<unsigned char>(c) < 0x20;
    });
    if (ok) return {tag[0], type};
  }
  throw Error("bad BIO tag '" + tag + "' (expected O, B-<type> or I-<type>)");
}

std::vector<Entity> decode_bio(const std::vector<std::string>& tags) {
  std::vector<Entity> out;
  bool open = false;
  for (size_t i = 0; i < tags.size(); ++i) {
    BioTag t = parse_bio_tag(tags[i]);
    if (t.prefix == 'I' && open && out.back().type == t.type) {
      out.back().end = static_cast<int>(i) + 1;
      continue;
    }
    open = false;
    if (t.prefix == 'O') continue;
    Entity e;
    e.start = static_cast<int>(i);
    e.end = static_cast<int>(i) + 1;
    e.type = t.type;
    out.push_back(std::move(e));
    open = true;
  }
  return out;
}

std::vector<std::string> encode_bio(const std::vector<Entity>& entities, int n) {
  std::vector<std::string> tags(std::max(n, 0), "O");
  std::vector<size_t> order(entities.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return entities[a].start < entities[b].start; });
  std::vector<bool> used(tags.size(), false);
  for (size_t k : order) {
    const Entity& e = entities[k];
    if (e.start < 0 || e.end > n || e.start >= e.end)
      throw Error("entity span [" + std::to_string(e.start) + "," + std::to_string(e.end) +
                  ") outside a post of " + std::to_string(n) + " tokens");
    if (e.type.empty()) throw Error("entity with empty type cannot be written as BIO");
    bool free = true;
    for (int i = e.start; i < e.end; ++i) free = free && !used[i];
    if (!free) continue;
    for (int i = e.start; i < e.end; ++i) {
      tags[i] = (i == e.start ? "B-" : "I-") + e.type;
      used[i] = true;
    }
  }
  return tags;
}

std::vector<std::string> split_conll_columns(const std::string& line) {
  std::vector<std::string> cols;
  if (line.find('\t') != std::string::npos) {
    size_t pos = 0;
    while (true) {
      size_t t = line.find('\t', pos);
      cols.push_back(line.substr(pos, t == std::string::npos ? std::string::npos : t - pos));
      if (t == std::string::npos) break;
      pos = t + 1;
    }
    return cols;
  }
  size_t pos = 0;
  while (pos < line.size()) {
    size_t s = line.find(' ', pos);
    if (s == std::string::npos) s = line.size();
    if (s > pos) cols.push_back(line.substr(pos, s - pos));
    pos = s + 1;
  }
  return cols;
}

namespace {

struct Pending {
  Post post;
  std::vector<std::string> tags;
  bool active = false;
};

void finish(Pending& p, std::vector<Post>& out) {
  if (!p.active) return;
  p.post.entities = decode_bio(p.tags);
  out.push_back(std::move(p.post));
  p = Pending{};
}

}  // namespace

std::vector<Post> read_conll(std::istream& in, const std::string& name, const ConllOptions& opt) {
  LineReader reader(in, name);
  std::vector<Post> out;
  Pending cur;
  std::string raw;
  while (reader.next(raw)) {
    const std::string line(rstrip(raw));
    if (strip(line).empty()) {
      finish(cur, out);
      continue;
    }
    if (line.rfind("IMGID:", 0) == 0) {
      finish(cur, out);
      cur.active = true;
      cur.post.id = std::string(strip(std::string_view(line).substr(6)));
      if (cur.post.id.empty()) throw ParseError(name, reader.line_no(), "empty IMGID");
      continue;
    }
    if (line.rfind("-DOCSTART-", 0) == 0) continue;
    std::vector<std::string> cols = split_conll_columns(line);
    if (cols.size() != 2 && !(opt.extra_columns && cols.size() > 2))
      throw ParseError(name, reader.line_no(),
                       "expected token<TAB>tag, got " + std::to_string(cols.size()) + " column(s)");
    BioTag tag;
    try {
      tag = parse_bio_tag(cols[1]);
    } catch (const Error& e) {
      throw ParseError(name, reader.line_no(), e.what());
    }
    if (tag.prefix != 'O' && !opt.allowed_types.empty() &&
        std::find(opt.allowed_types.begin(), opt.allowed_types.end(), tag.type) == opt.allowed_types.end())
      throw ParseError(name, reader.line_no(), "unknown entity type '" + tag.type + "' in tag '" + cols[1] + "'");
    if (opt.map_misc_to_other && tag.type == "MISC") cols[1] = std::string(1, tag.prefix) + "-OTHER";
    cur.active = true;
    cur.post.tokens.push_back(std::move(cols[0]));
    cur.tags.push_back(std::move(cols[1]));
  }
  finish(cur, out);
  return out;
}

std::vector<Post> read_conll(const std::string& path, const ConllOptions& opt) {
  if (path == "-") return read_conll(std::cin, "<stdin>", opt);
  std::ifstream in = mie::open_file(path, "CoNLL file");
  return read_conll(in, path, opt);
}

void write_conll(std::ostream& out, const std::vector<Post>& posts) {
  for (const Post& p : posts) {
    std::vector<std::string> tags = encode_bio(p.entities, static_cast<int>(p.tokens.size()));
    if (!p.id.empty()) out << "IMGID:" << p.id << '\n';
    for (size_t i = 0; i < p.tokens.size(); ++i) out << p.tokens[i] << '\t' << tags[i] << '\n';
    out << '\n';
  }
}

}  // namespace mie::io
