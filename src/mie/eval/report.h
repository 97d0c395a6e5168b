// mie/eval/report.h — print an Evaluation as a table or as one JSON object.
//
//   auto ev = mie::eval::score_gmner(gold, aligned);
//   mie::eval::print_table(std::cout, ev);
//   std::cout << mie::eval::to_json(ev).dump(2) << "\n";
//   // {"gmner": {"p":..,"r":..,"f1":..,"tp":..,"pred":..,"gold":..,
//   //            "per_type": {"PER": {...}}, "groundable_acc": .., "ci95": {"f1": [lo, hi], ...}}, ...}
//
// Numbers are percentages. Keys are the metric names (gmner, mner, eeg, fmnerg, fine_mner, coarse,
// coarse_mner, mre, jmere_entity, jmere_triple); each metric's extra fields are merged into its
// object. Thread safety: pure functions (print_table writes only to the given stream).
#pragma once

#include <map>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "mie/eval/bootstrap.h"
#include "mie/eval/tally.h"

namespace mie::eval {

using CiMap = std::map<std::string, MetricCi>;

nlohmann::json to_json(const Evaluation& ev, const CiMap* ci = nullptr);
void print_table(std::ostream& out, const Evaluation& ev, const CiMap* ci = nullptr);

}  // namespace mie::eval
