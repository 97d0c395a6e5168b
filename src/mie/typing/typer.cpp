#include "mie/typing/typer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <set>

#include "mie/core/error.h"
#include "mie/io/fmnerg.h"
#include "mie/text/gazetteer.h"
#include "mie/typing/net.h"
#include "mie/typing/wordnet.h"

namespace mie::typing {

nlohmann::json NetConfig::to_json() const {
  return {{"context", context}, {"window", window}, {"hidden", hidden}, {"bag_dim", bag_dim}, {"mlp", mlp}, {"dropout", dropout}, {"emb_dropout", emb_dropout}};
}

NetConfig NetConfig::from_json(const nlohmann::json& j) {
  NetConfig c;
  c.context = j.value("context", c.context);
  c.window = j.value("window", c.window);
  if (c.context != "window" && c.context != "bilstm") throw Error("typing: unknown context encoder '" + c.context + "'");
  c.hidden = j.value("hidden", c.hidden);
  c.bag_dim = j.value("bag_dim", c.bag_dim);
  c.mlp = j.value("mlp", c.mlp);
  c.dropout = j.value("dropout", c.dropout);
  c.emb_dropout = j.value("emb_dropout", c.emb_dropout);
  return c;
}

std::shared_ptr<const WordNet> shared_wordnet() {
  static std::mutex mu;
  static std::shared_ptr<const WordNet> wn;
  std::lock_guard<std::mutex> lock(mu);
  if (!wn) wn = std::make_shared<const WordNet>(WordNet::load(default_wordnet_dir()));
  return wn;
}

std::shared_ptr<const text::Gazetteer> shared_gazetteer() { return text::shared_gazetteer(); }

struct Typer::Impl {
  nlohmann::json header;
  Labels labels;
  Featurizer fz;
  NetConfig cfg;
  mutable TypingNet net{nullptr};
  Resources res;
  std::shared_ptr<const WordNet> wn_keep;
  std::shared_ptr<const text::Gazetteer> gz_keep;
  std::string mode = "joint";
  float ner_weight = 0.f;  // header "ner_weight": weight of Entity::type_logprobs in the fused score
};

Typer::Typer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Typer::~Typer() = default;

std::shared_ptr<const Typer> Typer::load(const ModelSection& s, const Resources& res) {
  auto impl = std::make_unique<Impl>();
  try {
    if (s.header.value("arch", "") != "fine-typer") throw Error("section '" + s.name + "' is not a fine-typing section");
    impl->header = s.header;
    impl->labels = Labels::from_json(s.header.at("labels"));
    impl->fz = Featurizer::from_json(s.header.at("featurizer"));
    impl->cfg = NetConfig::from_json(s.header.at("net"));
    impl->mode = s.header.value("coarse_mode", "joint");
    impl->ner_weight = s.header.value("ner_weight", 0.f);
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("typing: bad section header: ") + e.what());
  }
  if (!(impl->ner_weight >= 0.f && impl->ner_weight <= 10.f))
    throw Error("typing: ner_weight " + std::to_string(impl->ner_weight) + " is not in [0, 10]");
  const auto& fc = impl->fz.config();
  if (fc.wordnet && !res.wordnet) throw Error("typing: model needs WordNet (" + default_wordnet_dir() + ") but it is not available");
  if (fc.gazetteer && !res.gazetteer)
    throw Error("typing: model needs gazetteers (" + text::default_gazetteer_dir() + ") but they are not available");
  if (fc.gazetteer) {
    for (const auto& name : s.header.value("gazetteers", std::vector<std::string>{}))
      if (res.gazetteer->index(name) < 0) throw Error("typing: model needs gazetteer list '" + name + "', which is not loaded");
  }
  impl->res = res;
  impl->net = TypingNet(impl->cfg, static_cast<int64_t>(impl->fz.num_words()), impl->fz.word_dim(),
                        static_cast<int64_t>(impl->fz.num_feats()), impl->labels);
  net_from_section(impl->net, s);
  impl->net->eval();
  return std::shared_ptr<const Typer>(new Typer(std::move(impl)));
}

std::shared_ptr<const Typer> Typer::load(const ModelSection& s) {
  Resources res;
  std::shared_ptr<const WordNet> wn;
  std::shared_ptr<const text::Gazetteer> gz;
  auto fc = FeatureConfig::from_json(s.header.value("featurizer", nlohmann::json::object()).value("config", nlohmann::json::object()));
  if (fc.wordnet) res.wordnet = (wn = shared_wordnet()).get();
  if (fc.gazetteer) res.gazetteer = (gz = shared_gazetteer()).get();
  auto t = load(s, res);
  const_cast<Typer*>(t.get())->impl_->wn_keep = wn;
  const_cast<Typer*>(t.get())->impl_->gz_keep = gz;
  return t;
}

const Labels& Typer::labels() const { return impl_->labels; }
const Featurizer& Typer::featurizer() const { return impl_->fz; }
const nlohmann::json& Typer::header() const { return impl_->header; }
std::string Typer::coarse_mode() const { return impl_->mode; }
float Typer::ner_weight() const { return impl_->ner_weight; }

