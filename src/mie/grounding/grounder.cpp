#include "mie/grounding/grounder.h"

#include <filesystem>

#include "mie/core/error.h"
#include "mie/io/npz.h"
#include "mie/vision/image.h"
#include "mie/vision/proposer.h"

namespace mie::grounding {

nlohmann::json GroundRuntime::to_json() const {
  return {{"sources", sources}, {"text_size", text_size}, {"face_size", face_size}, {"vinvl_dir", vinvl_dir}, {"vinvl_top_k", vinvl_top_k}, {"images_dir", images_dir},
          {"assets_dir", assets_dir}};
}

GroundRuntime GroundRuntime::from_json(const nlohmann::json& j) {
  GroundRuntime r;
  r.sources = j.value("sources", r.sources);
  r.text_size = j.value("text_size", r.text_size);
  r.face_size = j.value("face_size", r.face_size);
  r.vinvl_dir = j.value("vinvl_dir", r.vinvl_dir);
  r.vinvl_top_k = j.value("vinvl_top_k", r.vinvl_top_k);
  r.images_dir = j.value("images_dir", r.images_dir);
  r.assets_dir = j.value("assets_dir", r.assets_dir);
  return r;
}

Analysis make_analysis(std::vector<vision::Candidate> cands, int width, int height, int vinvl_offset) {
  Analysis a;
  bool whole = false;
  for (const auto& c : cands) whole |= c.source == "image";
  if (!whole) {
    cands.insert(cands.begin(), vision::whole_image_candidate(width, height));
    if (vinvl_offset >= 0) ++vinvl_offset;
  }
  a.cands = std::move(cands);
  a.width = width;
  a.height = height;
  a.vinvl_offset = vinvl_offset;
  a.summary = summarise(a.cands);
  return a;
}

SharedDetectors::SharedDetectors(GroundRuntime rt) : rt_(std::move(rt)) {}
SharedDetectors::~SharedDetectors() = default;

vision::RegionProposer& SharedDetectors::get() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!proposer_) {
    auto opt = vision::ProposerOptions::with_sources(rt_.sources);
    opt.assets_dir = rt_.assets_dir;
    opt.text_opt.input_size = rt_.text_size;
    opt.face_opt.max_side = rt_.face_size;
    proposer_ = std::make_unique<vision::RegionProposer>(opt);
  }
  return *proposer_;
}

std::shared_ptr<SharedDetectors> SharedDetectors::for_runtime(const GroundRuntime& rt) {
  static std::mutex mu;
  static std::map<std::string, std::weak_ptr<SharedDetectors>> made;
  const std::string key = nlohmann::json{rt.sources, rt.text_size, rt.face_size, rt.assets_dir}.dump();
  std::lock_guard<std::mutex> lock(mu);
  std::shared_ptr<SharedDetectors> d = made[key].lock();
  if (!d) {
    d = std::make_shared<SharedDetectors>(rt);
    made[key] = d;
  }
  return d;
}

bool SharedDetectors::loaded() const {
  std::lock_guard<std::mutex> lock(mu_);
  return proposer_ != nullptr;
}

ImageAnalyser::ImageAnalyser(GroundRuntime rt, std::shared_ptr<SharedDetectors> detectors)
    : rt_(std::move(rt)), detectors_(detectors ? std::move(detectors) : std::make_shared<SharedDetectors>(rt_)) {}
ImageAnalyser::~ImageAnalyser() = default;

std::string GroundRuntime::resolve(const std::string& path) const {
  if (images_dir.empty() || std::filesystem::path(path).is_absolute()) return path;
  return (std::filesystem::path(images_dir) / path).string();
}

std::string ImageAnalyser::resolve(const std::string& path) const { return rt_.resolve(path); }

