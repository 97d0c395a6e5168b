// `mie detect`: region proposals (faces, COCO objects, text lines with OCR, whole image, VinVL)
// for one image, printed as one JSON object on stdout; --draw writes an annotated PNG.
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/engine_commands.h"
#include "mie/core/error.h"
#include "mie/vision/draw.h"
#include "mie/vision/image.h"
#include "mie/vision/proposer.h"

namespace {

struct Opts {
  std::string image;
  std::string draw;
  std::string sources = "face,object,text,image";
  std::string vinvl;
  int vinvl_top_k = 0;
  bool no_ocr = false;
  long long max_pixels = 50'000'000;
  int text_size = 736, face_size = 640;
};

mie::cli::Registrar reg(
    "detect", mie::cli::engine_help("detect"),
    [](CLI::App& app) {
      auto o = std::make_shared<Opts>();
      app.add_option("--image", o->image, "Image file (JPEG or PNG, detected by content)")->required();
      app.add_option("--draw", o->draw, "Write the image annotated with the candidates to this PNG file");
      app.add_option("--sources", o->sources, "Comma-separated detectors: face,object,text,image (or all, none)")
          ->capture_default_str();
      app.add_option("--vinvl", o->vinvl, "VinVL features (<image>.jpg.npz) to add as 'vinvl' candidates");
      app.add_option("--vinvl-top-k", o->vinvl_top_k, "Keep the top K VinVL regions (0 = all)")->capture_default_str();
      app.add_flag("--no-ocr", o->no_ocr, "Detect text lines without reading them with Tesseract");
      mie::cli::add_detector_size_options(app, o->text_size, o->face_size);
      app.add_option("--max-pixels", o->max_pixels, "Refuse images with more pixels than this")->capture_default_str();
      return [o]() -> int {
        mie::vision::LoadOptions lo;
        lo.max_pixels = o->max_pixels;
        cv::Mat bgr = mie::vision::load_image(o->image, lo);
        mie::vision::ProposerOptions po = mie::vision::ProposerOptions::with_sources(o->sources);
        po.ocr = !o->no_ocr;
        po.text_opt.input_size = o->text_size;
        po.face_opt.max_side = o->face_size;
        mie::vision::RegionProposer rp(po);
        std::vector<mie::vision::Candidate> cands = rp.propose(bgr);
        if (!o->vinvl.empty())
          for (auto& c : mie::vision::vinvl_candidates(o->vinvl, o->vinvl_top_k, bgr.size())) cands.push_back(std::move(c));
        std::cout << mie::vision::detection_json(o->image, bgr.cols, bgr.rows, cands).dump() << "\n";
        if (!o->draw.empty()) {
          mie::vision::save_png(mie::vision::draw_candidates(bgr, cands), o->draw);
          std::cerr << "mie detect: wrote " << o->draw << "\n";
        }
        return 0;
      };
    });

}  // namespace
