// mie eval — score predictions with the benchmarks' official metrics (docs/metrics.md).
//
//   mie eval --task gmner --gold dev.txt --xml xml/ --pred pred.jsonl [--regions vinvl/] [--json]
//   mie eval --task mre --gold val.txt --pred rel.jsonl --bootstrap 1000
#include <iostream>
#include <memory>

#include "cli/command.h"
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

namespace {

struct Opts {
  std::string task, gold, xml, regions, pred;
  int top_k = 16;
  bool json = false;
  int bootstrap = 0;
  uint64_t seed = 1;
};

mie::eval::Evaluation run(const Opts& o) {
  namespace ev = mie::eval;
  if (o.task == "mre") {
    const auto gold = mie::io::read_mnre(o.gold);
    std::vector<std::string> labels;
    labels.reserve(gold.size());
    for (const auto& g : gold) labels.push_back(g.relation);
    return ev::score_mre(labels, ev::read_mre_predictions(o.pred, gold.size()));
  }
  if (!o.regions.empty() && o.task != "gmner" && o.task != "fmnerg")
    throw mie::Error("--regions applies to --task gmner and fmnerg only");
  const auto gold = ev::load_gold(o.task, o.gold, o.xml);
  const auto pred = ev::align_predictions(gold, ev::load_predictions(o.task, o.pred), o.pred);
  for (const auto& g : gold) ev::check_post(g, o.gold);
  if (o.task == "mner") return ev::score_mner(gold, pred);
  if (o.task == "jmere") return ev::score_jmere(gold, pred);
  ev::GmnerOptions go;
  ev::Candidates cands;
  if (!o.regions.empty()) {
    cands = ev::load_candidates(gold, o.regions, o.top_k);
    go.mode = ev::RegionMode::Candidate;
    go.candidates = &cands;
  }
  auto r = o.task == "gmner" ? ev::score_gmner(gold, pred, go) : ev::score_fmnerg(gold, pred, go);
  if (!o.regions.empty()) r.info["top_k"] = o.top_k;
  return r;
}

mie::cli::Registrar reg("eval", "Score predictions with the benchmarks' official metrics (docs/metrics.md)",
                        [](CLI::App& app) {
  auto o = std::make_shared<Opts>();
  app.add_option("--task", o->task, "Benchmark: gmner, mner, fmnerg, mre or jmere")
      ->required()
      ->check(CLI::IsMember({"gmner", "mner", "fmnerg", "mre", "jmere"}));
  app.add_option("--gold", o->gold,
                 "Gold file in the benchmark's native format (GMNER/Twitter CoNLL, FMNERG 3-column, MNRE lines, "
                 "JMERE json)")
      ->required();
  app.add_option("--xml", o->xml, "VOC xml directory with the gold boxes (required for gmner and fmnerg)");
  app.add_option("--regions", o->regions,
                 "Directory of VinVL <id>.jpg.npz candidates: candidate mode (H-Index/TIGER), predictions give "
                 "Entity.region; without it, box mode (RiVEG, IoU >= 0.5)");
  app.add_option("--top-k", o->top_k, "Candidate regions kept per image in candidate mode (H-Index: 16; TIGER: 32)")
      ->capture_default_str();
  app.add_option("--pred", o->pred,
                 "Predictions: mie JSONL (CoNLL also accepted for mner; for mre lines {\"id\",\"relation\",\"score\"}); "
                 "- reads stdin")
      ->required();
  app.add_flag("--json", o->json, "Print one JSON object instead of the table");
  app.add_option("--bootstrap", o->bootstrap, "Bootstrap 95% confidence intervals with N resamples of the posts (0 = off)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--seed", o->seed, "Seed of the bootstrap resampling")->capture_default_str();
  return [o]() -> int {
    const auto r = run(*o);
    mie::eval::CiMap ci;
    if (o->bootstrap > 0) ci = mie::eval::bootstrap(r, {.samples = o->bootstrap, .seed = o->seed});
    const mie::eval::CiMap* cip = o->bootstrap > 0 ? &ci : nullptr;
    if (o->json)
      std::cout << mie::eval::to_json(r, cip).dump(2) << "\n";
    else
      mie::eval::print_table(std::cout, r, cip);
    return 0;
  };
});

}  // namespace
