// mie/grounding/ground_train.h — train the grounding stage (what `mie train ground` runs).
//
//   std::vector<mie::Post> train = ..., dev = ...;   // gold GMNER posts: boxes (io::attach_voc_boxes), captions
//   mie::grounding::GroundTrainOptions opt;
//   opt.features.caption = true;                     // the posts carry captions
//   opt.regions = true;  opt.runtime.images_dir = "images/";   // refine the region scorer on images
//   auto r = mie::grounding::train_grounding(train, dev, opt, [](const std::string& m) { std::cerr << m << "\n"; });
//   mie::ModelSection s = r.grounder.to_section();   // the "ground" section
//
// The groundability classifier learns Entity::groundable (= the entity has gold boxes) of the
// training posts and is scored on dev (accuracy, F1, calibration, against the majority baseline).
// With `regions`, the region scorer's prior weights are refined with the H-Index KL objective on
// the training posts whose image (or VinVL npz, runtime.vinvl_dir) exists, and scored on dev's.
// Progress messages go to `progress` (none when empty). Deterministic for the seeds in the options.
// Thread safety: one training per process (torch's thread pool and RNG).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mie/core/train_log.h"
#include "mie/core/post.h"
#include "mie/grounding/classifier.h"
#include "mie/grounding/features.h"
#include "mie/grounding/grounder.h"
#include "mie/grounding/region_train.h"

namespace mie::grounding {

struct GroundTrainOptions {
  FeatureConfig features;
  ClassifierTrainOptions classifier;
  RegionTrainOptions region;
  bool regions = false;   // refine the region scorer (needs images or VinVL regions: runtime)
  GroundRuntime runtime;  // detectors, images_dir, vinvl_dir / vinvl_top_k
};

struct GroundTrainResult {
  Grounder grounder;
  BinaryScores dev;        // the classifier on dev
  nlohmann::json summary;  // dev scores, baseline, per type, history, region scorer figures
};


GroundTrainResult train_grounding(const std::vector<Post>& train, const std::vector<Post>& dev,
                                  const GroundTrainOptions& opt, const TrainLog& progress = {});

}  // namespace mie::grounding
