#include "mie/eval/report.h"

#include <cstdio>

namespace mie::eval {

namespace {

std::string fmt(const char* f, double a, double b = 0, double c = 0) {
  char buf[128];
  std::snprintf(buf, sizeof buf, f, a, b, c);
  return buf;
}

std::string row(const std::string& name, const Prf& s, const std::string& tail = "") {
  char buf[256];
  std::snprintf(buf, sizeof buf, "%-26s %7.2f %7.2f %7.2f %7ld %7ld %7ld", name.c_str(), s.p, s.r, s.f1, s.tp,
                s.pred, s.gold);
  return std::string(buf) + tail + "\n";
}

}  // namespace

nlohmann::json to_json(const Evaluation& ev, const CiMap* ci) {
  nlohmann::json out = nlohmann::json::object();
  for (const Metric& m : ev.metrics) {
    nlohmann::json j = m.total().to_json();
    if (!m.acc_per_post.empty()) j["acc"] = m.acc().percent();
    for (const auto& [k, v] : m.extra.items()) j[k] = v;
    nlohmann::json pt = nlohmann::json::object();
    for (const auto& [type, t] : m.per_type) pt[type] = t.prf().to_json();
    j["per_type"] = pt;
    if (ci) {
      auto it = ci->find(m.name);
      if (it != ci->end()) j["ci95"] = it->second.to_json();
    }
    out[m.name] = j;
  }
  return out;
}

void print_table(std::ostream& out, const Evaluation& ev, const CiMap* ci) {
  out << "task " << ev.task;
  for (const auto& [k, v] : ev.info.items()) out << "  " << k << "=" << (v.is_string() ? v.get<std::string>() : v.dump());
  out << "\n";
  char head[256];
  std::snprintf(head, sizeof head, "%-26s %7s %7s %7s %7s %7s %7s", "metric", "P", "R", "F1", "tp", "pred", "gold");
  out << head << (ci ? "   95% CI (P | R | F1)" : "") << "\n";
  for (const Metric& m : ev.metrics) {
    std::string tail;
    if (ci) {
      auto it = ci->find(m.name);
      if (it != ci->end()) {
        const MetricCi& c = it->second;
        tail = fmt("   [%.2f, %.2f]", c.p.lo, c.p.hi) + fmt(" | [%.2f, %.2f]", c.r.lo, c.r.hi) +
               fmt(" | [%.2f, %.2f]", c.f1.lo, c.f1.hi);
      }
    }
    out << row(m.name, m.total(), tail);
  }
  for (const Metric& m : ev.metrics) {
    if (!m.acc_per_post.empty()) {
      const Hits h = m.acc();
      out << m.name << " accuracy: " << fmt("%.2f", h.percent()) << " (" << h.correct << "/" << h.total << ")";
      if (ci) {
        auto it = ci->find(m.name);
        if (it != ci->end() && it->second.acc) out << fmt("  95% CI [%.2f, %.2f]", it->second.acc->lo, it->second.acc->hi);
      }
      out << "\n";
    }
    if (m.extra.contains("macro_f1"))
      out << m.name << " macro F1: " << fmt("%.2f", m.extra["macro_f1"].get<double>()) << " over "
          << m.extra["macro_labels"].get<long>() << " labels\n";
    if (m.extra.contains("groundable_acc")) {
      const auto& x = m.extra;
      out << m.name << " grounding on span+type-correct entities: groundable "
          << fmt("%.2f", x["groundable_acc"].get<double>()) << " (" << x["groundable_correct"].get<long>() << "/"
          << x["groundable_total"].get<long>() << "), ungroundable " << fmt("%.2f", x["ungroundable_acc"].get<double>())
          << " (" << x["ungroundable_correct"].get<long>() << "/" << x["ungroundable_total"].get<long>() << ")";
      if (x.contains("uncovered")) out << ", uncovered gold " << x["uncovered"].get<long>();
      out << "\n";
    }
  }
  for (const Metric& m : ev.metrics) {
    if (m.per_type.empty()) continue;
    out << "\nper type: " << m.name << "\n" << head << "\n";
    for (const auto& [type, t] : m.per_type) out << row(type.empty() ? "(none)" : type, t.prf());
  }
}

}  // namespace mie::eval
