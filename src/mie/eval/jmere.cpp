#include "mie/eval/jmere.h"

#include <algorithm>
#include <cctype>
#include <tuple>

#include "mie/core/error.h"
#include "mie/eval/align.h"
#include "mie/eval/mner.h"

namespace mie::eval {

namespace {

using Triple = std::tuple<int, int, std::string, int, int, std::string, std::string>;

// Argument types compared across schemes: PER, ORG, LOC, MISC (GMNER's OTHER and any other type
// is MISC; FMNERG's person, organization, location likewise by name).
std::string canonical_type(const std::string& t) {
  std::string u;
  for (char c : t) u += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (u == "PER" || u == "PERSON") return "PER";
  if (u == "ORG" || u == "ORGANIZATION") return "ORG";
  if (u == "LOC" || u == "LOCATION") return "LOC";
  return "MISC";
}

// undirected: the pair's two arguments in span order, so a relation found with head and tail
// swapped still counts.
std::vector<Triple> triples(const Post& p, const std::string& none_label, bool undirected) {
  check_post(p, "jmere");
  std::vector<Triple> out;
  for (const Relation& r : p.relations) {
    if (r.label.empty() || r.label == none_label) continue;
    const Entity* h = &p.entities[static_cast<size_t>(r.head)];
    const Entity* t = &p.entities[static_cast<size_t>(r.tail)];
    if (undirected && std::pair(t->start, t->end) < std::pair(h->start, h->end)) std::swap(h, t);
    out.emplace_back(h->start, h->end, canonical_type(h->type), t->start, t->end, canonical_type(t->type), r.label);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

Evaluation score_jmere(const std::vector<Post>& gold, const std::vector<Post>& pred, const std::string& none_label) {
  Evaluation ev;
  ev.task = "jmere";
  auto typed = [](std::vector<Post> posts) {  // entity types compared as the triples' are
    for (Post& p : posts)
      for (Entity& e : p.entities) e.type = canonical_type(e.type);
    return posts;
  };
  ev.metrics.push_back(entity_metric("jmere_entity", typed(gold), typed(pred)));  // checks alignment
  for (const bool undirected : {false, true}) {
    Metric m;
    m.name = undirected ? "jmere_triple_undirected" : "jmere_triple";
    m.per_post.reserve(gold.size());
    for (size_t i = 0; i < gold.size(); ++i) {
      const auto g = triples(gold[i], none_label, undirected);
      const auto p = triples(pred[i], none_label, undirected);
      Tally t;
      t.gold = static_cast<long>(g.size());
      t.pred = static_cast<long>(p.size());
      for (const Triple& x : g) m.per_type[std::get<6>(x)].gold++;
      for (const Triple& x : p) {
        m.per_type[std::get<6>(x)].pred++;
        if (std::binary_search(g.begin(), g.end(), x)) {
          ++t.tp;
          m.per_type[std::get<6>(x)].tp++;
        }
      }
      m.per_post.push_back(t);
    }
    ev.metrics.push_back(std::move(m));
  }
  ev.info = {{"posts", gold.size()}, {"gold_triples", ev.metrics[1].sum().gold}};
  return ev;
}

}  // namespace mie::eval
