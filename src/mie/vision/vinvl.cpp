// VinVL region features -> candidates (declared in proposer.h).
#include <algorithm>
#include <numeric>

#include "mie/core/error.h"
#include "mie/io/npz.h"
#include "mie/vision/proposer.h"

namespace mie::vision {

std::vector<Candidate> vinvl_candidates(const std::string& npz_path, int top_k, cv::Size image_size) {
  mie::io::VinvlRegions r = mie::io::read_vinvl(npz_path, 0);
  const size_t n = r.boxes.size();
  if (r.scores.size() != n || r.objects.size() != n)
    throw mie::Error(npz_path + ": VinVL arrays disagree: " + std::to_string(n) + " boxes, " +
                     std::to_string(r.scores.size()) + " scores, " + std::to_string(r.objects.size()) + " labels");
  if (!r.attributes.empty() && r.attributes.size() != n)
    throw mie::Error(npz_path + ": VinVL attr_obj has " + std::to_string(r.attributes.size()) + " entries for " +
                     std::to_string(n) + " boxes");
  const int dim = r.feature_dim;
  if (!r.features.empty() && (dim <= 0 || r.features.size() != n * size_t(dim)))
    throw mie::Error(npz_path + ": VinVL box_features size does not match " + std::to_string(n) + " boxes");
  float sx = 1.f, sy = 1.f;
  int w = r.image_w, h = r.image_h;
  if (!image_size.empty()) {
    if (r.image_w > 0 && r.image_h > 0) {
      sx = float(image_size.width) / r.image_w;
      sy = float(image_size.height) / r.image_h;
    }
    w = image_size.width;
    h = image_size.height;
  }
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return r.scores[a] > r.scores[b]; });
  if (top_k > 0 && size_t(top_k) < n) order.resize(size_t(top_k));
  std::vector<Candidate> out;
  for (size_t i : order) {
    Candidate c;
    c.source = "vinvl";
    c.label = r.objects[i];
    c.score = r.scores[i];
    const Box& b = r.boxes[i];
    c.box = {b.x1 * sx, b.y1 * sy, b.x2 * sx, b.y2 * sy};
    if (w > 0 && h > 0) c.box = clamp_box(c.box, w, h);
    if (!r.attributes.empty()) c.attribute = r.attributes[i];
    if (!r.features.empty()) c.feature.assign(r.features.begin() + i * dim, r.features.begin() + (i + 1) * dim);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace mie::vision
