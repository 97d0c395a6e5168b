#include "mie/ner/tagger.h"

#include <algorithm>
#include <cmath>

#include "mie/core/error.h"
#include "mie/eval/calibration.h"
#include "mie/io/conll.h"
#include "mie/ner/crf.h"
#include "mie/ner/encoder.h"
#include "mie/ner/net.h"

namespace mie::ner {

nlohmann::json TaggerConfig::to_json() const {
  return {{"char_dim", char_dim}, {"char_filters", char_filters}, {"char_width", char_width},
          {"shape_dim", shape_dim}, {"hidden", hidden}, {"layers", layers}, {"dropout", dropout},
          {"use_chars", use_chars}, {"use_shapes", use_shapes}, {"use_feats", use_feats},
          {"use_context", use_context}};
}

TaggerConfig TaggerConfig::from_json(const nlohmann::json& j) {
  TaggerConfig c;
  try {
    c.char_dim = j.at("char_dim");
    c.char_filters = j.at("char_filters");
    c.char_width = j.at("char_width");
    c.shape_dim = j.at("shape_dim");
    c.hidden = j.at("hidden");
    c.layers = j.at("layers");
    c.dropout = j.at("dropout");
    c.use_chars = j.at("use_chars");
    c.use_shapes = j.at("use_shapes");
    c.use_feats = j.at("use_feats");
    c.use_context = j.at("use_context");
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("malformed NER config: ") + e.what());
  }
  return c;
}

struct Tagger::Impl {
  nlohmann::json header;
  TaggerConfig cfg;
  Encoder enc;
  std::vector<TaggerNet> nets;           // one, or the members of an ensemble
  std::vector<float> trans, start, end;  // constrained, averaged over the members, for Viterbi
  // attach_guide: the guide tagger, its label for each of ours, its weight. trans/start/end
  // above already include the guide's mapped, weighted scores.
  std::shared_ptr<const Tagger> guide;
  std::vector<int> guide_map;
  float guide_weight = 0.f;
  // Entity types in label order with their B and I label ids (-1: no I label), for
  // Entity::type_logprobs.
  std::vector<std::string> types;
  std::vector<std::pair<int, int>> type_bi;
  float score_temperature = 1.f;  // header "score_temperature" (fit_score_temperature)
};

struct TaggerInternals {
  static Tagger::Impl& of(const Tagger& t) { return *t.impl_; }
};

Tagger::Tagger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Tagger::~Tagger() = default;

namespace {
std::string member_prefix(size_t k) { return k == 0 ? "net." : "member" + std::to_string(k) + ".net."; }

void add_into(std::vector<float>& acc, const torch::Tensor& t, float w) {
  auto c = t.contiguous();
  const float* d = c.data_ptr<float>();
  if (acc.empty()) acc.assign(static_cast<size_t>(c.numel()), 0.f);
  for (size_t i = 0; i < acc.size(); ++i) acc[i] += w * d[i];
}

constexpr const char* kGuidePrefix = "guide.";

// Guide label index for each of `labels`, by the names in `names` (attach_guide's map).
std::vector<int> guide_indices(const std::vector<std::string>& labels, const nlohmann::json& names,
                               const std::vector<std::string>& guide_labels) {
  if (!names.is_array() || names.size() != labels.size())
    throw Error("the guide's label map has " + std::to_string(names.is_array() ? names.size() : 0) +
                " entries for " + std::to_string(labels.size()) + " labels");
  std::vector<int> map;
  for (size_t l = 0; l < labels.size(); ++l) {
    const std::string g = names[l].is_string() ? names[l].get<std::string>() : "";
    auto it = std::find(guide_labels.begin(), guide_labels.end(), g);
    if (it == guide_labels.end())
      throw Error("label '" + labels[l] + "' maps to '" + g + "', which is not a label of the guide tagger");
    map.push_back(static_cast<int>(it - guide_labels.begin()));
  }
  return map;
}

// The guide section stored inside `s` (attach_guide), loaded, and its scores folded into im's
// transition, start and end scores.
void load_guide(Tagger::Impl& im, const ModelSection& s) {
  const nlohmann::json& g = s.header.at("guide");
  ModelSection gs;
  gs.name = s.name + " (guide)";
  nlohmann::json names;
  try {
    gs.header = g.at("header");
    im.guide_weight = g.at("weight").get<float>();
    names = g.at("labels");
  } catch (const nlohmann::json::exception& e) {
    throw Error("model section '" + s.name + "': malformed guide: " + e.what());
  }
  if (gs.header.contains("guide")) throw Error("model section '" + s.name + "': a guide cannot have a guide");
  if (!(im.guide_weight > 0.f && im.guide_weight <= 10.f))
    throw Error("model section '" + s.name + "': guide weight " + std::to_string(im.guide_weight) + " is not in (0, 10]");
  const std::string pre = kGuidePrefix;
  for (const auto& t : s.tensors)
    if (t.name.rfind(pre, 0) == 0) gs.add_tensor(t.name.substr(pre.size()), t.shape, t.data);
  im.guide = Tagger::load(gs);
  const auto& labels = im.enc.labels();
  im.guide_map = guide_indices(labels, names, im.guide->encoder().labels());
  const Tagger::Impl& gi = TaggerInternals::of(*im.guide);
  const size_t L = labels.size(), GL = gi.enc.labels().size();
  const float w = im.guide_weight;
  for (size_t a = 0; a < L; ++a) {
    const size_t ga = static_cast<size_t>(im.guide_map[a]);
    im.start[a] += w * gi.start[ga];
    im.end[a] += w * gi.end[ga];
    for (size_t b = 0; b < L; ++b) im.trans[a * L + b] += w * gi.trans[ga * GL + static_cast<size_t>(im.guide_map[b])];
  }
}
}  // namespace

