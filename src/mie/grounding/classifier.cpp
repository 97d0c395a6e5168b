#include "mie/grounding/classifier.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "mie/core/error.h"
#include "mie/eval/calibration.h"

namespace mie::grounding {

float GroundClassifier::logit(const Post& p, int ei, const ImageSummary* image) const {
  const EntityFeatures f = entity_features(p, ei, cfg);
  float z = bias;
  if (hidden > 0) {
    const size_t H = static_cast<size_t>(hidden);
    std::vector<float> h(b_h);
    for (const auto& [i, v] : f.sparse)
      for (size_t k = 0; k < H; ++k) h[k] += emb[i * H + k] * v;
    for (size_t d = 0; d < static_cast<size_t>(kDenseDim); ++d)
      for (size_t k = 0; k < H; ++k) h[k] += dense_h[d * H + k] * f.dense[d];
    for (size_t k = 0; k < H; ++k) z += out[k] * std::max(0.f, h[k]);
    if (image) z += detector_adjustment(p, ei, *image, rule);
    return z;
  }
  for (const auto& [i, v] : f.sparse) z += (i < sparse_w.size() ? sparse_w[i] : 0.f) * v;
  for (int d = 0; d < kDenseDim; ++d) z += dense_w[static_cast<size_t>(d)] * f.dense[static_cast<size_t>(d)];
  if (image) z += detector_adjustment(p, ei, *image, rule);
  return z;
}

float GroundClassifier::prob(const Post& p, int ei, const ImageSummary* image) const {
  return 1.f / (1.f + std::exp(-logit(p, ei, image)));
}

void GroundClassifier::save(ModelSection& s) const {
  s.header["classifier"] = {{"arch", "logreg-hashed"}, {"features", cfg.to_json()}, {"detector_rule", rule.to_json()},
                            {"threshold", threshold}, {"bias", bias}, {"hidden", hidden}};
  if (hidden > 0) {
    const int64_t V = int64_t{1} << cfg.hash_bits, H = hidden;
    s.add_tensor("cls.emb", {V, H}, emb);
    s.add_tensor("cls.dense_h", {kDenseDim, H}, dense_h);
    s.add_tensor("cls.b_h", {H}, b_h);
    s.add_tensor("cls.out", {H}, out);
    return;
  }
  s.add_tensor("cls.sparse", {static_cast<int64_t>(sparse_w.size())}, sparse_w);
  s.add_tensor("cls.dense", {kDenseDim}, std::vector<float>(dense_w.begin(), dense_w.end()));
}

GroundClassifier GroundClassifier::load(const ModelSection& s) {
  if (!s.header.contains("classifier")) throw Error("section '" + s.name + "' has no classifier header");
  const auto& h = s.header["classifier"];
  GroundClassifier c;
  c.cfg = FeatureConfig::from_json(h.at("features"));
  c.rule = DetectorRule::from_json(h.value("detector_rule", nlohmann::json::object()));
  c.threshold = h.value("threshold", 0.5f);
  c.bias = h.value("bias", 0.f);
  c.hidden = h.value("hidden", 0);
  if (c.hidden > 0) {
    const int64_t V = int64_t{1} << c.cfg.hash_bits, H = c.hidden;
    auto get = [&](const char* n, int64_t count) {
      const TensorData& t = s.tensor(n);
      if (t.numel() != count) throw Error("section '" + s.name + "': " + n + " has the wrong size");
      return t.data;
    };
    c.emb = get("cls.emb", V * H);
    c.dense_h = get("cls.dense_h", kDenseDim * H);
    c.b_h = get("cls.b_h", H);
    c.out = get("cls.out", H);
    return c;
  }
  const TensorData& sp = s.tensor("cls.sparse");
  if (sp.numel() != (int64_t{1} << c.cfg.hash_bits)) throw Error("section '" + s.name + "': cls.sparse has the wrong size");
  c.sparse_w = sp.data;
  const TensorData& de = s.tensor("cls.dense");
  if (de.numel() != kDenseDim) throw Error("section '" + s.name + "': cls.dense has the wrong size");
  std::copy(de.data.begin(), de.data.end(), c.dense_w.begin());
  return c;
}

GroundClassifier train_classifier(const std::vector<Post>& train, const FeatureConfig& cfg,
                                  const ClassifierTrainOptions& opt, nlohmann::json* log) {
  torch::manual_seed(opt.seed);
  std::vector<EntityFeatures> xs;
  std::vector<float> ys;
  for (const Post& p : train)
    for (size_t i = 0; i < p.entities.size(); ++i) {
      xs.push_back(entity_features(p, static_cast<int>(i), cfg));
      ys.push_back(p.entities[i].groundable ? 1.f : 0.f);
    }
  if (xs.empty()) throw Error("train ground: no training entities");
  const int64_t V = int64_t{1} << cfg.hash_bits;
  auto sw = torch::zeros({V}, torch::requires_grad());
  auto dw = torch::zeros({kDenseDim}, torch::requires_grad());
  auto b = torch::zeros({1}, torch::requires_grad());
  const int64_t H = opt.hidden;
  torch::Tensor emb, dh, bh, ow;
  std::vector<torch::Tensor> params = {sw, dw, b};
  if (H > 0) {
    emb = (torch::randn({V, H}) * 0.01).requires_grad_(true);
    dh = (torch::randn({kDenseDim, H}) * 0.1).requires_grad_(true);
    bh = torch::zeros({H}, torch::requires_grad());
    ow = (torch::randn({H}) * 0.1).requires_grad_(true);
    params = {emb, dh, bh, ow, b};
  }
  torch::optim::Adam adam(params, torch::optim::AdamOptions(opt.lr));
  std::vector<size_t> order(xs.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::mt19937_64 rng(opt.seed);
  nlohmann::json hist = nlohmann::json::array();
  for (int ep = 0; ep < opt.epochs; ++ep) {
    std::shuffle(order.begin(), order.end(), rng);
    double total = 0;
    for (size_t s = 0; s < order.size(); s += static_cast<size_t>(opt.batch)) {
      const size_t e = std::min(order.size(), s + static_cast<size_t>(opt.batch));
      std::vector<int64_t> idx, seg;
      std::vector<float> val, dense, y;
      for (size_t k = s; k < e; ++k) {
        const EntityFeatures& f = xs[order[k]];
        for (const auto& [i, v] : f.sparse) idx.push_back(i), val.push_back(v), seg.push_back(static_cast<int64_t>(k - s));
        dense.insert(dense.end(), f.dense.begin(), f.dense.end());
        y.push_back(ys[order[k]]);
      }
      const int64_t B = static_cast<int64_t>(e - s);
      auto ti = torch::tensor(idx, torch::kLong), ts = torch::tensor(seg, torch::kLong), tv = torch::tensor(val);
      auto td = torch::tensor(dense).view({B, kDenseDim}), ty = torch::tensor(y);
      torch::Tensor gathered, z;
      if (H > 0) {
        gathered = emb.index_select(0, ti);
        auto h = torch::zeros({B, H}).index_add(0, ts, gathered * tv.unsqueeze(1)) + td.matmul(dh) + bh;
        z = torch::relu(h).matmul(ow) + b;
      } else {
        gathered = sw.index_select(0, ti);
        z = torch::zeros({B}).index_add(0, ts, gathered * tv) + td.matmul(dw) + b;
      }
      auto loss = torch::binary_cross_entropy_with_logits(z, ty) + opt.l2 * gathered.pow(2).sum() / static_cast<double>(B);
      adam.zero_grad();
      loss.backward();
      adam.step();
      total += loss.item<double>() * static_cast<double>(B);
    }
    hist.push_back({{"epoch", ep + 1}, {"loss", total / static_cast<double>(xs.size())}});
  }
  GroundClassifier c;
  c.cfg = cfg;
  if (H > 0) {
    auto vec = [](const torch::Tensor& t) {
      auto x = t.detach().contiguous();
      return std::vector<float>(x.data_ptr<float>(), x.data_ptr<float>() + x.numel());
    };
    c.hidden = static_cast<int>(H);
    c.emb = vec(emb);
    c.dense_h = vec(dh);
    c.b_h = vec(bh);
    c.out = vec(ow);
    c.bias = b.item<float>();
    if (log) *log = hist;
    return c;
  }
  auto swc = sw.detach().contiguous();
  c.sparse_w.assign(swc.data_ptr<float>(), swc.data_ptr<float>() + V);
  auto dwc = dw.detach().contiguous();
  std::copy(dwc.data_ptr<float>(), dwc.data_ptr<float>() + kDenseDim, c.dense_w.begin());
  c.bias = b.item<float>();
  if (log) *log = hist;
  return c;
}

void BinaryScores::add(bool pred, bool gold, double prob) {
  ++n;
  correct += pred == gold;
  tp += pred && gold;
  fp += pred && !gold;
  fn += !pred && gold;
  if (prob < 0) return;
  ++scored;
  log_loss_sum += eval::binary_log_loss(prob, gold);
  brier_sum += (prob - gold) * (prob - gold);
  const int b = std::min(9, static_cast<int>(prob * 10));
  ++bin_n[b];
  bin_p[b] += prob;
  bin_pos[b] += gold;
}

double BinaryScores::log_loss() const { return scored ? log_loss_sum / static_cast<double>(scored) : 0; }
double BinaryScores::brier() const { return scored ? brier_sum / static_cast<double>(scored) : 0; }
double BinaryScores::ece() const {
  double e = 0;
  for (size_t b = 0; b < bin_n.size(); ++b)
    if (bin_n[b]) e += std::abs(bin_p[b] - bin_pos[b]) / static_cast<double>(scored);
  return e;
}

nlohmann::json BinaryScores::to_json() const {
  nlohmann::json j = {{"n", n}, {"accuracy", accuracy()}, {"f1_groundable", f1()}, {"tp", tp}, {"fp", fp}, {"fn", fn}};
  if (scored) {
    j["log_loss"] = log_loss();
    j["brier"] = brier();
    j["ece"] = ece();
    nlohmann::json bins = nlohmann::json::array();  // reliability: [low edge, count, mean p, positive rate]
    for (size_t b = 0; b < bin_n.size(); ++b)
      if (bin_n[b])
        bins.push_back({0.1 * static_cast<double>(b), bin_n[b], bin_p[b] / static_cast<double>(bin_n[b]),
                        bin_pos[b] / static_cast<double>(bin_n[b])});
    j["reliability"] = bins;
  }
  return j;
}

BinaryScores evaluate_classifier(const GroundClassifier& cls, const std::vector<Post>& gold,
                                 std::map<std::string, BinaryScores>* per_type) {
  BinaryScores s;
  for (const Post& p : gold)
    for (size_t i = 0; i < p.entities.size(); ++i) {
      const float prob = cls.prob(p, static_cast<int>(i), nullptr);
      const bool pred = prob >= cls.threshold;
      s.add(pred, p.entities[i].groundable, prob);
      if (per_type) (*per_type)[p.entities[i].type].add(pred, p.entities[i].groundable, prob);
    }
  return s;
}

BinaryScores majority_baseline(const std::vector<Post>& train, const std::vector<Post>& gold) {
  long pos = 0, n = 0;
  for (const Post& p : train)
    for (const Entity& e : p.entities) pos += e.groundable, ++n;
  const bool maj = 2 * pos > n;
  BinaryScores s;
  for (const Post& p : gold)
    for (const Entity& e : p.entities) s.add(maj, e.groundable, n ? static_cast<double>(pos) / static_cast<double>(n) : 0.5);
  return s;
}

}  // namespace mie::grounding
