#include "mie/ner/tagger_train.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <numeric>
#include <random>
#include <set>
#include <thread>
#include <tuple>
#include <unordered_map>

#include "mie/core/error.h"
#include "mie/core/train_log.h"
#include "mie/eval/mner.h"
#include "mie/io/conll.h"
#include "mie/ner/crf.h"
#include "mie/ner/net.h"
#include "mie/text/embeddings.h"

namespace mie::ner {

namespace {
using Clock = std::chrono::steady_clock;
double secs_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

eval::Prf score_dev(TaggerNet& net, const Encoder& enc, const std::vector<Post>& dev,
                    const std::vector<EncodedPost>& dev_enc, int batch) {
  net->eval();
  torch::NoGradGuard ng;
  auto tr = net->eff_trans().contiguous(), st = net->eff_start().contiguous(), en = net->end.detach().contiguous();
  std::vector<Post> pred(dev.size());
  for (size_t s = 0; s < dev.size(); s += static_cast<size_t>(batch)) {
    size_t e = std::min(dev.size(), s + static_cast<size_t>(batch));
    std::vector<const EncodedPost*> ptrs;
    std::vector<size_t> idx;
    for (size_t i = s; i < e; ++i) {
      pred[i].id = dev[i].id;
      pred[i].tokens = dev[i].tokens;
      if (!dev[i].tokens.empty()) {
        ptrs.push_back(&dev_enc[i]);
        idx.push_back(i);
      }
    }
    if (ptrs.empty()) continue;
    auto em = net->emissions(make_batch(ptrs)).contiguous();
    const int64_t Tt = em.size(1), L = em.size(2);
    for (size_t k = 0; k < ptrs.size(); ++k) {
      auto path = viterbi(em.data_ptr<float>() + static_cast<int64_t>(k) * Tt * L, ptrs[k]->n_tweet,
                          static_cast<int>(L), tr.data_ptr<float>(), st.data_ptr<float>(), en.data_ptr<float>());
      std::vector<std::string> tags;
      for (int l : path) tags.push_back(enc.labels()[static_cast<size_t>(l)]);
      pred[idx[k]].entities = io::decode_bio(tags);
    }
  }
  return eval::entity_metric("mner", dev, pred).total();
}

// The head of TrainOptions::aux: a linear layer over the BiLSTM states and a BIO-constrained CRF.
struct AuxHeadImpl : torch::nn::Module {
  AuxHeadImpl(int64_t in, const std::vector<std::string>& labels) {
    const auto L = static_cast<int64_t>(labels.size());
    proj = register_module("proj", torch::nn::Linear(in, L));
    trans = register_parameter("trans", torch::zeros({L, L}));
    start = register_parameter("start", torch::zeros({L}));
    end = register_parameter("end", torch::zeros({L}));
    std::tie(trans_mask, start_mask) = bio_constraints(labels);
  }
  torch::Tensor nll(const torch::Tensor& feats, const torch::Tensor& tags, const torch::Tensor& lengths) {
    auto em = proj->forward(feats);
    auto tr = trans + trans_mask, st = start + start_mask;
    return crf_nll(em, tags, lengths, tr, st, end);
  }
  torch::nn::Linear proj{nullptr};
  torch::Tensor trans, start, end, trans_mask, start_mask;
};
TORCH_MODULE(AuxHead);

// BIO label ids of the auxiliary posts (labels: "O", then B-/I- of each type in sorted order).
std::vector<std::vector<int64_t>> aux_label_ids(const std::vector<Post>& train, const std::vector<Post>& aux,
                                                std::vector<std::string>& labels) {
  if (aux.size() != train.size())
    throw Error("auxiliary labels: " + std::to_string(aux.size()) + " posts, the training file has " +
                std::to_string(train.size()) + " (they must be the same posts, in order)");
  std::set<std::string> types;
  for (size_t i = 0; i < aux.size(); ++i) {
    if (aux[i].id != train[i].id || aux[i].tokens != train[i].tokens)
      throw Error("auxiliary labels: post " + std::to_string(i + 1) + " (" + aux[i].id +
                  ") differs from the training post " + train[i].id + " (ids and tokens must match)");
    for (const auto& e : aux[i].entities) types.insert(e.type);
  }
  labels = {"O"};
  for (const auto& t : types) {
    labels.push_back("B-" + t);
    labels.push_back("I-" + t);
  }
  std::unordered_map<std::string, int64_t> ix;
  for (size_t k = 0; k < labels.size(); ++k) ix.emplace(labels[k], static_cast<int64_t>(k));
  std::vector<std::vector<int64_t>> out;
  for (const auto& p : aux) {
    std::vector<int64_t> ids;
    for (const auto& tag : io::encode_bio(p.entities, static_cast<int>(p.tokens.size()))) ids.push_back(ix.at(tag));
    out.push_back(std::move(ids));
  }
  return out;
}

std::string fmt_time(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  return buf;
}
}  // namespace

ModelSection train_tagger(const std::vector<Post>& train, const std::vector<Post>& dev, const text::Embeddings& glove,
                          const TrainOptions& opt, TrainReport* report) {
  if (train.empty()) throw Error("no training posts");
  if (opt.shards != 1 && opt.shards != 2) throw Error("NER training: shards must be 1 or 2");
  if (opt.aux && opt.shards != 1) throw Error("NER training: auxiliary labels need shards = 1");
  if (dev.empty()) throw Error("no development posts (early stopping needs them)");
  if (glove.empty()) throw Error("no word embeddings loaded");
  const auto t0 = Clock::now();
  at::set_num_threads(std::max(1, opt.shards == 2 ? opt.threads / 2 : opt.threads));  // per shard
  torch::manual_seed(opt.seed);
  std::mt19937_64 rng(opt.seed);
  const bool ctx = opt.net.use_context;

  std::vector<float> vectors;
  Encoder enc = Encoder::build(train, glove, opt.enc, ctx, vectors);
  std::vector<EncodedPost> tr_plain, tr_ctx, dev_enc;
  // With the training dictionary, each training post sees the dictionary of the other folds.
  std::vector<TrainDict> folds;
  if (opt.enc.use_train_dict)
    for (int k = 0; k < opt.dict_folds; ++k) folds.push_back(enc.fold_dict(train, opt.dict_folds, k));
  std::vector<std::string> aux_labels;
  std::vector<std::vector<int64_t>> aux_all, aux_ids;  // aux_ids parallel to tr_plain
  if (opt.aux) aux_all = aux_label_ids(train, *opt.aux, aux_labels);
  long train_tokens = 0;
  for (size_t i = 0; i < train.size(); ++i) {
    const Post& p = train[i];
    if (p.tokens.empty()) continue;
    if (opt.aux) aux_ids.push_back(std::move(aux_all[i]));
    const TrainDict* d = folds.empty() ? nullptr : &folds[i % folds.size()];
    tr_plain.push_back(enc.encode(p, false, d));
    if (ctx) tr_ctx.push_back(enc.encode(p, true, d));
    train_tokens += static_cast<long>(p.tokens.size());
  }
  for (const auto& p : dev) dev_enc.push_back(enc.encode(p, ctx));

  TaggerNet net(opt.net, enc, vectors);
  if (opt.tune_words) net->word_emb->weight.set_requires_grad(true);
  std::vector<torch::Tensor> params;
  for (auto& p : net->parameters())
    if (p.requires_grad()) params.push_back(p);
  AuxHead aux{nullptr};
  if (opt.aux) {
    aux = AuxHead(2 * opt.net.hidden, aux_labels);
    for (auto& p : aux->parameters()) params.push_back(p);
    if (opt.verbose)
      say(opt.log, strprintf("ner: auxiliary head over %zu labels, loss weight %g (training only)", aux_labels.size(),
                   opt.aux_weight));
  }
  torch::optim::Adam adam(params, torch::optim::AdamOptions(opt.lr));
  // Data parallel (shards = 2): a replica takes the second half of every batch, on a second thread
  // when there is one. Each replica draws its dropout from its own generator and the gradients are
  // summed in a fixed order, so training gives the same model on one thread or two. (Built only
  // then: its initialisation draws from the global generator that shards = 1 keeps as it was.)
  const bool sharded = opt.shards == 2, parallel = sharded && opt.threads >= 2;
  TaggerNet twin{nullptr};
  std::vector<torch::Tensor> twin_params;
  if (sharded) {
    twin = TaggerNet(opt.net, enc, vectors);
    torch::NoGradGuard ng;
    auto src = net->parameters(), dst = twin->parameters();
    for (size_t i = 0; i < src.size(); ++i) {
      dst[i].copy_(src[i]);
      dst[i].set_requires_grad(src[i].requires_grad());
      if (dst[i].requires_grad()) twin_params.push_back(dst[i]);
    }
    net->gen = at::detail::createCPUGenerator(opt.seed * 2 + 1);
    twin->gen = at::detail::createCPUGenerator(opt.seed * 2 + 2);
  }

  if (opt.verbose)
    say(opt.log, strprintf("ner: %zu train posts (%ld tokens), %zu dev, %zu words kept, %zu labels, context %s",
                 tr_plain.size(), train_tokens, dev.size(), enc.num_words(), enc.labels().size(), ctx ? "on" : "off"));
  if (opt.verbose)
    say(opt.log, strprintf("%5s %9s %7s %7s %7s %9s %8s %8s", "epoch", "loss", "dev_P", "dev_R", "dev_F1", "tok/s",
                 "elapsed", "ETA"));

  TrainReport rep;
  std::vector<torch::Tensor> best_state;
  int since_best = 0;
  std::vector<size_t> order(tr_plain.size());
  std::iota(order.begin(), order.end(), 0);
  std::uniform_real_distribution<double> unif(0.0, 1.0);
  for (int epoch = 1; epoch <= opt.epochs; ++epoch) {
    const auto te = Clock::now();
    net->train();
    if (aux) aux->train();
    for (auto& g : adam.param_groups())
      static_cast<torch::optim::AdamOptions&>(g.options()).lr(opt.lr / (1.0 + opt.lr_decay * (epoch - 1)));
    std::shuffle(order.begin(), order.end(), rng);
    double loss_sum = 0;
    long tokens = 0;
    for (size_t s = 0; s < order.size(); s += static_cast<size_t>(opt.batch_size)) {
      std::vector<const EncodedPost*> ptrs;
      std::vector<size_t> batch_ix;
      for (size_t k = s; k < std::min(order.size(), s + static_cast<size_t>(opt.batch_size)); ++k) {
        size_t i = order[k];
        batch_ix.push_back(i);
        bool use_ctx = ctx && unif(rng) >= opt.context_drop;
        ptrs.push_back(use_ctx ? &tr_ctx[i] : &tr_plain[i]);
        tokens += tr_plain[i].n_tweet;
      }
      const size_t half = sharded ? (ptrs.size() + 1) / 2 : ptrs.size();
      std::vector<Batch> shards;
      for (auto [from, to] : {std::pair{size_t(0), half}, std::pair{half, ptrs.size()}}) {
        if (from == to) continue;
        shards.push_back(make_batch({ptrs.begin() + long(from), ptrs.begin() + long(to)}));
        if (opt.word_dropout > 0) {  // <unk> for some known words
          auto* w = shards.back().words.data_ptr<int64_t>();
          for (int64_t k = 0; k < shards.back().words.numel(); ++k)
            if (w[k] >= Encoder::kFirstWord && unif(rng) < opt.word_dropout) w[k] = Encoder::kUnkWord;
        }
      }
      const double n = static_cast<double>(ptrs.size());
      double shard_loss[2] = {0, 0};
      auto run = [&](int k) {
        TaggerNet& m = k == 0 ? net : twin;
        torch::Tensor loss;
        if (aux) {  // shards = 1: shards[0] is the whole batch
          auto h = m->features(shards[k]);
          loss = m->nll(m->hidden2tag->forward(h), shards[k]).sum();
          auto tags = torch::full_like(shards[k].labels, -1);
          for (size_t b = 0; b < batch_ix.size(); ++b) {
            const auto& ids = aux_ids[batch_ix[b]];
            const int64_t n = std::min<int64_t>(static_cast<int64_t>(ids.size()), tags.size(1));
            tags[static_cast<int64_t>(b)].narrow(0, 0, n).copy_(torch::tensor(ids, torch::kLong).narrow(0, 0, n));
          }
          loss = loss + opt.aux_weight * aux->nll(h, tags, shards[k].tweet_lengths).sum();
        } else {
          loss = m->nll(m->emissions(shards[k]), shards[k]).sum();
        }
        (loss / n).backward();
        shard_loss[k] = loss.item<double>();
      };
      adam.zero_grad();
      for (auto& p : twin_params) p.mutable_grad() = torch::Tensor();
      if (parallel && shards.size() == 2) {
        std::exception_ptr err;
        std::thread t([&] {
          try {
            run(1);
          } catch (...) {
            err = std::current_exception();
          }
        });
        run(0);
        t.join();
        if (err) std::rethrow_exception(err);
      } else {
        for (int k = 0; k < int(shards.size()); ++k) run(k);
      }
      for (size_t i = 0; i < twin_params.size(); ++i) {
        const torch::Tensor& g = twin_params[i].grad();
        if (!g.defined()) continue;
        if (params[i].grad().defined()) params[i].mutable_grad() += g;
        else params[i].mutable_grad() = g.clone();
      }
      torch::nn::utils::clip_grad_norm_(params, opt.clip);
      adam.step();
      {
        torch::NoGradGuard ng;
        for (size_t i = 0; i < twin_params.size(); ++i) twin_params[i].copy_(params[i]);
      }
      loss_sum += shard_loss[0] + shard_loss[1];
    }
    const double train_s = secs_since(te);
    eval::Prf f = score_dev(net, enc, dev, dev_enc, 64);
    const double elapsed = secs_since(t0);
    const double per_epoch = elapsed / epoch;
    const int remaining = opt.epochs - epoch;  // ETA to the epoch cap; early stopping may end sooner
    if (f.f1 > rep.best_f1 || best_state.empty()) {
      rep.best_f1 = f.f1;
      rep.best_p = f.p;
      rep.best_r = f.r;
      rep.best_epoch = epoch;
      since_best = 0;
      best_state.clear();
      for (auto& p : net->parameters()) best_state.push_back(p.detach().clone());
    } else {
      ++since_best;
    }
    rep.epochs_run = epoch;
    rep.history.push_back({{"epoch", epoch}, {"loss", loss_sum / static_cast<double>(tr_plain.size())},
                           {"dev", f.to_json()}, {"tokens_per_s", tokens / train_s}, {"elapsed_s", elapsed}});
    if (opt.verbose)
      say(opt.log, strprintf("%5d %9.4f %7.2f %7.2f %7.2f %9.0f %8s %8s%s", epoch,
                   loss_sum / static_cast<double>(tr_plain.size()), f.p, f.r, f.f1, tokens / train_s,
                   fmt_time(elapsed).c_str(), fmt_time(per_epoch * std::max(remaining, 0)).c_str(),
                   rep.best_epoch == epoch ? " *" : ""));
    if (since_best >= opt.patience) break;
    if (opt.max_minutes > 0 && elapsed + per_epoch > opt.max_minutes * 60) {
      if (opt.verbose) say(opt.log, strprintf("ner: stopping, the next epoch would exceed %.1f minutes", opt.max_minutes));
      break;
    }
  }
  {
    torch::NoGradGuard ng;
    auto ps = net->parameters();
    for (size_t i = 0; i < ps.size(); ++i) ps[i].copy_(best_state[i]);
  }
  rep.seconds = secs_since(t0);
  if (opt.verbose)
    say(opt.log, strprintf("ner: best dev F1 %.2f (P %.2f R %.2f) at epoch %d, %s", rep.best_f1, rep.best_p, rep.best_r,
                 rep.best_epoch, fmt_time(rep.seconds).c_str()));

  ModelSection sec;
  sec.name = kNerSection;
  sec.header = {{"arch", "bilstm-crf"},
                {"version", 1},
                {"config", opt.net.to_json()},
                {"encoder", enc.to_json()},
                {"train",
                 {{"seed", opt.seed}, {"epochs", opt.epochs}, {"patience", opt.patience}, {"batch_size", opt.batch_size},
                  {"lr", opt.lr}, {"lr_decay", opt.lr_decay}, {"clip", opt.clip}, {"context_drop", opt.context_drop},
                  {"word_dropout", opt.word_dropout}, {"tune_words", opt.tune_words},
                  {"aux_labels", aux_labels.size()}, {"aux_weight", opt.aux ? opt.aux_weight : 0.0},
                  {"threads", opt.threads}, {"shards", opt.shards}, {"dict_folds", opt.enc.use_train_dict ? opt.dict_folds : 0}, {"best_epoch", rep.best_epoch}, {"epochs_run", rep.epochs_run},
                  {"dev_f1", rep.best_f1}, {"dev_p", rep.best_p}, {"dev_r", rep.best_r}, {"seconds", rep.seconds},
                  {"train_posts", tr_plain.size()}, {"dev_posts", dev.size()}}}};
  save_net(net, sec);
  if (opt.calibrate) {
    nlohmann::json cal;
    sec.header["score_temperature"] = fit_score_temperature(sec, dev, &cal);
    sec.header["score_calibration"] = cal;
    if (opt.verbose)
      say(opt.log, strprintf("ner: entity scores calibrated on dev: temperature %.2f (log loss %.4f, %.4f at 1)",
                   cal["temperature"].get<double>(), cal["log_loss"].get<double>(), cal["log_loss_t1"].get<double>()));
  }
  if (report) *report = rep;
  return sec;
}

}  // namespace mie::ner
