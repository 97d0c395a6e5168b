#include "mie/eval/gmner.h"

#include <algorithm>
#include <array>

#include "mie/core/error.h"
#include "mie/eval/align.h"

namespace mie::eval {

std::vector<int> gold_regions(const std::vector<Box>& gold_boxes, const std::vector<Box>& cands, double thr) {
  std::vector<int> out;
  for (size_t i = 0; i < cands.size(); ++i) {
    for (const Box& b : gold_boxes) {
      if (static_cast<double>(iou(b, cands[i])) > thr) {
        out.push_back(static_cast<int>(i));
        break;
      }
    }
  }
  return out;
}

namespace {

bool has_box(const Entity& e) { return e.groundable && !e.boxes.empty(); }

// One predicted entity (after span de-duplication) and the gold entity with its span, if any.
struct Match {
  const Entity* pred;
  const Entity* gold;  // nullptr: no gold entity has this span
  bool region_ok;
};

struct PostMatches {
  std::vector<const Entity*> gold;
  std::vector<Match> matches;
  long uncovered = 0;  // candidate mode: groundable gold entities without a covering candidate
};

PostMatches match_post(const Post& g, const Post& p, const GmnerOptions& opt) {
  PostMatches pm;
  pm.gold = unique_spans(g.entities);
  const std::vector<Box>* cands = nullptr;
  if (opt.mode == RegionMode::Candidate) {
    if (!opt.candidates) throw Error("candidate mode needs candidate regions (--regions)");
    auto it = opt.candidates->find(g.id);
    if (it == opt.candidates->end()) throw Error("no candidate regions for post " + g.id);
    cands = &it->second;
  }
  // Gold region of each unique gold entity: -2 = ungroundable ("none"), else the region list.
  std::vector<std::vector<int>> regions(pm.gold.size());
  std::vector<char> groundable(pm.gold.size());
  for (size_t i = 0; i < pm.gold.size(); ++i) {
    groundable[i] = has_box(*pm.gold[i]);
    if (cands && groundable[i]) {
      regions[i] = gold_regions(pm.gold[i]->boxes, *cands, opt.candidate_iou);
      if (regions[i].empty()) ++pm.uncovered;
    }
  }
  for (const Entity* e : unique_spans(p.entities)) {
    Match m{e, nullptr, false};
    for (size_t i = 0; i < pm.gold.size(); ++i) {
      const Entity& ge = *pm.gold[i];
      if (ge.start != e->start || ge.end != e->end) continue;
      m.gold = &ge;
      if (cands) {
        if (!groundable[i]) m.region_ok = e->region < 0;
        else m.region_ok = e->region >= 0 && std::find(regions[i].begin(), regions[i].end(), e->region) != regions[i].end();
      } else if (!groundable[i]) {
        m.region_ok = !has_box(*e);
      } else if (has_box(*e)) {
        for (const Box& b : ge.boxes)
          if (static_cast<double>(iou(e->boxes.front(), b)) >= opt.box_iou) m.region_ok = true;
      }
      break;
    }
    pm.matches.push_back(m);
  }
  return pm;
}

using TypeOf = const std::string& (*)(const Entity&);
const std::string& coarse_of(const Entity& e) { return e.type; }
const std::string& fine_of(const Entity& e) { return e.fine_type; }

// Adds one post to a typed pair of metrics: `full` (span + type + region), `mner` (span + type).
// With `grounding`, counts region accuracy on entities whose span and type are right.
void add_typed(const PostMatches& pm, TypeOf type_of, Metric& full, Metric& mner, Hits* grounding) {
  Tally f, t;
  f.pred = t.pred = static_cast<long>(pm.matches.size());
  f.gold = t.gold = static_cast<long>(pm.gold.size());
  for (const Entity* g : pm.gold) {
    full.per_type[type_of(*g)].gold++;
    mner.per_type[type_of(*g)].gold++;
  }
  for (const Match& m : pm.matches) {
    const std::string& pt = type_of(*m.pred);
    full.per_type[pt].pred++;
    mner.per_type[pt].pred++;
    if (!m.gold || type_of(*m.gold) != pt) continue;
    ++t.tp;
    mner.per_type[pt].tp++;
    if (grounding) {
      Hits& h = grounding[has_box(*m.gold) ? 0 : 1];
      ++h.total;
      if (m.region_ok) ++h.correct;
    }
    if (!m.region_ok) continue;
    ++f.tp;
    full.per_type[pt].tp++;
  }
  full.per_post.push_back(f);
  mner.per_post.push_back(t);
}

void add_eeg(const PostMatches& pm, Metric& eeg) {
  Tally t;
  t.pred = static_cast<long>(pm.matches.size());
  t.gold = static_cast<long>(pm.gold.size());
  for (const Match& m : pm.matches)
    if (m.gold && m.region_ok) ++t.tp;
  eeg.per_post.push_back(t);
}

nlohmann::json grounding_json(const Hits h[2]) {
  return {{"groundable_acc", h[0].percent()},   {"groundable_correct", h[0].correct},
          {"groundable_total", h[0].total},     {"ungroundable_acc", h[1].percent()},
          {"ungroundable_correct", h[1].correct}, {"ungroundable_total", h[1].total}};
}

struct TypedSpec {
  std::string full, mner;
  TypeOf type_of;
};

Evaluation score_typed(const std::string& task, const std::vector<Post>& gold, const std::vector<Post>& pred,
                       const GmnerOptions& opt, const std::vector<TypedSpec>& specs) {
  if (gold.size() != pred.size())
    throw Error(task + ": predictions are not aligned with gold (" + std::to_string(pred.size()) +
                " vs " + std::to_string(gold.size()) + " posts); use align_predictions");
  std::vector<Metric> typed(2 * specs.size());
  std::vector<std::array<Hits, 2>> grounding(specs.size());
  for (size_t s = 0; s < specs.size(); ++s) {
    typed[2 * s].name = specs[s].full;
    typed[2 * s + 1].name = specs[s].mner;
    typed[2 * s].per_post.reserve(gold.size());
    typed[2 * s + 1].per_post.reserve(gold.size());
  }
  Metric eeg;
  eeg.name = "eeg";
  eeg.per_post.reserve(gold.size());
  long uncovered = 0, gold_entities = 0, gold_groundable = 0;
  for (size_t i = 0; i < gold.size(); ++i) {
    if (gold[i].id != pred[i].id)
      throw Error(task + ": prediction " + std::to_string(i) + " has id '" + pred[i].id +
                  "' but gold has '" + gold[i].id + "'; use align_predictions");
    const PostMatches pm = match_post(gold[i], pred[i], opt);
    uncovered += pm.uncovered;
    gold_entities += static_cast<long>(pm.gold.size());
    for (const Entity* g : pm.gold) gold_groundable += has_box(*g) ? 1 : 0;
    for (size_t s = 0; s < specs.size(); ++s)
      add_typed(pm, specs[s].type_of, typed[2 * s], typed[2 * s + 1], grounding[s].data());
    add_eeg(pm, eeg);
  }
  Evaluation ev;
  ev.task = task;
  for (size_t s = 0; s < specs.size(); ++s) {
    typed[2 * s].extra = grounding_json(grounding[s].data());
    if (opt.mode == RegionMode::Candidate) typed[2 * s].extra["uncovered"] = uncovered;
  }
  for (auto& m : typed) ev.metrics.push_back(std::move(m));
  ev.metrics.push_back(std::move(eeg));
  ev.info = {{"mode", opt.mode == RegionMode::Box ? "box" : "candidate"},
             {"iou", opt.mode == RegionMode::Box ? opt.box_iou : opt.candidate_iou},
             {"iou_rule", opt.mode == RegionMode::Box ? ">=" : ">"},
             {"posts", gold.size()},
             {"gold_entities", gold_entities},
             {"gold_groundable", gold_groundable}};
  if (opt.mode == RegionMode::Candidate) ev.info["uncovered"] = uncovered;
  return ev;
}

}  // namespace

Evaluation score_gmner(const std::vector<Post>& gold, const std::vector<Post>& pred, const GmnerOptions& opt) {
  return score_typed("gmner", gold, pred, opt, {{"gmner", "mner", &coarse_of}});
}

Evaluation score_fmnerg(const std::vector<Post>& gold, const std::vector<Post>& pred, const GmnerOptions& opt) {
  return score_typed("fmnerg", gold, pred, opt,
                     {{"fmnerg", "fine_mner", &fine_of}, {"coarse", "coarse_mner", &coarse_of}});
}

}  // namespace mie::eval