namespace {

bool is_gmner_type(const std::string& t) { return t == "PER" || t == "LOC" || t == "ORG" || t == "OTHER"; }

// Allowed fine ids for an incoming type in "respect" mode; empty = all.
std::vector<char> allowed_fines(const Labels& lab, const std::string& type) {
  std::vector<char> ok;
  int c = lab.coarse_id(type);
  if (c >= 0) {
    ok.assign(lab.fine.size(), 0);
    for (size_t f = 0; f < lab.fine.size(); ++f) ok[f] = lab.parent[f] == c;
  } else if (is_gmner_type(type)) {
    ok.assign(lab.fine.size(), 0);
    for (size_t f = 0; f < lab.fine.size(); ++f) ok[f] = io::fmnerg_to_gmner_type(lab.coarse[lab.parent[f]]) == type;
  }
  return ok;
}


// Fuses the typer's probabilities `pr` with the NER stage's log-probabilities of the fine types
// (Entity::type_logprobs): pr ∝ pr · exp(w · logprob). Unchanged when no NER type is a fine type.
void fuse_ner(std::vector<float>& pr, const Entity& e, const Labels& lab, float w) {
  if (w <= 0.f || e.type_logprobs.empty()) return;
  std::vector<double> lp(pr.size(), -std::numeric_limits<double>::infinity());
  bool any = false;
  for (const auto& [name, v] : e.type_logprobs) {
    const int f = lab.fine_id(io::normalize_fine_type(name));
    if (f < 0) continue;
    lp[static_cast<size_t>(f)] = v;
    any = true;
  }
  if (!any) return;
  double mx = -std::numeric_limits<double>::infinity();
  for (size_t f = 0; f < pr.size(); ++f) mx = std::max(mx, lp[f] = std::log(static_cast<double>(pr[f])) + w * lp[f]);
  if (!std::isfinite(mx)) return;
  double z = 0;
  for (double v : lp) z += std::exp(v - mx);
  for (size_t f = 0; f < pr.size(); ++f) pr[f] = static_cast<float>(std::exp(lp[f] - mx) / z);
}
}  // namespace

std::vector<std::vector<TypePrediction>> Typer::score(const std::vector<Post>& posts, const std::string& mode_in,
                                                      float ner_weight) const {
  const std::string mode = mode_in.empty() ? impl_->mode : mode_in;
  const float w = ner_weight < 0.f ? impl_->ner_weight : ner_weight;
  if (mode != "joint" && mode != "respect") throw Error("typing: unknown coarse mode '" + mode + "' (joint, respect)");
  const auto& lab = impl_->labels;
  std::vector<std::vector<TypePrediction>> out(posts.size());
  torch::NoGradGuard ng;
  const size_t B = 64;
  for (size_t s = 0; s < posts.size(); s += B) {
    std::vector<EncodedPost> enc;
    std::vector<size_t> which;
    for (size_t i = s; i < std::min(posts.size(), s + B); ++i) {
      if (posts[i].entities.empty()) continue;
      enc.push_back(impl_->fz.encode(posts[i], impl_->res));
      which.push_back(i);
    }
    if (enc.empty()) continue;
    std::vector<const EncodedPost*> ptrs;
    for (auto& e : enc) ptrs.push_back(&e);
    auto scores = impl_->net->forward(impl_->net->batch(ptrs)).contiguous();
    const int64_t F = scores.size(1);
    const float* sp = scores.data_ptr<float>();
    int64_t row = 0;
    for (size_t k = 0; k < which.size(); ++k) {
      const Post& p = posts[which[k]];
      for (const auto& e : p.entities) {
        std::vector<float> sc(sp + row * F, sp + (row + 1) * F);
        ++row;
        float mx = *std::max_element(sc.begin(), sc.end());
        std::vector<float> pr(F);
        double z = 0;
        for (int64_t f = 0; f < F; ++f) z += (pr[f] = std::exp(sc[f] - mx));
        for (auto& v : pr) v = static_cast<float>(v / z);
        fuse_ner(pr, e, lab, w);
        std::vector<char> ok;
        if (mode == "respect") ok = allowed_fines(lab, e.type);
        TypePrediction tp;
        for (int64_t f = 0; f < F; ++f) {
          if (!ok.empty() && !ok[f]) continue;
          if (tp.fine < 0 || pr[f] > pr[tp.fine]) tp.fine = static_cast<int>(f);
        }
        tp.coarse = lab.parent[tp.fine];
        tp.fine_prob = pr[tp.fine];
        for (int64_t f = 0; f < F; ++f)
          if (lab.parent[f] == tp.coarse) tp.coarse_prob += pr[f];
        tp.probs = std::move(pr);
        out[which[k]].push_back(std::move(tp));
      }
    }
  }
  return out;
}

