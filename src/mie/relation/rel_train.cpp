#include "mie/relation/rel_train.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <iostream>
#include <random>
#include <set>

#include "mie/core/error.h"
#include "mie/core/train_log.h"
#include "mie/eval/mre.h"
#include "mie/relation/classifier_impl.h"
#include "mie/relation/schema.h"
#include "mie/text/embeddings.h"

namespace mie::relation {

nlohmann::json TrainReport::to_json() const {
  nlohmann::json ep = nlohmann::json::array();
  for (const auto& e : epochs)
    ep.push_back({{"epoch", e.epoch}, {"loss", e.loss}, {"seconds", e.seconds}, {"dev_f1", e.dev_f1}, {"dev_acc", e.dev_acc}});
  return {{"epochs", ep}, {"best_epoch", best_epoch}, {"seconds", seconds}};
}

namespace {

double dev_f1(const RelationClassifier& clf, const std::vector<Encoded>& dev, const std::vector<std::string>& gold,
              double* acc) {
  std::vector<std::string> pred;
  for (size_t s = 0; s < dev.size(); s += 256) {
    std::vector<const Encoded*> ptrs;
    for (size_t i = s; i < std::min(dev.size(), s + 256); ++i) ptrs.push_back(&dev[i]);
    for (auto& p : clf.impl().predict_encoded(ptrs)) pred.push_back(p.label);
  }
  auto ev = eval::score_mre(gold, pred);
  if (acc) *acc = ev.at("mre").acc().percent();
  return ev.at("mre").total().f1;
}

}  // namespace

RelationClassifier train_relation(const std::vector<RelExample>& train, const std::vector<RelExample>& dev,
                                  const TrainOptions& opt, TrainReport* report) {
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  if (train.empty()) throw Error("train-rel: no training examples");
  torch::manual_seed(opt.seed);
  torch::set_num_threads(std::max(opt.threads, 1));
  std::mt19937 rng(static_cast<uint32_t>(opt.seed));

  std::set<std::string> label_set;
  for (const auto& ex : train) {
    if (ex.label.empty()) throw Error("train-rel: training example '" + ex.id + "' has no label");
    label_set.insert(ex.label);
  }
  if (label_set.size() < 2) throw Error("train-rel: training data has fewer than 2 labels");
  NetConfig cfg;
  cfg.encoder = opt.encoder;
  cfg.hidden = opt.hidden;
  cfg.layers = opt.layers;
  cfg.mlp = opt.mlp;
  cfg.dropout = opt.dropout;
  cfg.labels.assign(label_set.begin(), label_set.end());

  text::Embeddings glove;
  if (!opt.glove_path.empty()) glove = text::Embeddings::load(opt.glove_path);
  Vocab vocab = build_vocab(train, glove.empty() ? nullptr : &glove, opt.glove_top, opt.min_count);
  cfg.glove_dim = glove.empty() ? 0 : glove.dim();
  auto impl = std::make_shared<RelationClassifier::Impl>(cfg, vocab);
  RelNet net = impl->net;
  if (!glove.empty()) {
    torch::NoGradGuard ng;
    auto acc = net->glove.accessor<float, 2>();
    for (size_t i = 0; i < vocab.glove_words.size(); ++i) {
      const float* r = glove.row(glove.find(vocab.glove_words[i]));
      for (int d = 0; d < cfg.glove_dim; ++d) acc[i + 1][d] = r[d];
    }
  }
  impl->train_info = {{"examples", train.size()}, {"seed", opt.seed}, {"epochs", opt.epochs},
                      {"none_weight", opt.none_weight}, {"type_aux", opt.type_aux}, {"type_prior", opt.type_prior}, {"lr", opt.lr},
                      {"batch_size", opt.batch_size}, {"glove", opt.glove_path.empty() ? "" : "glove100"}};
  RelationClassifier clf(impl);

  std::map<std::string, int64_t> label_id;
  for (size_t i = 0; i < cfg.labels.size(); ++i) label_id[cfg.labels[i]] = static_cast<int64_t>(i);
  std::vector<Encoded> enc;
  std::vector<int64_t> y, th, tt;  // relation, head type, tail type (-100 = ignore)
  for (const auto& ex : train) {
    enc.push_back(encode(vocab, ex));
    y.push_back(label_id.at(ex.label));
    const LabelSignature s = label_signature(ex.label);
    th.push_back(s.head >= 0 ? s.head : -100);
    tt.push_back(s.tail >= 0 ? s.tail : -100);
  }
  std::vector<Encoded> dev_enc;
  std::vector<std::string> dev_gold;
  for (const auto& ex : dev) {
    dev_enc.push_back(encode(vocab, ex));
    dev_gold.push_back(ex.label);
  }

  torch::Tensor weights = torch::ones({static_cast<int64_t>(cfg.labels.size())});
  if (impl->none_index >= 0) weights[impl->none_index] = opt.none_weight;
  if (!opt.type_prior) {  // ablation: no argument-type term in the relation logits
    torch::NoGradGuard ng;
    net->compat.zero_();
    net->compat.set_requires_grad(false);
  }
  std::vector<torch::Tensor> params;
  for (auto& p : net->parameters())
    if (p.requires_grad()) params.push_back(p);
  torch::optim::Adam adam(params, torch::optim::AdamOptions(opt.lr));

  std::vector<size_t> order(enc.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::bernoulli_distribution drop(opt.word_dropout);
  TrainReport rep;
  std::vector<std::pair<std::string, torch::Tensor>> best_state;
  double best_f1 = -1;
  const int steps_per_epoch = static_cast<int>((enc.size() + opt.batch_size - 1) / opt.batch_size);
  const int total_steps = std::max(1, steps_per_epoch * opt.epochs);
  int step = 0;
  for (int epoch = 1; epoch <= opt.epochs; ++epoch) {
    const double te = elapsed();
    net->train();
    std::shuffle(order.begin(), order.end(), rng);
    double loss_sum = 0;
    for (size_t s = 0; s < order.size(); s += opt.batch_size) {
      const size_t e = std::min(order.size(), s + opt.batch_size);
      std::vector<Encoded> batch;
      std::vector<int64_t> by, bh, bt;
      for (size_t k = s; k < e; ++k) {
        Encoded x = enc[order[k]];
        for (int t = 0; t < x.length; ++t)
          if (x.words[t] >= kFirstWord && drop(rng)) x.words[t] = x.glove[t] > 0 ? kNoWord : kUnkWord;
        batch.push_back(std::move(x));
        by.push_back(y[order[k]]);
        bh.push_back(th[order[k]]);
        bt.push_back(tt[order[k]]);
      }
      std::vector<const Encoded*> ptrs;
      for (auto& x : batch) ptrs.push_back(&x);
      Batch b = make_batch(ptrs, by);
      // Linear decay of the learning rate to 10% over training.
      const double lr = opt.lr * (1.0 - 0.9 * static_cast<double>(step++) / total_steps);
      for (auto& g : adam.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(lr);
      NetOutput o = net->forward(b);
      torch::Tensor loss = torch::nn::functional::cross_entropy(
          o.logits, b.labels, torch::nn::functional::CrossEntropyFuncOptions().weight(weights));
      if (opt.type_aux > 0) {
        auto ce = torch::nn::functional::CrossEntropyFuncOptions().ignore_index(-100);
        torch::Tensor yh = torch::tensor(bh), yt = torch::tensor(bt);
        if ((yh >= 0).any().item<bool>())
          loss = loss + opt.type_aux * torch::nn::functional::cross_entropy(o.type_head, yh, ce);
        if ((yt >= 0).any().item<bool>())
          loss = loss + opt.type_aux * torch::nn::functional::cross_entropy(o.type_tail, yt, ce);
      }
      adam.zero_grad();
      loss.backward();
      torch::nn::utils::clip_grad_norm_(params, 5.0);
      adam.step();
      loss_sum += loss.item<double>() * static_cast<double>(e - s);
    }
    EpochLog log;
    log.epoch = epoch;
    log.loss = loss_sum / static_cast<double>(enc.size());
    if (!dev_enc.empty()) log.dev_f1 = dev_f1(clf, dev_enc, dev_gold, &log.dev_acc);
    log.seconds = elapsed() - te;
    rep.epochs.push_back(log);
    if (opt.verbose)
      say(opt.log, strprintf("train-rel: epoch %d loss %g dev F1 %g acc %g (%g s)", epoch, log.loss, log.dev_f1,
                             log.dev_acc, log.seconds));
    if (opt.select_best && log.dev_f1 > best_f1) {
      best_f1 = log.dev_f1;
      rep.best_epoch = epoch;
      best_state.clear();
      for (auto& p : net->named_parameters()) best_state.emplace_back(p.key(), p.value().detach().clone());
    }
    if (!opt.select_best) rep.best_epoch = epoch;
    if (opt.max_seconds > 0 && elapsed() > opt.max_seconds) break;
  }
  if (opt.select_best && !best_state.empty()) {
    torch::NoGradGuard ng;
    auto params_now = net->named_parameters();
    for (auto& [k, v] : best_state) params_now[k].copy_(v);
  }
  net->eval();
  rep.seconds = elapsed();
  impl->train_info["best_epoch"] = rep.best_epoch;
  impl->train_info["seconds"] = rep.seconds;
  if (report) *report = rep;
  return clf;
}

}  // namespace mie::relation
