#include "mie/core/post.h"

#include <algorithm>

namespace mie {

float iou(const Box& a, const Box& b) {
  const float ix = std::max(0.f, std::min(a.x2, b.x2) - std::max(a.x1, b.x1));
  const float iy = std::max(0.f, std::min(a.y2, b.y2) - std::max(a.y1, b.y1));
  const float inter = ix * iy;
  const float uni = a.area() + b.area() - inter;
  return uni > 0.f ? inter / uni : 0.f;
}

std::string join(const std::vector<std::string>& tokens, int start, int end, const std::string& sep) {
  std::string out;
  for (int i = std::max(0, start); i < end && i < static_cast<int>(tokens.size()); ++i) {
    if (i > start) out += sep;
    out += tokens[static_cast<size_t>(i)];
  }
  return out;
}

std::string span_text(const Post& p, const Entity& e) { return join(p.tokens, e.start, e.end, " "); }

}  // namespace mie
