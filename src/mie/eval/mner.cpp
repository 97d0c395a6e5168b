#include "mie/eval/mner.h"

#include "mie/core/error.h"
#include "mie/eval/align.h"

namespace mie::eval {

Metric entity_metric(const std::string& name, const std::vector<Post>& gold, const std::vector<Post>& pred) {
  if (gold.size() != pred.size())
    throw Error(name + ": predictions are not aligned with gold (" + std::to_string(pred.size()) + " vs " +
                std::to_string(gold.size()) + " posts); use align_predictions");
  Metric m;
  m.name = name;
  m.per_post.reserve(gold.size());
  for (size_t i = 0; i < gold.size(); ++i) {
    if (gold[i].id != pred[i].id)
      throw Error(name + ": prediction " + std::to_string(i) + " has id '" + pred[i].id + "' but gold has '" +
                  gold[i].id + "'; use align_predictions");
    const auto g = unique_spans(gold[i].entities);
    const auto p = unique_spans(pred[i].entities);
    Tally t;
    t.gold = static_cast<long>(g.size());
    t.pred = static_cast<long>(p.size());
    for (const Entity* ge : g) m.per_type[ge->type].gold++;
    for (const Entity* pe : p) {
      m.per_type[pe->type].pred++;
      for (const Entity* ge : g) {
        if (ge->start == pe->start && ge->end == pe->end) {
          if (ge->type == pe->type) {
            ++t.tp;
            m.per_type[pe->type].tp++;
          }
          break;
        }
      }
    }
    m.per_post.push_back(t);
  }
  return m;
}

Evaluation score_mner(const std::vector<Post>& gold, const std::vector<Post>& pred) {
  Evaluation ev;
  ev.task = "mner";
  ev.metrics.push_back(entity_metric("mner", gold, pred));
  ev.info = {{"posts", gold.size()}, {"gold_entities", ev.metrics[0].sum().gold}};
  return ev;
}

}  // namespace mie::eval
