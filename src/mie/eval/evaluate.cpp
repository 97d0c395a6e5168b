#include "mie/eval/evaluate.h"

#include "mie/core/error.h"
#include "mie/eval/align.h"
#include "mie/eval/bootstrap.h"
#include "mie/eval/gmner.h"
#include "mie/eval/inputs.h"
#include "mie/eval/jmere.h"
#include "mie/eval/mner.h"
#include "mie/eval/mre.h"
#include "mie/eval/report.h"
#include "mie/io/mnre.h"

namespace mie::eval {

namespace {
const char* const kTasks[] = {"gmner", "mner", "fmnerg", "mre", "jmere"};
}

Evaluation evaluate(const Request& r) {
  bool known = false;
  for (const char* t : kTasks) known = known || r.task == t;
  if (!known) throw Error("unknown evaluation task '" + r.task + "' (gmner, mner, fmnerg, mre or jmere)");
  if (r.task == "mre") {
    const auto gold = io::read_mnre(r.gold);
    std::vector<std::string> labels;
    labels.reserve(gold.size());
    for (const auto& g : gold) labels.push_back(g.relation);
    return score_mre(labels, read_mre_predictions(r.pred, gold.size()));
  }
  if (!r.regions.empty() && r.task != "gmner" && r.task != "fmnerg")
    throw Error("regions (candidate mode) apply to the gmner and fmnerg tasks only");
  const auto gold = load_gold(r.task, r.gold, r.xml);
  const auto pred = align_predictions(gold, load_predictions(r.task, r.pred), r.pred);
  for (const auto& g : gold) check_post(g, r.gold);
  if (r.task == "mner") return score_mner(gold, pred);
  if (r.task == "jmere") return score_jmere(gold, pred);
  GmnerOptions go;
  Candidates cands;
  if (!r.regions.empty()) {
    cands = load_candidates(gold, r.regions, r.top_k);
    go.mode = RegionMode::Candidate;
    go.candidates = &cands;
  }
  auto ev = r.task == "gmner" ? score_gmner(gold, pred, go) : score_fmnerg(gold, pred, go);
  if (!r.regions.empty()) ev.info["top_k"] = r.top_k;
  return ev;
}

nlohmann::json evaluate_json(const Request& r) {
  const Evaluation ev = evaluate(r);
  if (r.bootstrap <= 0) return to_json(ev);
  const CiMap ci = bootstrap(ev, {.samples = r.bootstrap, .seed = r.seed});
  return to_json(ev, &ci);
}

}  // namespace mie::eval
