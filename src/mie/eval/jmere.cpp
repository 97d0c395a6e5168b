#include "mie/eval/jmere.h"

#include <algorithm>
#include <tuple>

#include "mie/core/error.h"
#include "mie/eval/align.h"
#include "mie/eval/mner.h"

namespace mie::eval {

namespace {

using Triple = std::tuple<int, int, std::string, int, int, std::string, std::string>;

std::vector<Triple> triples(const Post& p, const std::string& none_label) {
  check_post(p, "jmere");
  std::vector<Triple> out;
  for (const Relation& r : p.relations) {
    if (r.label.empty() || r.label == none_label) continue;
    const Entity& h = p.entities[static_cast<size_t>(r.head)];
    const Entity& t = p.entities[static_cast<size_t>(r.tail)];
    out.emplace_back(h.start, h.end, h.type, t.start, t.end, t.type, r.label);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

Evaluation score_jmere(const std::vector<Post>& gold, const std::vector<Post>& pred, const std::string& none_label) {
  Evaluation ev;
  ev.task = "jmere";
  ev.metrics.push_back(entity_metric("jmere_entity", gold, pred));  // checks alignment
  Metric m;
  m.name = "jmere_triple";
  m.per_post.reserve(gold.size());
  for (size_t i = 0; i < gold.size(); ++i) {
    const auto g = triples(gold[i], none_label);
    const auto p = triples(pred[i], none_label);
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
  ev.info = {{"posts", gold.size()}, {"gold_triples", m.sum().gold}};
  ev.metrics.push_back(std::move(m));
  return ev;
}

}  // namespace mie::eval
