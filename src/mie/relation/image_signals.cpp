#include "mie/relation/image_signals.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "mie/text/features.h"

namespace mie::relation {

namespace {
const char* const kCoco[80] = {
    "person", "bicycle", "car", "motorbike", "aeroplane", "bus", "train", "truck", "boat", "traffic light",
    "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog", "horse", "sheep", "cow",
    "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella", "handbag", "tie", "suitcase", "frisbee",
    "skis", "snowboard", "sports ball", "kite", "baseball bat", "baseball glove", "skateboard", "surfboard",
    "tennis racket", "bottle", "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple",
    "sandwich", "orange", "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "sofa",
    "pottedplant", "bed", "diningtable", "toilet", "tvmonitor", "laptop", "mouse", "remote", "keyboard",
    "cell phone", "microwave", "oven", "toaster", "sink", "refrigerator", "book", "clock", "vase", "scissors",
    "teddy bear", "hair drier", "toothbrush"};

std::vector<std::string> words_of(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80 || c == '\'') {
      cur += c;
    } else if (!cur.empty()) {
      out.push_back(text::lookup_key(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(text::lookup_key(cur));
  return out;
}

// Mean of the vectors of `words` (first kCaptionDim dims); false when none has a vector.
bool mean_vector(const std::vector<std::string>& words, const WordVectors& wv, std::vector<float>& out) {
  out.assign(kCaptionDim, 0.f);
  if (!wv.find || wv.dim <= 0) return false;
  const int d = std::min(wv.dim, kCaptionDim);
  int n = 0;
  for (const auto& w : words) {
    const float* v = wv.find(w);
    if (!v) continue;
    for (int i = 0; i < d; ++i) out[i] += v[i];
    ++n;
  }
  if (n == 0) return false;
  for (auto& x : out) x /= static_cast<float>(n);
  return true;
}

std::vector<std::string> image_words(const ImageSignals& s) {
  std::vector<std::string> w = words_of(s.caption);
  for (const auto& c : s.objects) {
    for (auto& x : words_of(c.label)) w.push_back(std::move(x));
    for (auto& x : words_of(c.text)) w.push_back(std::move(x));
  }
  return w;
}

float arg_in(const std::vector<std::string>& tokens, const RelArg& a, const std::unordered_set<std::string>& bag) {
  int n = 0, hit = 0;
  for (int i = a.start; i < a.end; ++i) {
    const std::string k = text::lookup_key(tokens[i]);
    if (k.empty()) continue;
    ++n;
    hit += bag.count(k) ? 1 : 0;
  }
  return n ? static_cast<float>(hit) / static_cast<float>(n) : 0.f;
}
}  // namespace

int object_slot(const std::string& label) {
  static const std::unordered_map<std::string, int> idx = [] {
    std::unordered_map<std::string, int> m;
    for (int i = 0; i < 80; ++i) m.emplace(kCoco[i], i);
    m.emplace("motorcycle", 3);
    m.emplace("airplane", 4);
    m.emplace("couch", 57);
    m.emplace("potted plant", 58);
    m.emplace("dining table", 60);
    m.emplace("tv", 62);
    m.emplace("face", 80);
    m.emplace("text", 81);
    return m;
  }();
  auto it = idx.find(text::to_lower(label));
  return it == idx.end() ? 82 : it->second;
}

float estimate_relevance(const ImageSignals& s, const std::vector<std::string>& tokens, const WordVectors& wv) {
  if (!s.present) return 0.f;
  const std::vector<std::string> img = image_words(s);
  if (img.empty()) return 0.f;
  std::vector<std::string> txt;
  for (const auto& t : tokens) txt.push_back(text::lookup_key(t));
  std::vector<float> a, b;
  if (mean_vector(txt, wv, a) && mean_vector(img, wv, b)) {
    double dot = 0, na = 0, nb = 0;
    for (int i = 0; i < kCaptionDim; ++i) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    if (na > 0 && nb > 0) return static_cast<float>(std::clamp(dot / std::sqrt(na * nb), 0.0, 1.0));
  }
  const std::unordered_set<std::string> bag(txt.begin(), txt.end());
  int hit = 0;
  for (const auto& w : img) hit += bag.count(w) ? 1 : 0;
  return static_cast<float>(hit) / static_cast<float>(img.size());
}

std::vector<float> image_features(const ImageSignals& s, const RelExample& ex, const WordVectors& wv,
                                  const vision::Candidate* target) {
  std::vector<float> f(kImageDim, 0.f);
  if (!s.present) return f;
  const float rel = s.relevance >= 0 ? std::min(s.relevance, 1.f) : estimate_relevance(s, ex.tokens, wv);
  const float area = s.width > 0 && s.height > 0 ? static_cast<float>(s.width) * static_cast<float>(s.height) : 0.f;
  f[0] = 1.f;
  f[1] = rel;
  float max_score = 0, max_area = 0;
  int faces = 0;
  std::vector<int> counts(kObjectSlots, 0);
  for (const auto& c : s.objects) {
    max_score = std::max(max_score, c.score);
    if (area > 0) max_area = std::max(max_area, c.box.area() / area);
    const int slot = object_slot(c.label);
    faces += slot == 80;
    counts[slot]++;
  }
  f[2] = rel * std::log1p(static_cast<float>(s.objects.size()));
  f[3] = rel * max_score;
  f[4] = rel * std::min(max_area, 1.f);
  f[5] = rel * std::log1p(static_cast<float>(faces));
  const std::vector<std::string> img = image_words(s);
  const std::unordered_set<std::string> bag(img.begin(), img.end());
  f[6] = rel * arg_in(ex.tokens, ex.head, bag);
  f[7] = rel * arg_in(ex.tokens, ex.tail, bag);
  for (int k = 0; k < kObjectSlots; ++k) f[8 + k] = rel * std::log1p(static_cast<float>(counts[k]));
  std::vector<float> cap;
  if (mean_vector(words_of(s.caption), wv, cap))
    for (int i = 0; i < kCaptionDim; ++i) f[8 + kObjectSlots + i] = rel * cap[i];
  if (target) {
    float* t = f.data() + kGlobalDim;
    t[0] = 1.f;
    if (s.width > 0 && s.height > 0) {
      const float w = static_cast<float>(s.width), h = static_cast<float>(s.height);
      t[1] = rel * target->box.x1 / w;
      t[2] = rel * target->box.y1 / h;
      t[3] = rel * target->box.x2 / w;
      t[4] = rel * target->box.y2 / h;
      t[5] = rel * std::min(target->box.area() / area, 1.f);
    }
    t[6] = rel * target->score;
    t[7 + object_slot(target->label)] = rel;
    const size_t n = target->feature.size();
    if (n > 0) {
      float* r = t + 7 + kObjectSlots;
      for (int k = 0; k < kRegionPool; ++k) {
        const size_t a = n * k / kRegionPool, b = std::max(a + 1, n * (k + 1) / kRegionPool);
        double sum = 0;
        for (size_t i = a; i < b && i < n; ++i) sum += target->feature[i];
        r[k] = rel * static_cast<float>(sum / static_cast<double>(b - a));
      }
    }
  }
  return f;
}

}  // namespace mie::relation