void Typer::predict(std::vector<Post>& posts, const std::string& mode_in, float ner_weight) const {
  const std::string mode = mode_in.empty() ? impl_->mode : mode_in;
  auto preds = score(posts, mode, ner_weight);
  const auto& lab = impl_->labels;
  for (size_t i = 0; i < posts.size(); ++i)
    for (size_t k = 0; k < posts[i].entities.size(); ++k) {
      Entity& e = posts[i].entities[k];
      const auto& tp = preds[i][k];
      e.fine_type = lab.fine[tp.fine];
      e.type = lab.coarse[tp.coarse];
    }
}

// ---------------------------------------------------------------------------------------------
// Metrics

nlohmann::json typing_metrics(const std::vector<Post>& gold, const std::vector<Post>& pred, const Labels& lab) {
  if (gold.size() != pred.size()) throw Error("typing: gold and predicted post counts differ");
  long n = 0, fine_ok = 0, coarse_ok = 0;
  std::map<std::string, std::array<long, 3>> per;  // tp, pred, gold
  for (const auto& f : lab.fine) per[f] = {0, 0, 0};
  for (size_t i = 0; i < gold.size(); ++i) {
    if (gold[i].entities.size() != pred[i].entities.size()) throw Error("typing: post " + gold[i].id + " has different entities");
    for (size_t k = 0; k < gold[i].entities.size(); ++k) {
      const auto& g = gold[i].entities[k];
      const auto& p = pred[i].entities[k];
      const std::string gf = io::normalize_fine_type(g.fine_type), pf = io::normalize_fine_type(p.fine_type);
      ++n;
      fine_ok += gf == pf;
      int gi = lab.fine_id(gf), pi = lab.fine_id(pf);
      coarse_ok += gi >= 0 && pi >= 0 && lab.parent[gi] == lab.parent[pi];
      ++per[gf][2];
      ++per[pf][1];
      if (gf == pf) ++per[gf][0];
    }
  }
  nlohmann::json pt = nlohmann::json::object();
  double macro = 0;
  int nt = 0;
  for (const auto& [t, c] : per) {
    double p = c[1] ? 100.0 * c[0] / c[1] : 0, r = c[2] ? 100.0 * c[0] / c[2] : 0;
    double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
    pt[t] = {{"p", p}, {"r", r}, {"f1", f}, {"support", c[2]}, {"pred", c[1]}};
    if (c[2] > 0) {
      macro += f;
      ++nt;
    }
  }
  return {{"entities", n},
          {"fine_acc", n ? 100.0 * fine_ok / n : 0},
          {"coarse_acc", n ? 100.0 * coarse_ok / n : 0},
          {"fine_macro_f1", nt ? macro / nt : 0},
          {"per_type", pt}};
}

nlohmann::json evaluate_typing(const Typer& typer, const std::vector<Post>& gold, const std::string& mode) {
  std::vector<Post> pred = gold;
  for (auto& p : pred)
    for (auto& e : p.entities) {
      e.fine_type.clear();
      if (mode == "joint") e.type.clear();
    }
  typer.predict(pred, mode);
  return typing_metrics(gold, pred, typer.labels());
}

nlohmann::json span_type_f1(const std::vector<Post>& gold, const std::vector<Post>& pred) {
  if (gold.size() != pred.size()) throw Error("typing: gold has " + std::to_string(gold.size()) + " posts, predictions " +
                                              std::to_string(pred.size()));
  long tpf = 0, tpc = 0, tps = 0, np = 0, ng = 0;
  for (size_t i = 0; i < gold.size(); ++i) {
    if (gold[i].id != pred[i].id) throw Error("typing: post " + std::to_string(i) + " ids differ: " + gold[i].id + " vs " + pred[i].id);
    std::set<std::tuple<int, int, std::string>> gf, gc;
    std::set<std::pair<int, int>> gs;
    for (const auto& e : gold[i].entities) {
      gf.insert({e.start, e.end, io::normalize_fine_type(e.fine_type)});
      gc.insert({e.start, e.end, e.type});
      gs.insert({e.start, e.end});
    }
    ng += static_cast<long>(gold[i].entities.size());
    std::set<std::pair<int, int>> seen;
    for (const auto& e : pred[i].entities) {
      if (!seen.insert({e.start, e.end}).second) continue;
      ++np;
      tpf += gf.count({e.start, e.end, io::normalize_fine_type(e.fine_type)});
      tpc += gc.count({e.start, e.end, e.type});
      tps += gs.count({e.start, e.end});
    }
  }
  auto prf = [&](long tp) {
    double p = np ? 100.0 * tp / np : 0, r = ng ? 100.0 * tp / ng : 0;
    return nlohmann::json{{"p", p}, {"r", r}, {"f1", p + r > 0 ? 2 * p * r / (p + r) : 0}, {"tp", tp}, {"pred", np}, {"gold", ng}};
  };
  return {{"fine", prf(tpf)}, {"coarse", prf(tpc)}, {"span", prf(tps)}};
}

}  // namespace mie::typing
