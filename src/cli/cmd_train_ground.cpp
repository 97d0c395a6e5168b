// `mie train ground`: trains the grounding stage (section "ground"): the groundability classifier
// on gold GMNER entities (groundable = the entity has boxes in the VOC xml) and, when images
// (--images) or VinVL regions (--regions) exist for training posts, refines the region scorer's
// prior weights with the H-Index KL objective. --base copies an existing model file's stages
// (e.g. ner) first, so one file does entities + types + groundable + boxes.
//
//   mie train ground --train gmner/train.txt --dev gmner/dev.txt --xml gmner/xml
//       --caption aux/captions-blip2.jsonl --base models/gmner.mie -o models/gmner-ground.mie
#include <ATen/Parallel.h>

#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/train_registry.h"
#include "mie/core/error.h"
#include "mie/core/model_file.h"
#include "mie/grounding/grounder.h"
#include "mie/grounding/region_train.h"
#include "mie/io/aux.h"
#include "mie/io/conll.h"
#include "mie/io/voc.h"

namespace mie::cli {
namespace {

struct Opts {
  std::string train, dev, xml, caption, images, regions, sources = "face,object,text,image", base, output;
  grounding::ClassifierTrainOptions c;
  grounding::RegionTrainOptions r;
  int hash_bits = 18, top_k = 16;
};

// Region examples and prior/trained box accuracy need images: posts whose image (or npz) exists.
struct ImagePosts {
  std::vector<std::pair<const Post*, const grounding::Analysis*>> items;
  long missing = 0;
};
ImagePosts analysable(const std::vector<Post>& posts, grounding::ImageAnalyser& an, const Opts& o) {
  ImagePosts out;
  for (const Post& p : posts) {
    if (!p.image) continue;
    const std::string img = an.resolve(p.image->path);
    const bool ok = o.regions.empty()
                        ? std::filesystem::exists(img)
                        : std::filesystem::exists(o.regions + "/" + std::filesystem::path(img).filename().string() + ".npz");
    if (!ok) {
      ++out.missing;
      continue;
    }
    out.items.emplace_back(&p, an.analyse(p));
  }
  return out;
}

nlohmann::json box_accuracy(const grounding::RegionScorer& s, const ImagePosts& ip) {
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

int run(const Opts& o) {
  if (!o.images.empty() && !o.regions.empty()) throw Error("give --images or --regions, not both");
  auto train = io::read_conll(o.train);
  auto dev = io::read_conll(o.dev);
  ModelFile base;
  if (!o.base.empty()) base = ModelFile::load(o.base);
  const auto st = io::attach_voc_boxes(train, o.xml);
  io::attach_voc_boxes(dev, o.xml, false);
  grounding::FeatureConfig cfg;
  cfg.hash_bits = o.hash_bits;
  cfg.caption = !o.caption.empty();
  nlohmann::json caption_info = nullptr;
  if (cfg.caption) {
    const auto caps = io::read_captions(o.caption);
    const auto a = io::attach_aux(train, caps, {});
    const auto b = io::attach_aux(dev, caps, {});
    std::cerr << "ground: captions for " << a.captions << "/" << train.size() << " training and " << b.captions << "/"
              << dev.size() << " dev posts\n";
    caption_info = {{"file", o.caption}, {"hash", file_hash(o.caption)}};
  }
  at::set_num_threads(1);
  nlohmann::json hist;
  grounding::Grounder g;
  g.cls = grounding::train_classifier(train, cfg, o.c, &hist);
  std::map<std::string, grounding::BinaryScores> by_type;
  const auto dev_s = grounding::evaluate_classifier(g.cls, dev, &by_type);
  const auto maj = grounding::majority_baseline(train, dev);
  std::cerr << "ground: " << st.groundable_entities << " groundable training entities; dev accuracy " << dev_s.accuracy()
            << " F1(groundable) " << dev_s.f1() << " (majority baseline: accuracy " << maj.accuracy() << ", F1 "
            << maj.f1() << "); groundable_score log loss " << dev_s.log_loss() << " (prior " << maj.log_loss()
            << "), Brier " << dev_s.brier() << ", ECE " << dev_s.ece() << "\n";
  nlohmann::json summary = {{"model", o.output}, {"dev", dev_s.to_json()}, {"dev_majority", maj.to_json()},
                            {"dev_per_type", nlohmann::json::object()},
                            {"caption", o.caption}, {"history", hist}};

  for (const auto& [t, b] : by_type) summary["dev_per_type"][t] = b.to_json();
  // Region scorer: priors, refined with the KL objective when training images exist.
  if (!o.images.empty() || !o.regions.empty()) {
    grounding::GroundRuntime rt;
    rt.sources = o.sources;
    rt.images_dir = o.images;
    rt.vinvl_dir = o.regions;
    rt.vinvl_top_k = o.top_k;
    grounding::ImageAnalyser an(rt);
    const auto tr = analysable(train, an, o);
    const auto dv = analysable(dev, an, o);
    std::vector<grounding::RegionExample> ex;
    long covered = 0, total = 0;
    for (const auto& [p, a] : tr.items)
      for (size_t i = 0; i < p->entities.size(); ++i)
        if (p->entities[i].groundable) {
          ++total;
          ex.push_back(grounding::region_example(*p, static_cast<int>(i), a->cands, a->width, a->height));
          covered += !ex.back().target.empty();
        }
    nlohmann::json rlog;
    const grounding::RegionScorer prior;
    g.scorer = grounding::train_regions(ex, prior, o.r, &rlog);
    summary["regions"] = {{"train_images", tr.items.size()}, {"train_missing_images", tr.missing},
                          {"train_groundable", total}, {"train_covered", covered},
                          {"dev_images", dv.items.size()}, {"dev_prior", box_accuracy(prior, dv)},
                          {"dev_trained", box_accuracy(g.scorer, dv)}, {"train_prior", box_accuracy(prior, tr)},
                          {"train_trained", box_accuracy(g.scorer, tr)}, {"history", rlog},
                          {"weights", g.scorer.to_json()}};
    std::cerr << "ground: region scorer trained on " << covered << " covered of " << total << " groundable entities in "
              << tr.items.size() << " training images (" << tr.missing << " images missing)\n";
  }
  ModelSection sec = g.to_section();
  sec.header["data"] = {{"train", {{"file", o.train}, {"hash", file_hash(o.train)}, {"posts", train.size()}}},
                        {"dev", {{"file", o.dev}, {"hash", file_hash(o.dev)}, {"posts", dev.size()}}},
                        {"caption", caption_info}, {"images", o.images}, {"regions", o.regions}};
  sec.header["train"] = {{"seed", o.c.seed}, {"epochs", o.c.epochs}, {"lr", o.c.lr}, {"dev", dev_s.to_json()}};
  ModelFile mf;
  std::vector<std::string> stages;
  if (!o.base.empty()) {
    mf.meta = base.meta;
    for (const auto& s : base.sections())
      if (s.name != grounding::kGroundSection) mf.set_section(s);
    if (base.meta.contains("stages") && base.meta["stages"].is_array())
      for (const auto& n : base.meta["stages"])
        if (n != grounding::kGroundSection) stages.push_back(n.get<std::string>());
    if (stages.empty())
      for (const auto& s : base.sections())
        if (s.name != grounding::kGroundSection) stages.push_back(s.name);
  }
  stages.push_back(grounding::kGroundSection);
  mf.meta["stages"] = stages;
  mf.meta["created_by"] = "mie 0.1.0";
  mf.set_section(std::move(sec));
  mf.save(o.output);
  std::cerr << "ground: wrote " << o.output << "\n";
  std::cout << summary.dump() << "\n";
  return 0;
}

TrainRegistrar reg("ground", "Train grounding: groundability classifier (+ region scorer with the H-Index KL objective when images exist)",
                   [](CLI::App& app) {
  auto o = std::make_shared<Opts>();
  app.add_option("--train", o->train, "Training GMNER CoNLL file")->required();
  app.add_option("--dev", o->dev, "Development GMNER CoNLL file (reported accuracy/F1)")->required();
  app.add_option("--xml", o->xml, "VOC xml directory with the gold boxes")->required();
  add_model_output_option(app, o->output);
  app.add_option("--base", o->base, "Model file whose stages (e.g. ner) are copied before \"ground\"");
  app.add_option("--caption", o->caption, "Image captions JSONL ({\"image\",\"caption\"}): caption features");
  app.add_option("--images", o->images, "Directory of <IMGID>.jpg images: train/score the region scorer");
  app.add_option("--regions", o->regions, "Directory of VinVL <IMGID>.jpg.npz: train/score the region scorer on them");
  app.add_option("--sources", o->sources, "Detectors for --images")->capture_default_str();
  app.add_option("--top-k", o->top_k, "VinVL regions kept per image")->capture_default_str();
  app.add_option("--hash-bits", o->hash_bits, "log2 of the hashed feature space")->capture_default_str()->check(CLI::Range(4, 24));
  app.add_option("--seed", o->c.seed, "Random seed")->capture_default_str();
  app.add_option("--epochs", o->c.epochs, "Classifier epochs")->capture_default_str();
  app.add_option("--lr", o->c.lr, "Classifier Adam learning rate")->capture_default_str();
  app.add_option("--l2", o->c.l2, "Classifier L2 on the sparse weights")->capture_default_str();
  app.add_option("--hidden", o->c.hidden, "Classifier hidden units (0 = logistic regression, >0 = MLP)")->capture_default_str();
  app.add_option("--region-epochs", o->r.epochs, "Region scorer full-batch Adam steps")->capture_default_str();
  app.add_option("--region-l2", o->r.l2, "Region scorer pull towards the priors")->capture_default_str();
  return [o]() -> int { return run(*o); };
});

}  // namespace
}  // namespace mie::cli
