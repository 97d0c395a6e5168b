// `mie train ground`: trains the grounding stage (section "ground"): the groundability classifier
// on gold GMNER entities (groundable = the entity has boxes in the VOC xml) and, when images
// (--images) or VinVL regions (--regions) exist for training posts, refines the region scorer's
// prior weights with the H-Index KL objective. --base copies an existing model file's stages
// (e.g. ner) first, so one file does entities + types + groundable + boxes.
//
//   mie train ground --train gmner/train.txt --dev gmner/dev.txt --xml gmner/xml
//       --caption aux/captions-blip2.jsonl --base models/gmner.mie -o models/gmner-ground.mie
#include <ATen/Parallel.h>

#include <iostream>
#include <memory>

#include "cli/train_registry.h"
#include "mie/version.h"
#include "mie/core/error.h"
#include "mie/core/model_file.h"
#include "mie/grounding/grounder.h"
#include "mie/grounding/ground_train.h"
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

int run(const Opts& o) {
  if (!o.images.empty() && !o.regions.empty()) throw Error("give --images or --regions, not both");
  auto train = io::read_conll(o.train);
  auto dev = io::read_conll(o.dev);
  ModelFile mf;
  if (!o.base.empty()) mf = ModelFile::load(o.base);  // its stages come first, "ground" after them
  io::attach_voc_boxes(train, o.xml);
  io::attach_voc_boxes(dev, o.xml, false);
  grounding::GroundTrainOptions opt;
  opt.features.hash_bits = o.hash_bits;
  opt.features.caption = !o.caption.empty();
  opt.classifier = o.c;
  opt.region = o.r;
  opt.regions = !o.images.empty() || !o.regions.empty();
  opt.runtime.sources = o.sources;
  opt.runtime.images_dir = o.images;
  opt.runtime.vinvl_dir = o.regions;
  opt.runtime.vinvl_top_k = o.top_k;
  nlohmann::json caption_info = nullptr;
  if (opt.features.caption) {
    const auto caps = io::read_captions(o.caption);
    const auto a = io::attach_aux(train, caps, {});
    const auto b = io::attach_aux(dev, caps, {});
    std::cerr << "ground: captions for " << a.captions << "/" << train.size() << " training and " << b.captions << "/"
              << dev.size() << " dev posts\n";
    caption_info = {{"file", o.caption}, {"hash", file_hash(o.caption)}};
  }
  at::set_num_threads(1);
  const auto r = grounding::train_grounding(train, dev, opt, [](const std::string& m) { std::cerr << m << "\n"; });
  nlohmann::json summary = r.summary;
  summary["model"] = o.output;
  summary["caption"] = o.caption;
  ModelSection sec = r.grounder.to_section();
  sec.header["data"] = {{"train", {{"file", o.train}, {"hash", file_hash(o.train)}, {"posts", train.size()}}},
                        {"dev", {{"file", o.dev}, {"hash", file_hash(o.dev)}, {"posts", dev.size()}}},
                        {"caption", caption_info}, {"images", o.images}, {"regions", o.regions}};
  sec.header["train"] = {{"seed", o.c.seed}, {"epochs", o.c.epochs}, {"lr", o.c.lr}, {"dev", r.dev.to_json()}};
  mf.meta["created_by"] = MIE_VERSION_STRING;
  mf.set_section(std::move(sec));  // replaces a base's "ground" in its place, else runs last
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
