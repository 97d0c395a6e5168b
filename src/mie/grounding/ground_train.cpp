#include "mie/grounding/ground_train.h"

#include <filesystem>
#include <map>
#include <sstream>

namespace mie::grounding {
namespace {

// Region examples and box accuracy need images: posts whose image (or npz) exists.
struct ImagePosts {
  std::vector<std::pair<const Post*, const Analysis*>> items;
  long missing = 0;
};

ImagePosts analysable(const std::vector<Post>& posts, ImageAnalyser& an, const GroundRuntime& rt) {
  ImagePosts out;
  for (const Post& p : posts) {
    if (!p.image) continue;
    const std::string img = an.resolve(p.image->path);
    const bool ok = rt.vinvl_dir.empty()
                        ? std::filesystem::exists(img)
                        : std::filesystem::exists(rt.vinvl_dir + "/" + std::filesystem::path(img).filename().string() + ".npz");
    if (!ok) {
      ++out.missing;
      continue;
    }
    out.items.emplace_back(&p, an.analyse(p));
  }
  return out;
}

nlohmann::json box_accuracy(const RegionScorer& s, const ImagePosts& ip) {
  long n = 0, ok = 0;
  for (const auto& [p, a] : ip.items)
    for (size_t i = 0; i < p->entities.size(); ++i) {
      const Entity& e = p->entities[i];
      if (!e.groundable) continue;
      ++n;
      const auto c = s.choose(*p, static_cast<int>(i), a->cands, a->width, a->height);
      bool hit = false;
      for (const Box& g : e.boxes) hit |= c.index >= 0 && iou(c.box, g) >= 0.5f;
      ok += hit;
    }
  return {{"groundable_entities", n}, {"box_acc", n ? 100.0 * static_cast<double>(ok) / static_cast<double>(n) : 0.0}};
}

}  // namespace

GroundTrainResult train_grounding(const std::vector<Post>& train, const std::vector<Post>& dev,
                                  const GroundTrainOptions& opt, const TrainLog& progress) {
  auto say = [&](const std::string& m) {
    if (progress) progress(m);
  };
  GroundTrainResult r;
  nlohmann::json hist;
  r.grounder.cls = train_classifier(train, opt.features, opt.classifier, &hist);
  std::map<std::string, BinaryScores> by_type;
  r.dev = evaluate_classifier(r.grounder.cls, dev, &by_type);
  const auto maj = majority_baseline(train, dev);
  long groundable = 0;
  for (const Post& p : train)
    for (const Entity& e : p.entities) groundable += e.groundable;
  std::ostringstream m;
  m << "ground: " << groundable << " groundable training entities; dev accuracy " << r.dev.accuracy() << " F1(groundable) "
    << r.dev.f1() << " (majority baseline: accuracy " << maj.accuracy() << ", F1 " << maj.f1()
    << "); groundable_score log loss " << r.dev.log_loss() << " (prior " << maj.log_loss() << "), Brier " << r.dev.brier()
    << ", ECE " << r.dev.ece();
  say(m.str());
  r.summary = {{"dev", r.dev.to_json()}, {"dev_majority", maj.to_json()}, {"dev_per_type", nlohmann::json::object()},
               {"history", hist}};
  for (const auto& [t, b] : by_type) r.summary["dev_per_type"][t] = b.to_json();
  if (!opt.regions) return r;
  ImageAnalyser an(opt.runtime);
  const auto tr = analysable(train, an, opt.runtime);
  const auto dv = analysable(dev, an, opt.runtime);
  std::vector<RegionExample> ex;
  long covered = 0, total = 0;
  for (const auto& [p, a] : tr.items)
    for (size_t i = 0; i < p->entities.size(); ++i)
      if (p->entities[i].groundable) {
        ++total;
        ex.push_back(region_example(*p, static_cast<int>(i), a->cands, a->width, a->height));
        covered += !ex.back().target.empty();
      }
  nlohmann::json rlog;
  const RegionScorer prior;
  r.grounder.scorer = train_regions(ex, prior, opt.region, &rlog);
  r.summary["regions"] = {{"train_images", tr.items.size()}, {"train_missing_images", tr.missing},
                          {"train_groundable", total}, {"train_covered", covered},
                          {"dev_images", dv.items.size()}, {"dev_prior", box_accuracy(prior, dv)},
                          {"dev_trained", box_accuracy(r.grounder.scorer, dv)}, {"train_prior", box_accuracy(prior, tr)},
                          {"train_trained", box_accuracy(r.grounder.scorer, tr)}, {"history", rlog},
                          {"weights", r.grounder.scorer.to_json()}};
  say("ground: region scorer trained on " + std::to_string(covered) + " covered of " + std::to_string(total) +
      " groundable entities in " + std::to_string(tr.items.size()) + " training images (" + std::to_string(tr.missing) +
      " images missing)");
  return r;
}

}  // namespace mie::grounding