ModelSection attach_guide(const ModelSection& tagger, const ModelSection& guide,
                          const std::vector<std::string>& guide_label_of, float weight) {
  for (const ModelSection* s : {&tagger, &guide})
    if (s->header.value("arch", "") != "bilstm-crf")
      throw Error(std::string(s == &tagger ? "the tagger" : "the guide") + " is not a bilstm-crf NER tagger");
  if (tagger.header.contains("guide")) throw Error("the tagger already has a guide");
  if (guide.header.contains("guide")) throw Error("the guide has a guide of its own; attach a plain tagger or ensemble");
  if (!(weight > 0.f && weight <= 10.f)) throw Error("guide weight must be in (0, 10], got " + std::to_string(weight));
  const Encoder te = Encoder::from_json(tagger.header.at("encoder")), ge = Encoder::from_json(guide.header.at("encoder"));
  guide_indices(te.labels(), guide_label_of, ge.labels());  // throws on a bad map
  ModelSection out = tagger;
  out.header.erase("score_temperature");  // fitted for the tagger without its guide
  out.header.erase("score_calibration");
  out.header["guide"] = {{"weight", weight}, {"labels", guide_label_of}, {"header", guide.header}};
  for (const auto& t : guide.tensors) out.add_tensor(kGuidePrefix + t.name, t.shape, t.data);
  return out;
}

std::shared_ptr<const Tagger> Tagger::load(const ModelSection& s) {
  auto impl = std::make_unique<Impl>();
  impl->header = s.header;
  if (s.header.value("arch", "") != "bilstm-crf")
    throw Error("model section '" + s.name + "' is not a bilstm-crf NER tagger (arch " +
                s.header.value("arch", std::string("missing")) + ")");
  impl->cfg = TaggerConfig::from_json(s.header.at("config"));
  impl->enc = Encoder::from_json(s.header.at("encoder"));
  const auto extra = s.header.value("ensemble", nlohmann::json::array());
  if (!extra.is_array()) throw Error("model section '" + s.name + "': \"ensemble\" is not a list");
  const size_t members = 1 + extra.size();
  torch::NoGradGuard ng;
  for (size_t k = 0; k < members; ++k) {
    TaggerNet net(impl->cfg, impl->enc, std::vector<float>{});
    load_net(net, s, member_prefix(k));
    net->eval();
    const float w = 1.f / static_cast<float>(members);
    add_into(impl->trans, net->eff_trans(), w);
    add_into(impl->start, net->eff_start(), w);
    add_into(impl->end, net->end.detach(), w);
    impl->nets.push_back(net);
  }
  if (s.header.contains("guide")) load_guide(*impl, s);
  if (s.header.contains("score_temperature")) {
    const auto& t = s.header.at("score_temperature");
    if (!t.is_number() || !(t.get<double>() >= 0.05 && t.get<double>() <= 100))
      throw Error("model section '" + s.name + "': score_temperature must be a number in [0.05, 100], got " + t.dump());
    impl->score_temperature = t.get<float>();
  }
  const auto& labels = impl->enc.labels();
  impl->types = impl->enc.types();
  for (const auto& t : impl->types) {
    auto i = std::find(labels.begin(), labels.end(), "I-" + t);
    impl->type_bi.emplace_back(impl->enc.label_id("B-" + t), i == labels.end() ? -1 : static_cast<int>(i - labels.begin()));
  }
  return std::shared_ptr<const Tagger>(new Tagger(std::move(impl)));
}

