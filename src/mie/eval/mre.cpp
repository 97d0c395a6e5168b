#include "mie/eval/mre.h"

#include "mie/core/error.h"

namespace mie::eval {

Evaluation score_mre(const std::vector<std::string>& gold, const std::vector<std::string>& pred,
                     const std::string& none_label) {
  if (gold.size() != pred.size())
    throw Error("mre: " + std::to_string(pred.size()) + " predicted labels for " + std::to_string(gold.size()) +
                " gold instances");
  Metric m;
  m.name = "mre";
  m.per_post.reserve(gold.size());
  m.acc_per_post.reserve(gold.size());
  for (size_t i = 0; i < gold.size(); ++i) {
    const bool gpos = gold[i] != none_label, ppos = pred[i] != none_label;
    const bool right = gold[i] == pred[i];
    Tally t;
    t.gold = gpos;
    t.pred = ppos;
    t.tp = right && gpos;
    if (gpos) m.per_type[gold[i]].gold++;
    if (ppos) m.per_type[pred[i]].pred++;
    if (right && gpos) m.per_type[gold[i]].tp++;
    m.per_post.push_back(t);
    m.acc_per_post.push_back({right ? 1L : 0L, 1L});
  }
  double macro = 0;
  for (const auto& [label, t] : m.per_type) macro += t.prf().f1;
  macro = m.per_type.empty() ? 0.0 : macro / static_cast<double>(m.per_type.size());
  const Hits a = m.acc();
  m.extra = {{"acc", a.percent()}, {"acc_correct", a.correct}, {"acc_total", a.total},
             {"macro_f1", macro}, {"macro_labels", m.per_type.size()}};
  Evaluation ev;
  ev.task = "mre";
  ev.info = {{"instances", gold.size()}, {"none_label", none_label}};
  ev.metrics.push_back(std::move(m));
  return ev;
}

}  // namespace mie::eval
