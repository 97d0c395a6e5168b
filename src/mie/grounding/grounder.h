// mie/grounding/grounder.h — the grounding step: for each entity, groundable or not and its box.
//
//   mie::grounding::Grounder g = mie::grounding::Grounder::from_section(mf.section("ground"));
//   mie::grounding::ImageAnalyser an(mie::grounding::GroundRuntime{.sources = "face,object,text,image"});
//   const mie::grounding::Analysis* a = an.analyse(post);   // nullptr: post has no image
//   g.ground(post, a);       // sets Entity::groundable, boxes (original pixels), region (VinVL)
//   mie::grounding::ground_posts(g, an, posts);   // the same for a batch; skips entity-less posts
//
// Decision: p = sigmoid(classifier logit [+ detector rule when an image was analysed]);
// groundable when p >= threshold. With an image, the RegionScorer's argmax gives the box; when
// that is the whole-image candidate (the fallback: nothing better was found) and p < fallback_p,
// the entity is marked not groundable instead (docs/grounding.md). Without an image: groundable
// from text+caption only, no boxes (mie eval's box mode then counts it as not grounded).
// VinVL mode (runtime.vinvl_dir): candidates are the whole image + the top-k regions of
// <vinvl_dir>/<image name>.npz in score order; Entity::region is the chosen region's index in
// that top-k list (eval --regions), -1 for the whole image.
// Thread safety: a const Grounder is pure. ImageAnalyser caches analyses by path and is NOT
// thread-safe; use one per thread or request. Its detectors load lazily on first use; analysers
// given the same SharedDetectors load them once and run them concurrently (a server's requests).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mie/core/model_file.h"
#include "mie/grounding/classifier.h"
#include "mie/grounding/regions.h"
#include "mie/vision/candidate.h"

namespace mie::vision {
class RegionProposer;
}

namespace mie::grounding {

inline constexpr const char* kGroundSection = "ground";

struct GroundRuntime {
  std::string sources = "face,object,text,image";  // detectors (vision::ProposerOptions::with_sources)
  int text_size = 736;      // text detector's long side (vision::TextOptions::input_size)
  int face_size = 640;      // face detector's long side at most (vision::FaceOptions::max_side)
  std::string vinvl_dir;    // use VinVL <name>.npz regions instead of the detectors
  int vinvl_top_k = 16;
  std::string images_dir;   // relative image paths are resolved against this
  std::string assets_dir;   // "" = mie::assets_dir()
  nlohmann::json to_json() const;
  static GroundRuntime from_json(const nlohmann::json& j);
  std::string resolve(const std::string& image_path) const;  // relative paths under images_dir
};

struct Analysis {
  std::vector<vision::Candidate> cands;  // always includes the whole image
  int width = 0, height = 0;
  int vinvl_offset = -1;  // index of the first VinVL candidate, -1 when none
  ImageSummary summary;
};

// The region proposers of one runtime, loaded on the first get() (thread-safe) and shared: propose()
// may run on several threads at once (vision/proposer.h).
class SharedDetectors {
 public:
  explicit SharedDetectors(GroundRuntime rt);
  ~SharedDetectors();
  // The process's instance for rt's detector settings (sources, sizes, assets): made on first
  // request, kept while someone holds it. The grounding stage and `mie serve`'s /detect share it.
  static std::shared_ptr<SharedDetectors> for_runtime(const GroundRuntime& rt);
  vision::RegionProposer& get();  // a load error (missing or wrong model files) throws, and the next call retries
  bool loaded() const;

 private:
  GroundRuntime rt_;
  mutable std::mutex mu_;
  std::unique_ptr<vision::RegionProposer> proposer_;
};

class ImageAnalyser {
 public:
  // `detectors`: shared, already loaded or not; none = this analyser's own (loaded on first use).
  explicit ImageAnalyser(GroundRuntime rt, std::shared_ptr<SharedDetectors> detectors = nullptr);
  ~ImageAnalyser();
  // nullptr when the post has no image (or an empty path); throws mie::Error for missing files.
  const Analysis* analyse(const Post& p);
  // The image's header only (no decoding, no detectors): fills in the size when unknown; throws
  // mie::Error naming the file when it is missing or not an image. No-op without an image.
  void read_size(Post& p) const;
  std::string resolve(const std::string& path) const;
  size_t cached() const { return cache_.size(); }

 private:
  GroundRuntime rt_;
  std::shared_ptr<SharedDetectors> detectors_;
  std::map<std::string, Analysis> cache_;
};

// Builds an Analysis from given candidates (adds the whole image when absent).
Analysis make_analysis(std::vector<vision::Candidate> cands, int width, int height, int vinvl_offset = -1);

class Grounder {
 public:
  GroundClassifier cls;
  RegionScorer scorer;
  float fallback_p = 0.75f;

  void ground(Post& p, const Analysis* a) const;
  ModelSection to_section() const;  // named kGroundSection
  static Grounder from_section(const ModelSection& s);
};

// Grounds every post. For a post without entities the detectors are not run: only the image
// header is read (read_size), so a missing or non-image file is still an error.
void ground_posts(const Grounder& g, ImageAnalyser& an, std::vector<Post>& posts);

}  // namespace mie::grounding
