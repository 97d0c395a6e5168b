#include "mie/relation/example.h"

#include "mie/core/error.h"
#include "mie/relation/schema.h"

namespace mie::relation {

void validate(const RelExample& ex) {
  const int n = static_cast<int>(ex.tokens.size());
  if (n == 0) throw Error("relation example '" + ex.id + "': no tokens");
  for (const RelArg* a : {&ex.head, &ex.tail}) {
    if (a->start < 0 || a->end > n || a->start >= a->end)
      throw Error("relation example '" + ex.id + "': argument span [" + std::to_string(a->start) + ", " +
                  std::to_string(a->end) + ") is empty or outside " + std::to_string(n) + " tokens");
  }
}

RelExample from_mnre(const io::MreInstance& m, long id) {
  RelExample ex;
  ex.id = std::to_string(id);
  ex.tokens = m.tokens;
  ex.head = {m.head.start, m.head.end, -1};
  ex.tail = {m.tail.start, m.tail.end, -1};
  ex.label = m.relation;
  validate(ex);
  return ex;
}

std::vector<RelExample> from_mnre(const std::vector<io::MreInstance>& ms) {
  std::vector<RelExample> out;
  out.reserve(ms.size());
  for (size_t i = 0; i < ms.size(); ++i) out.push_back(from_mnre(ms[i], static_cast<long>(i)));
  return out;
}

std::vector<std::pair<int, int>> entity_pairs(const Post& p) {
  std::vector<std::pair<int, int>> out;
  const int n = static_cast<int>(p.entities.size());
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      if (i != j) out.emplace_back(i, j);
  return out;
}

RelExample from_post(const Post& p, int head, int tail) {
  const int n = static_cast<int>(p.entities.size());
  if (head < 0 || head >= n || tail < 0 || tail >= n)
    throw Error("post " + p.id + ": entity pair (" + std::to_string(head) + ", " + std::to_string(tail) +
                ") outside " + std::to_string(n) + " entities");
  const Entity& h = p.entities[head];
  const Entity& t = p.entities[tail];
  RelExample ex;
  ex.id = p.id + ":" + std::to_string(head) + ":" + std::to_string(tail);
  ex.tokens = p.tokens;
  ex.head = {h.start, h.end, arg_type_from_ner(h.type)};
  ex.tail = {t.start, t.end, arg_type_from_ner(t.type)};
  validate(ex);
  return ex;
}

}  // namespace mie::relation
