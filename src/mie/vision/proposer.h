// mie/vision/proposer.h — region proposals for one image from all enabled detectors.
//
//   mie::vision::ProposerOptions opt = mie::vision::ProposerOptions::with_sources("face,object,text,image");
//   mie::vision::RegionProposer rp(opt);                  // loads models from mie::assets_dir()
//   cv::Mat bgr = mie::vision::load_image("samples/70560.jpg");
//   std::vector<mie::vision::Candidate> cands = rp.propose(bgr);   // image, faces, objects, text
//   auto vinvl = mie::vision::vinvl_candidates("samples/70560.jpg.npz", 32, bgr.size());
//
// Model files are looked up under the assets directory (<assets>/yunet/..., yolo-fastest/...,
// ppocr-det/...); a missing file, a sha256 that disagrees with <assets>/SHA256SUMS, or a file
// mie cannot load throws mie::Error naming the file. Only the enabled sources' models load.
// Order of the result: "image" (whole image, score 1), then faces, objects and text lines,
// each by the detector's own order.
// Thread safety: propose() may be called from several threads at once. The three networks are
// immutable (libtorch, onnx_net.h / darknet.h) and run concurrently; only the OCR reader (one
// stateful Tesseract) serialises on its mutex. Set torch's intra-op threads (at::set_num_threads)
// to choose how many cores one call uses.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "mie/vision/candidate.h"
#include "mie/vision/face.h"
#include "mie/vision/object.h"
#include "mie/vision/ocr.h"
#include "mie/vision/text.h"

namespace mie::vision {

inline constexpr const char* kYunetFile = "yunet/yunet_n_320_320.onnx";
inline constexpr const char* kYoloCfgFile = "yolo-fastest/yolo-fastest-1.1-xl.cfg";
inline constexpr const char* kYoloWeightsFile = "yolo-fastest/yolo-fastest-1.1-xl.weights";
inline constexpr const char* kCocoNamesFile = "yolo-fastest/coco.names";
inline constexpr const char* kPpocrFile = "ppocr-det/en_PP-OCRv3_det_cv46.onnx";

struct ProposerOptions {
  bool face = true, object = true, text = true, image = true;
  bool ocr = true;             // read text lines with Tesseract (text source only)
  std::string assets_dir;      // "" = mie::assets_dir()
  bool verify_sha256 = true;   // against <assets>/SHA256SUMS when present
  FaceOptions face_opt;
  ObjectOptions object_opt;
  TextOptions text_opt;
  OcrOptions ocr_opt;

  // "face,object,text,image" (any subset, comma-separated; "all"; "none" or "" for none).
  // Unknown names throw mie::Error.
  static ProposerOptions with_sources(const std::string& csv);
};

class RegionProposer {
 public:
  explicit RegionProposer(ProposerOptions opt = {});
  ~RegionProposer();
  std::vector<Candidate> propose(const cv::Mat& bgr);
  const ProposerOptions& options() const { return opt_; }

  // The loaded detectors (null when their source is off), e.g. for per-detector timing.
  FaceDetector* face() { return face_.get(); }
  ObjectDetector* object() { return object_.get(); }
  TextDetector* text() { return text_.get(); }
  OcrReader* ocr() { return ocr_.get(); }

 private:
  ProposerOptions opt_;
  std::unique_ptr<FaceDetector> face_;
  std::unique_ptr<ObjectDetector> object_;
  std::unique_ptr<TextDetector> text_;
  std::unique_ptr<OcrReader> ocr_;
};

// VinVL regions (io/npz.h read_vinvl) as candidates: source "vinvl", label = object name,
// attribute = attr_obj, feature = the 2048-d box feature when present, sorted by score.
// top_k <= 0 keeps all. When image_size is given and differs from the file's image_w/image_h,
// boxes are rescaled to it; boxes are clamped to the image.
std::vector<Candidate> vinvl_candidates(const std::string& npz_path, int top_k = 0, cv::Size image_size = {});

// Whole-image candidate: source "image", label "image", score 1.
Candidate whole_image_candidate(int width, int height);

}  // namespace mie::vision
