// mie/grounding/region_train.h — the H-Index objective for region choice: KL divergence between
// a target distribution over an entity's candidates and softmax(w . pair_features).
//
//   std::vector<float> t = mie::grounding::kl_target(cand_boxes, gold_boxes);   // sums to 1, or empty
//   torch::Tensor loss = mie::grounding::kl_loss(scores, torch::tensor(t));     // 0 when softmax == t
//   mie::grounding::RegionExample ex = mie::grounding::region_example(post, 0, cands, W, H);
//   mie::grounding::RegionScorer s = mie::grounding::train_regions(examples, RegionScorer{}, opt);
//
// Target (H-Index data_pipe.py): IoU of each candidate's output box with the entity's gold boxes
// (max over them), zeroed at or below `thr` (0.5), normalised to sum 1. Entities that no
// candidate covers get an empty target and are skipped by training. The trainer starts from the
// given weights (the priors) and adds l2 * |w - w0|^2, so a few images cannot drag the weights
// far; full-batch Adam, deterministic. Thread safety: pure functions.
#pragma once

#include <torch/torch.h>

#include <array>
#include <nlohmann/json.hpp>
#include <vector>

#include "mie/grounding/regions.h"

namespace mie::grounding {

std::vector<float> kl_target(const std::vector<Box>& cand_boxes, const std::vector<Box>& gold, float thr = 0.5f);
// sum_i t_i (log t_i - log_softmax(scores)_i), terms with t_i = 0 omitted. scores, target: [N].
torch::Tensor kl_loss(const torch::Tensor& scores, const torch::Tensor& target);

struct RegionExample {
  std::vector<std::array<float, kPairDim>> features;  // one per candidate
  std::vector<float> target;                          // kl_target over output boxes
};
// Uses the entity's gold boxes (Entity::boxes); target empty when no candidate covers them.
RegionExample region_example(const Post& p, int entity, const std::vector<vision::Candidate>& cands, int width,
                             int height);

struct RegionTrainOptions {
  int epochs = 200;
  float lr = 0.02f;
  float l2 = 0.1f;  // pull towards the initial weights
};

RegionScorer train_regions(const std::vector<RegionExample>& examples, const RegionScorer& init,
                           const RegionTrainOptions& opt, nlohmann::json* log = nullptr);

}  // namespace mie::grounding
