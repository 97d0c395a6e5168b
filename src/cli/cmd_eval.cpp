// mie eval — score predictions with the benchmarks' official metrics (docs/metrics.md).
//
//   mie eval --task gmner --gold dev.txt --xml xml/ --pred pred.jsonl [--regions vinvl/] [--json]
//   mie eval --task mre --gold val.txt --pred rel.jsonl --bootstrap 1000
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "mie/eval/evaluate.h"
#include "mie/eval/report.h"

namespace {

struct Opts {
  mie::eval::Request r;
  bool json = false;
};

mie::cli::Registrar reg("eval", "Score predictions with the benchmarks' official metrics (docs/metrics.md)",
                        [](CLI::App& app) {
  auto o = std::make_shared<Opts>();
  app.add_option("--task", o->r.task, "Benchmark: gmner, mner, fmnerg, mre or jmere")
      ->required()
      ->check(CLI::IsMember({"gmner", "mner", "fmnerg", "mre", "jmere"}));
  app.add_option("--gold", o->r.gold,
                 "Gold file in the benchmark's native format (GMNER/Twitter CoNLL, FMNERG 3-column, MNRE lines, "
                 "JMERE json)")
      ->required();
  app.add_option("--xml", o->r.xml, "VOC xml directory with the gold boxes (required for gmner and fmnerg)");
  app.add_option("--regions", o->r.regions,
                 "Directory of VinVL <id>.jpg.npz candidates: candidate mode (H-Index/TIGER), predictions give "
                 "Entity.region; without it, box mode (RiVEG, IoU >= 0.5)");
  app.add_option("--top-k", o->r.top_k, "Candidate regions kept per image in candidate mode (H-Index: 16; TIGER: 32)")
      ->capture_default_str();
  app.add_option("--pred", o->r.pred,
                 "Predictions: mie JSONL (CoNLL also accepted for mner; for mre lines {\"id\",\"relation\",\"score\"}); "
                 "- reads stdin")
      ->required();
  app.add_flag("--json", o->json, "Print one JSON object instead of the table");
  app.add_option("--bootstrap", o->r.bootstrap, "Bootstrap 95% confidence intervals with N resamples of the posts (0 = off)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--seed", o->r.seed, "Seed of the bootstrap resampling")->capture_default_str();
  return [o]() -> int {
    if (o->json) {
      std::cout << mie::eval::evaluate_json(o->r).dump(2) << "\n";
      return 0;
    }
    const auto r = mie::eval::evaluate(o->r);
    mie::eval::CiMap ci;
    if (o->r.bootstrap > 0) ci = mie::eval::bootstrap(r, {.samples = o->r.bootstrap, .seed = o->r.seed});
    mie::eval::print_table(std::cout, r, o->r.bootstrap > 0 ? &ci : nullptr);
    return 0;
  };
});

}  // namespace