const Analysis* ImageAnalyser::analyse(const Post& p) {
  if (!p.image || (p.image->path.empty() && !p.image->data)) return nullptr;
  if (p.image->data) {  // in memory: analysed once per buffer
    const std::string key = "\x01memory:" + std::to_string(reinterpret_cast<uintptr_t>(p.image->data.get()));
    if (auto it = cache_.find(key); it != cache_.end()) return &it->second;
    const cv::Mat bgr = vision::decode_image(*p.image->data, p.image->path);
    return &cache_.emplace(key, make_analysis(detectors_->get().propose(bgr), bgr.cols, bgr.rows)).first->second;
  }
  const std::string path = resolve(p.image->path);
  if (auto it = cache_.find(path); it != cache_.end()) return &it->second;
  Analysis a;
  if (!rt_.vinvl_dir.empty()) {
    const std::string npz =
        (std::filesystem::path(rt_.vinvl_dir) / (std::filesystem::path(path).filename().string() + ".npz")).string();
    cv::Size size;
    if (std::filesystem::exists(path)) {
      const auto h = vision::read_image_header(path);
      size = cv::Size(h.shown_width(), h.shown_height());
    }
    if (size.width == 0) {  // no image file: the size recorded in the npz
      const auto r = io::read_vinvl(npz, 1);
      size = cv::Size(r.image_w, r.image_h);
    }
    auto cands = vision::vinvl_candidates(npz, rt_.vinvl_top_k, size);
    a = make_analysis(std::move(cands), size.width, size.height, 0);
  } else {
    const cv::Mat bgr = vision::load_image(path);
    a = make_analysis(detectors_->get().propose(bgr), bgr.cols, bgr.rows);
  }
  return &cache_.emplace(path, std::move(a)).first->second;
}

void ImageAnalyser::read_size(Post& p) const {
  if (!p.image) return;
  if (p.image->data) {  // decoded to check it and to know its size
    const cv::Mat bgr = vision::decode_image(*p.image->data, p.image->path);
    if (p.image->width <= 0 && p.image->height <= 0) {
      p.image->width = bgr.cols;
      p.image->height = bgr.rows;
    }
    return;
  }
  if (p.image->path.empty()) return;
  const std::string path = resolve(p.image->path);
  if (!rt_.vinvl_dir.empty() && !std::filesystem::exists(path)) return;  // VinVL mode needs no image file
  const auto h = vision::read_image_header(path);
  if (p.image->width > 0 || p.image->height > 0) return;
  p.image->width = h.shown_width();
  p.image->height = h.shown_height();
}

void ground_posts(const Grounder& g, ImageAnalyser& an, std::vector<Post>& posts) {
  for (Post& p : posts) {
    if (p.entities.empty())
      an.read_size(p);
    else
      g.ground(p, an.analyse(p));
  }
}

void Grounder::ground(Post& p, const Analysis* a) const {
  if (a && p.image && p.image->width <= 0 && p.image->height <= 0) {  // report the analysed size
    p.image->width = a->width;
    p.image->height = a->height;
  }
  for (size_t i = 0; i < p.entities.size(); ++i) {
    Entity& e = p.entities[i];
    const float prob = cls.prob(p, static_cast<int>(i), a ? &a->summary : nullptr);
    e.groundable = prob >= cls.threshold;
    e.groundable_score = prob;
    e.boxes.clear();
    e.region = -1;
    if (!e.groundable || !a) continue;
    const RegionChoice c = scorer.choose(p, static_cast<int>(i), a->cands, a->width, a->height);
    if (c.index < 0 || (c.whole_image && prob < fallback_p)) {
      e.groundable = false;
      continue;
    }
    e.boxes = {c.box};
    if (a->vinvl_offset >= 0 && c.index >= a->vinvl_offset) e.region = c.index - a->vinvl_offset;
  }
}

ModelSection Grounder::to_section() const {
  ModelSection s;
  s.name = kGroundSection;
  cls.save(s);
  s.header["regions"] = {{"weights", scorer.to_json()}, {"fallback_p", fallback_p}};
  s.header["arch"] = "ground-logreg-regions";
  s.header["version"] = 1;
  return s;
}

Grounder Grounder::from_section(const ModelSection& s) {
  Grounder g;
  g.cls = GroundClassifier::load(s);
  if (s.header.contains("regions")) {
    g.scorer = RegionScorer::from_json(s.header["regions"].value("weights", nlohmann::json::object()));
    g.fallback_p = s.header["regions"].value("fallback_p", g.fallback_p);
  }
  return g;
}

}  // namespace mie::grounding
