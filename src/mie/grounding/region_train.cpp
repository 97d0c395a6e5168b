#include "mie/grounding/region_train.h"

#include <algorithm>

namespace mie::grounding {

std::vector<float> kl_target(const std::vector<Box>& cand_boxes, const std::vector<Box>& gold, float thr) {
  std::vector<float> t(cand_boxes.size(), 0.f);
  float sum = 0.f;
  for (size_t i = 0; i < cand_boxes.size(); ++i) {
    float best = 0.f;
    for (const Box& g : gold) best = std::max(best, iou(cand_boxes[i], g));
    if (best > thr) t[i] = best, sum += best;
  }
  if (sum <= 0.f) return {};
  for (float& v : t) v /= sum;
  return t;
}

torch::Tensor kl_loss(const torch::Tensor& scores, const torch::Tensor& target) {
  auto logp = torch::log_softmax(scores, 0);
  auto pos = target > 0;
  auto t = target.masked_select(pos);
  return (t * (t.log() - logp.masked_select(pos))).sum();
}

RegionExample region_example(const Post& p, int ei, const std::vector<vision::Candidate>& cands, int width, int height) {
  RegionExample ex;
  std::vector<Box> boxes;
  const std::string& type = p.entities.at(static_cast<size_t>(ei)).type;
  for (size_t i = 0; i < cands.size(); ++i) {
    ex.features.push_back(pair_features(p, ei, cands, static_cast<int>(i), width, height));
    boxes.push_back(output_box(cands[i], type, width, height));
  }
  ex.target = kl_target(boxes, p.entities[static_cast<size_t>(ei)].boxes);
  return ex;
}

RegionScorer train_regions(const std::vector<RegionExample>& examples, const RegionScorer& init,
                           const RegionTrainOptions& opt, nlohmann::json* log) {
  std::vector<torch::Tensor> feats, targets;
  for (const auto& ex : examples) {
    if (ex.target.empty() || ex.features.empty()) continue;
    std::vector<float> flat;
    for (const auto& f : ex.features) flat.insert(flat.end(), f.begin(), f.end());
    feats.push_back(torch::tensor(flat).view({static_cast<int64_t>(ex.features.size()), kPairDim}));
    targets.push_back(torch::tensor(ex.target));
  }
  nlohmann::json hist = nlohmann::json::array();
  if (feats.empty()) {
    if (log) *log = hist;
    return init;
  }
  auto w0 = torch::tensor(std::vector<float>(init.weights().begin(), init.weights().end()));
  auto w = w0.clone().requires_grad_(true);
  torch::optim::Adam adam({w}, torch::optim::AdamOptions(opt.lr));
  for (int ep = 0; ep < opt.epochs; ++ep) {
    auto loss = torch::zeros({});
    for (size_t i = 0; i < feats.size(); ++i) loss = loss + kl_loss(feats[i].matmul(w), targets[i]);
    loss = loss / static_cast<double>(feats.size()) + opt.l2 * (w - w0).pow(2).sum();
    adam.zero_grad();
    loss.backward();
    adam.step();
    if (ep == 0 || ep + 1 == opt.epochs) hist.push_back({{"epoch", ep + 1}, {"loss", loss.item<double>()}});
  }
  std::array<float, kPairDim> out{};
  auto wc = w.detach().contiguous();
  std::copy(wc.data_ptr<float>(), wc.data_ptr<float>() + kPairDim, out.begin());
  if (log) *log = hist;
  return RegionScorer(out);
}

}  // namespace mie::grounding
