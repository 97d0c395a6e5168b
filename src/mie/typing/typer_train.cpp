#include "mie/typing/typer_train.h"

#include <ATen/Parallel.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <numeric>
#include <random>

#include "mie/core/error.h"
#include "mie/core/train_log.h"
#include "mie/text/embeddings.h"
#include "mie/text/gazetteer.h"
#include "mie/typing/net.h"

namespace mie::typing {

namespace {

// Dev predictions with the in-memory net (joint mode), as typed copies of the gold posts.
std::vector<Post> predict_dev(TypingNet& net, const std::vector<EncodedPost>& enc, const std::vector<Post>& dev,
                              const Labels& lab) {
  torch::NoGradGuard ng;
  net->eval();
  std::vector<Post> pred = dev;
  size_t k = 0;
  const size_t B = 64;
  std::vector<size_t> idx;
  for (size_t i = 0; i < dev.size(); ++i)
    if (!dev[i].entities.empty()) idx.push_back(i);
  for (size_t s = 0; s < idx.size(); s += B) {
    std::vector<const EncodedPost*> ptrs;
    for (size_t j = s; j < std::min(idx.size(), s + B); ++j) ptrs.push_back(&enc[idx[j]]);
    auto best = net->forward(net->batch(ptrs)).argmax(1).contiguous();
    const int64_t* bp = best.data_ptr<int64_t>();
    int64_t row = 0;
    for (size_t j = s; j < std::min(idx.size(), s + B); ++j)
      for (auto& e : pred[idx[j]].entities) {
        e.fine_type = lab.fine[bp[row]];
        e.type = lab.coarse[lab.parent[bp[row]]];
        ++row;
      }
  }
  (void)k;
  net->train();
  return pred;
}

}  // namespace

ModelSection train_typer(const std::vector<Post>& train, const std::vector<Post>& dev, const text::Embeddings& glove,
                         const Resources& res, const Labels& labels, const TypingTrainOptions& opt, TypingReport* report) {
  const auto t0 = std::chrono::steady_clock::now();
  torch::manual_seed(opt.seed);
  at::set_num_threads(std::max(1, opt.threads));
  std::vector<float> vectors;
  Featurizer fz = Featurizer::build(train, glove, res, opt.feats, vectors);
  auto encode_all = [&](const std::vector<Post>& posts, const char* what) {
    std::vector<EncodedPost> enc;
    enc.reserve(posts.size());
    for (const auto& p : posts) {
      EncodedPost e = fz.encode(p, res, &labels);
      for (size_t k = 0; k < e.entities.size(); ++k)
        if (e.entities[k].fine < 0)
          throw Error(std::string("typing: ") + what + " post " + p.id + ": fine type '" + p.entities[k].fine_type +
                      "' is not in the type tree");
      enc.push_back(std::move(e));
    }
    return enc;
  };
  auto train_enc = encode_all(train, "training");
  auto dev_enc = encode_all(dev, "dev");
  std::vector<size_t> order;
  std::vector<double> prior(labels.fine.size(), 1.0);  // add-one smoothed class counts
  long n_ent = 0;
  for (size_t i = 0; i < train_enc.size(); ++i) {
    if (train_enc[i].entities.empty()) continue;
    order.push_back(i);
    for (const auto& e : train_enc[i].entities) {
      prior[e.fine] += 1;
      ++n_ent;
    }
  }
  if (order.empty()) throw Error("typing: no training entities");
  const double total = std::accumulate(prior.begin(), prior.end(), 0.0);
  std::vector<float> log_prior;
  for (double c : prior) log_prior.push_back(static_cast<float>(std::log(c / total)));
  auto adjust = torch::tensor(log_prior).view({1, -1}) * static_cast<float>(opt.tau);

  TypingNet net(opt.net, static_cast<int64_t>(fz.num_words()), fz.word_dim(), static_cast<int64_t>(fz.num_feats()), labels);
  net->set_vectors(vectors);
  std::vector<torch::Tensor> params;
  for (auto& p : net->parameters())
    if (p.requires_grad()) params.push_back(p);
  torch::optim::Adam adam(params, torch::optim::AdamOptions(opt.lr).weight_decay(opt.weight_decay));
  std::mt19937_64 rng(opt.seed);
  if (opt.verbose)
    say(opt.log, strprintf("fine: %zu training posts / %ld entities, %zu dev posts; %zu words, %zu sparse features",
                 order.size(), n_ent, dev.size(), fz.num_words(), fz.num_feats()));
  if (opt.verbose) say(opt.log, strprintf("epoch  loss     dev_fine  dev_coarse  macroF1   s"));

  ModelSection best;
  TypingReport rep;
  int bad = 0;
  double best_score = -1;
  for (int ep = 1; ep <= opt.epochs; ++ep) {
    std::shuffle(order.begin(), order.end(), rng);
    net->train();
    double loss_sum = 0;
    long steps = 0;
    for (size_t s = 0; s < order.size(); s += static_cast<size_t>(opt.batch_size)) {
      std::vector<const EncodedPost*> ptrs;
      for (size_t j = s; j < std::min(order.size(), s + static_cast<size_t>(opt.batch_size)); ++j)
        ptrs.push_back(&train_enc[order[j]]);
      Batch b = net->batch(ptrs);
      auto scores = net->forward(b);
      auto loss = torch::nn::functional::cross_entropy(scores + adjust, b.gold);
      if (opt.coarse_weight > 0) {
        auto gold_coarse = net->parent.index_select(0, b.gold);
        auto clp = net->coarse_log_probs(scores);
        loss = loss + opt.coarse_weight * torch::nn::functional::nll_loss(clp, gold_coarse);
      }
      adam.zero_grad();
      loss.backward();
      torch::nn::utils::clip_grad_norm_(params, opt.clip);
      adam.step();
      loss_sum += loss.item<double>();
      ++steps;
    }
    auto pred = predict_dev(net, dev_enc, dev, labels);
    auto m = typing_metrics(dev, pred, labels);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double fine_acc = m["fine_acc"].get<double>();
    rep.history.push_back({{"epoch", ep}, {"loss", loss_sum / std::max<long>(1, steps)}, {"dev_fine_acc", fine_acc},
                           {"dev_coarse_acc", m["coarse_acc"]}, {"dev_macro_f1", m["fine_macro_f1"]}, {"seconds", secs}});
    if (opt.verbose)
      say(opt.log, strprintf("%5d  %.4f   %6.2f    %6.2f     %6.2f  %5.0f", ep, loss_sum / std::max<long>(1, steps), fine_acc,
                   m["coarse_acc"].get<double>(), m["fine_macro_f1"].get<double>(), secs));
    rep.epochs_run = ep;
    if (fine_acc > best_score) {
      best_score = fine_acc;
      bad = 0;
      rep.best_epoch = ep;
      rep.best_fine_acc = fine_acc;
      rep.best_coarse_acc = m["coarse_acc"].get<double>();
      rep.best_macro_f1 = m["fine_macro_f1"].get<double>();
      rep.dev_metrics = m;
      best = ModelSection{};
      best.name = kFineSection;
      net_to_section(net, best);
    } else if (++bad >= opt.patience) {
      break;
    }
    if (opt.max_minutes > 0 && secs / 60.0 > opt.max_minutes) {
      if (opt.verbose) say(opt.log, strprintf("fine: stopping at the --max-minutes limit"));
      break;
    }
  }
  best.header = {{"arch", "fine-typer"},
                 {"version", 1},
                 {"labels", labels.to_json()},
                 {"featurizer", fz.to_json()},
                 {"net", opt.net.to_json()},
                 {"coarse_mode", opt.coarse_mode},
                 {"train", {{"epochs", opt.epochs}, {"patience", opt.patience}, {"batch_size", opt.batch_size},
                            {"lr", opt.lr}, {"tau", opt.tau}, {"coarse_weight", opt.coarse_weight},
                            {"seed", opt.seed}, {"threads", opt.threads}, {"best_epoch", rep.best_epoch}}}};
  if (fz.config().gazetteer && res.gazetteer) best.header["gazetteers"] = res.gazetteer->names();
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (report) *report = rep;
  return best;
}

FineModeChoice choose_fine_mode(const Typer& typer, const std::vector<Post>& dev, const std::vector<Post>& spans,
                                const std::string& coarse_mode, const std::vector<float>& ner_weights, std::ostream* log) {
  FineModeChoice best;
  for (const std::string mode : {"joint", "respect"})
    for (float w : ner_weights) {  // the typer fused with the NER stage's type scores at weight w
      std::vector<Post> typed = spans;
      typer.predict(typed, mode, w);
      const std::string key = ner_weights.size() == 1 ? mode : mode + " ner_weight " + nlohmann::json(w).dump();
      best.scores[key] = span_type_f1(dev, typed);
      const double f = best.scores[key]["fine"]["f1"].get<double>();
      if (log)
        *log << "fine: end to end on dev (" << key << "): fine-MNER F1 " << f << ", coarse F1 "
             << best.scores[key]["coarse"]["f1"].get<double>() << ", spans F1 "
             << best.scores[key]["span"]["f1"].get<double>() << "\n";
      if ((coarse_mode == "auto" || coarse_mode == mode) && f > best.fine_f1) {
        best.fine_f1 = f;
        best.mode = mode;
        best.ner_weight = w;
      }
    }
  return best;
}

}  // namespace mie::typing