ModelSection merge_taggers(const std::vector<const ModelSection*>& sections) {
  if (sections.size() < 2) throw Error("an ensemble needs at least two NER sections");
  ModelSection out = *sections[0];
  out.header.erase("score_temperature");  // fitted for the first member alone
  out.header.erase("score_calibration");
  out.header["ensemble"] = nlohmann::json::array();
  for (size_t k = 0; k < sections.size(); ++k) {
    const ModelSection& s = *sections[k];
    const std::string which = "NER model " + std::to_string(k + 1);
    if (s.header.value("arch", "") != "bilstm-crf") throw Error(which + " is not a bilstm-crf NER tagger");
    if (s.header.contains("ensemble")) throw Error(which + " is already an ensemble; merge single models");
    if (s.header.contains("guide")) throw Error(which + " has a guide; merge the taggers first, then attach the guide");
    if (s.header.at("config") != out.header.at("config"))
      throw Error(which + " has a different network configuration than the first (train the members with the same options)");
    if (s.header.at("encoder") != out.header.at("encoder"))
      throw Error(which + " has a different vocabulary, labels or features than the first (train the members on the same data)");
    if (k == 0) continue;
    out.header["ensemble"].push_back(s.header.value("train", nlohmann::json::object()));
    for (const auto& t : s.tensors) {
      if (t.name.rfind("net.", 0) != 0) continue;
      out.add_tensor("member" + std::to_string(k) + "." + t.name, t.shape, t.data);
    }
  }
  return out;
}

const TaggerConfig& Tagger::config() const { return impl_->cfg; }
const Encoder& Tagger::encoder() const { return impl_->enc; }
const nlohmann::json& Tagger::header() const { return impl_->header; }
size_t Tagger::members() const { return impl_->nets.size(); }
const Tagger* Tagger::guide() const { return impl_->guide.get(); }

namespace {
// Emission scores [B, Tt, L] of a batch, averaged over the members.
torch::Tensor member_emissions(Tagger::Impl& im, const std::vector<const EncodedPost*>& enc) {
  torch::NoGradGuard ng;
  Batch b = make_batch(enc);
  torch::Tensor em = im.nets[0]->emissions(b);
  for (size_t k = 1; k < im.nets.size(); ++k) em = em + im.nets[k]->emissions(b);
  if (im.nets.size() > 1) em = em / static_cast<double>(im.nets.size());
  return em.contiguous();
}

struct Decoded {
  std::vector<int> path;         // label ids
  std::vector<Entity> entities;  // with type_logprobs
};

// Viterbi paths of a batch and their entities; `guide_enc` holds the same posts encoded by the
// guide's encoder (empty without a guide).
std::vector<Decoded> decode(Tagger::Impl& im, const std::vector<const EncodedPost*>& enc,
                                     const std::vector<const EncodedPost*>& guide_enc) {
  torch::Tensor em = member_emissions(im, enc);
  const int64_t Tt = em.size(1), L = em.size(2);
  const float* e = em.data_ptr<float>();
  torch::Tensor gem;
  if (im.guide) gem = member_emissions(TaggerInternals::of(*im.guide), guide_enc);
  std::vector<Decoded> out;
  std::vector<float> mixed;
  for (size_t i = 0; i < enc.size(); ++i) {
    const int n = enc[i]->n_tweet;
    const float* ei = e + static_cast<int64_t>(i) * Tt * L;
    if (im.guide) {  // ours + weight * the guide's score of the mapped label, per tweet position
      const int64_t GT = gem.size(1), GL = gem.size(2);
      const float* gi = gem.data_ptr<float>() + static_cast<int64_t>(i) * GT * GL;
      mixed.assign(ei, ei + static_cast<int64_t>(n) * L);
      for (int t = 0; t < n; ++t)
        for (int64_t l = 0; l < L; ++l) mixed[t * L + l] += im.guide_weight * gi[t * GL + im.guide_map[l]];
      ei = mixed.data();
    }
    Decoded d;
    d.path = viterbi(ei, n, static_cast<int>(L), im.trans.data(), im.start.data(), im.end.data());
    std::vector<std::string> tags;
    for (int l : d.path) tags.push_back(im.enc.labels()[static_cast<size_t>(l)]);
    d.entities = io::decode_bio(tags);
    CrfLattice lat;
    if (!d.entities.empty())
      lat = crf_lattice(ei, n, static_cast<int>(L), im.trans.data(), im.start.data(), im.end.data(), im.score_temperature);
    for (auto& ent : d.entities) {
      // score: the CRF's marginal probability of this span with this type (over all paths).
      for (size_t k = 0; k < im.types.size(); ++k)
        if (im.types[k] == ent.type)
          ent.score = static_cast<float>(std::exp(span_marginal_logprob(lat, ei, im.trans.data(), im.end.data(),
                                                                        ent.start, ent.end, im.type_bi[k].first,
                                                                        im.type_bi[k].second)));
      auto lp = span_type_logprobs(ei, n, static_cast<int>(L), im.trans.data(), im.start.data(), im.end.data(), d.path,
                                   ent.start, ent.end, im.type_bi);
      ent.type_logprobs.reserve(lp.size());
      for (size_t k = 0; k < lp.size(); ++k) ent.type_logprobs.emplace_back(im.types[k], lp[k]);
    }
    out.push_back(std::move(d));
  }
  return out;
}

// Encodes posts[i] for i in idx with the tagger's encoder, and with the guide's when there is one.
void encode_all(const Tagger::Impl& im, const std::vector<Post>& posts, const std::vector<size_t>& idx,
                std::vector<EncodedPost>& enc, std::vector<EncodedPost>& guide_enc) {
  enc.reserve(idx.size());
  for (size_t i : idx) enc.push_back(im.enc.encode(posts[i], im.cfg.use_context));
  if (!im.guide) return;
  const Tagger::Impl& gi = TaggerInternals::of(*im.guide);
  guide_enc.reserve(idx.size());
  for (size_t i : idx) guide_enc.push_back(gi.enc.encode(posts[i], gi.cfg.use_context));
}
}  // namespace

