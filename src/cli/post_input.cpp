#include "cli/post_input.h"

#include "cli/command.h"

namespace mie::cli {

void add_ground_options(CLI::App& app, Options& o) {
  app.add_option("--images", o.images_dir,
                 "Directory of images: relative image paths resolve here (mie predict: CoNLL posts use <IMGID>.jpg)");
  app.add_option("--regions,--sources", o.detectors, "Grounding detectors: face,object,text,image (any subset)")
      ->capture_default_str();
  add_detector_size_options(app, o.text_size, o.face_size);
  app.add_option("--vinvl", o.vinvl_dir, "Grounding on VinVL regions: directory of <image>.npz (Entity.region = top-k index)");
  app.add_option("--vinvl-top-k", o.vinvl_top_k, "VinVL regions per image (eval --top-k)")->capture_default_str();
  app.add_option("--relation-threshold", o.relation_threshold,
                 "Relation stage: lowest score of a relation written (-1 = the model's, calibrated on dev)")
      ->check(CLI::Range(-1.f, 1.f))
      ->capture_default_str();
}

}  // namespace mie::cli
