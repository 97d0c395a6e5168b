#include "mie/eval/tally.h"

#include "mie/core/error.h"

namespace mie::eval {

Tally Metric::sum() const {
  Tally t;
  for (const auto& x : per_post) t += x;
  return t;
}

Hits Metric::acc() const {
  Hits h;
  for (const auto& x : acc_per_post) h += x;
  return h;
}

const Metric& Evaluation::at(const std::string& name) const {
  for (const auto& m : metrics)
    if (m.name == name) return m;
  throw Error("evaluation of task '" + task + "' has no metric '" + name + "'");
}

}  // namespace mie::eval