std::vector<std::string> Tagger::tag(const Post& post) const {
  if (post.tokens.empty()) return {};
  std::vector<EncodedPost> e, ge;
  encode_all(*impl_, {post}, {0}, e, ge);
  auto dec = decode(*impl_, {&e[0]}, ge.empty() ? std::vector<const EncodedPost*>{} : std::vector<const EncodedPost*>{&ge[0]});
  std::vector<std::string> tags;
  for (int k : dec[0].path) tags.push_back(impl_->enc.labels()[static_cast<size_t>(k)]);
  return tags;
}

void Tagger::predict(std::vector<Post>& posts, int batch_size) const {
  batch_size = std::max(batch_size, 1);
  // Encode everything, then batch posts of similar length together (less padding in the LSTM).
  std::vector<size_t> idx;
  for (size_t i = 0; i < posts.size(); ++i) {
    posts[i].entities.clear();
    if (!posts[i].tokens.empty()) idx.push_back(i);
  }
  std::vector<EncodedPost> enc, guide_enc;
  encode_all(*impl_, posts, idx, enc, guide_enc);
  std::vector<size_t> order(enc.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return enc[a].size() < enc[b].size(); });
  for (size_t s = 0; s < order.size(); s += static_cast<size_t>(batch_size)) {
    const size_t e = std::min(order.size(), s + static_cast<size_t>(batch_size));
    std::vector<const EncodedPost*> ptrs, guide_ptrs;
    for (size_t k = s; k < e; ++k) {
      ptrs.push_back(&enc[order[k]]);
      if (!guide_enc.empty()) guide_ptrs.push_back(&guide_enc[order[k]]);
    }
    auto dec = decode(*impl_, ptrs, guide_ptrs);
    for (size_t k = s; k < e; ++k) posts[idx[order[k]]].entities = std::move(dec[k - s].entities);
  }
}

double fit_score_temperature(const ModelSection& section, const std::vector<Post>& dev, nlohmann::json* report) {
  // One load; the temperature only changes the marginals, so it is set on this private copy's
  // state for each try (no other thread can see the copy).
  auto tagger = Tagger::load(section);
  std::vector<std::pair<double, double>> tried;  // (temperature, log loss)
  size_t n_entities = 0;
  for (int k = 2; k <= 16; ++k) {
    const double temp = 0.25 * k;
    TaggerInternals::of(*tagger).score_temperature = static_cast<float>(temp);
    std::vector<Post> pred = dev;
    tagger->predict(pred);
    double loss = 0;
    n_entities = 0;
    for (size_t i = 0; i < pred.size(); ++i)
      for (const Entity& e : pred[i].entities) {
        bool right = false;
        for (const Entity& g : dev[i].entities) right = right || (g.start == e.start && g.end == e.end && g.type == e.type);
        loss += eval::binary_log_loss(e.score, right);
        ++n_entities;
      }
    tried.emplace_back(temp, n_entities ? loss / static_cast<double>(n_entities) : 0.0);
  }
  const auto t1 = std::find_if(tried.begin(), tried.end(), [](auto& t) { return t.first == 1.0; });
  auto best = std::min_element(tried.begin(), tried.end(), [](auto& a, auto& b) { return a.second < b.second; });
  if (n_entities == 0) best = t1;
  if (report) {
    *report = {{"temperature", best->first}, {"log_loss", best->second}, {"log_loss_t1", t1->second},
               {"entities", n_entities}};
  }
  return best->first;
}

}  // namespace mie::ner
