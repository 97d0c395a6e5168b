// mie/eval/prf.h — precision/recall/F1 with counts, the unit every metric reports.
//
//   mie::eval::Prf s = mie::eval::Prf::from_counts(tp, pred, gold);
//   s.f1  // in percent
//
// Thread safety: plain value.
#pragma once

#include <nlohmann/json.hpp>

namespace mie::eval {

struct Prf {
  long tp = 0, pred = 0, gold = 0;
  double p = 0, r = 0, f1 = 0;  // percent
  static Prf from_counts(long tp, long pred, long gold) {
    Prf s{tp, pred, gold};
    s.p = pred ? 100.0 * tp / pred : 0.0;
    s.r = gold ? 100.0 * tp / gold : 0.0;
    s.f1 = (s.p + s.r) > 0 ? 2 * s.p * s.r / (s.p + s.r) : 0.0;
    return s;
  }
  nlohmann::json to_json() const { return {{"p", p}, {"r", r}, {"f1", f1}, {"tp", tp}, {"pred", pred}, {"gold", gold}}; }
};

}  // namespace mie::eval
