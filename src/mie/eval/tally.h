// mie/eval/tally.h — counts kept per post, so scores can be summed and bootstrapped.
//
//   mie::eval::Evaluation ev = mie::eval::score_gmner(gold, pred);   // see gmner.h
//   const mie::eval::Metric& m = ev.at("gmner");
//   mie::eval::Prf s = m.total();          // micro P/R/F1 over all posts, in percent
//   m.per_type.at("PER").prf().f1;         // per-type breakdown
//
// A Metric holds one Tally (tp, pred, gold) per gold post, in gold order, so that
// bootstrap.h can resample posts. Thread safety: plain values.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mie/eval/prf.h"

namespace mie::eval {

struct Tally {
  long tp = 0, pred = 0, gold = 0;
  Tally& operator+=(const Tally& o) {
    tp += o.tp;
    pred += o.pred;
    gold += o.gold;
    return *this;
  }
  Prf prf() const { return Prf::from_counts(tp, pred, gold); }
  bool operator==(const Tally&) const = default;
};

// (correct, total) per post, for accuracies.
struct Hits {
  long correct = 0, total = 0;
  Hits& operator+=(const Hits& o) {
    correct += o.correct;
    total += o.total;
    return *this;
  }
  double percent() const { return total ? 100.0 * correct / total : 0.0; }
};

struct Metric {
  std::string name;                       // "gmner", "mner", "eeg", "mre", ...
  std::vector<Tally> per_post;            // one per gold post (or MRE instance)
  std::map<std::string, Tally> per_type;  // by entity type / relation label
  std::vector<Hits> acc_per_post;         // optional accuracy (MRE); empty when none
  nlohmann::json extra = nlohmann::json::object();  // extra numbers (grounding accuracy, macro F1)

  Tally sum() const;
  Prf total() const { return sum().prf(); }
  Hits acc() const;  // summed acc_per_post
};

struct Evaluation {
  std::string task;             // gmner, fmnerg, mner, mre, jmere
  std::vector<Metric> metrics;  // in report order
  nlohmann::json info = nlohmann::json::object();  // mode, thresholds, post counts
  const Metric& at(const std::string& name) const;  // throws mie::Error if absent
};

}  // namespace mie::eval
