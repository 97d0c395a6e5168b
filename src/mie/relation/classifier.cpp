#include "mie/relation/classifier.h"

#include "mie/core/section_tensors.h"

#include <algorithm>
#include <numeric>

#include "mie/core/error.h"
#include "mie/relation/classifier_impl.h"
#include "mie/relation/schema.h"

namespace mie::relation {

namespace {
// Tensor-name prefix of ensemble member k >= 1 (member 0 keeps the plain names).
std::string member_prefix(size_t k) { return "member" + std::to_string(k) + "."; }
// The frozen GloVe rows: one copy, shared by all members.
constexpr const char* kSharedGlove = "glove";
}  // namespace

RelationClassifier::Impl::Impl(NetConfig c, Vocab v) : cfg(std::move(c)), vocab(std::move(v)) {
  net = make_net(cfg);
  auto it = std::find(cfg.labels.begin(), cfg.labels.end(), kNoneLabel);
  none_index = it == cfg.labels.end() ? -1 : static_cast<int>(it - cfg.labels.begin());
}

RelNet RelationClassifier::Impl::make_net(const NetConfig& c) const {
  return RelNet(c, static_cast<int64_t>(vocab.glove_words.size()) + 1, static_cast<int64_t>(vocab.words.size()),
                static_cast<int64_t>(vocab.shapes.size()));
}

std::vector<Prediction> RelationClassifier::Impl::decode(const torch::Tensor& logits_in,
                                                         const std::vector<const Encoded*>& ex) const {
  torch::Tensor logits = logits_in.clone();
  const int64_t L = logits.size(1);
  if (none_index >= 0) logits.select(1, none_index).add_(none_bias);
  std::vector<LabelSignature> sigs;
  for (const auto& l : cfg.labels) sigs.push_back(label_signature(l));
  for (size_t i = 0; i < ex.size(); ++i) {
    if (ex[i]->head_type < 0 && ex[i]->tail_type < 0) continue;
    for (int64_t l = 0; l < L; ++l)
      if (!compatible(sigs[l], ex[i]->head_type, ex[i]->tail_type)) logits[i][l] = -1e9f;
  }
  torch::Tensor p = torch::softmax(logits, 1).contiguous();
  std::vector<Prediction> out(ex.size());
  const float* d = p.data_ptr<float>();
  for (size_t i = 0; i < ex.size(); ++i) {
    out[i].probs.assign(d + i * L, d + (i + 1) * L);
    const int64_t best = std::max_element(out[i].probs.begin(), out[i].probs.end()) - out[i].probs.begin();
    out[i].label = cfg.labels[best];
    out[i].score = out[i].probs[best];
  }
  return out;
}

torch::Tensor RelationClassifier::Impl::scores(const Batch& b) const {
  net->eval();
  torch::Tensor logits = net->forward(b).logits;
  if (members.empty()) return logits;
  torch::Tensor sum = torch::log_softmax(logits, 1);
  for (auto& m : members) {
    m->eval();
    sum = sum + torch::log_softmax(m->forward(b).logits, 1);
  }
  return sum / static_cast<double>(members.size() + 1);
}

std::vector<Prediction> RelationClassifier::Impl::predict_encoded(const std::vector<const Encoded*>& ex) const {
  if (ex.empty()) return {};
  torch::NoGradGuard ng;
  std::lock_guard<std::mutex> lock(mu);
  Batch b = make_batch(ex, {});
  return decode(scores(b), ex);
}

RelationClassifier::RelationClassifier(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

const std::vector<std::string>& RelationClassifier::labels() const { return impl_->cfg.labels; }
int RelationClassifier::none_index() const { return impl_->none_index; }
float RelationClassifier::none_bias() const { return impl_->none_bias; }
void RelationClassifier::set_none_bias(float b) { impl_->none_bias = b; }
nlohmann::json RelationClassifier::info() const {
  return {{"config", impl_->cfg.to_json()}, {"none_bias", impl_->none_bias}, {"train", impl_->train_info},
          {"glove_rows", impl_->vocab.glove_words.size()}, {"word_rows", impl_->vocab.words.size()},
          {"members", impl_->members.size() + 1}};
}

WordVectors RelationClassifier::word_vectors() const {
  WordVectors wv;
  if (impl_->cfg.glove_dim <= 0) return wv;
  wv.dim = impl_->cfg.glove_dim;
  auto impl = impl_;
  torch::Tensor table = impl->net->glove.contiguous();
  wv.find = [impl, table](const std::string& key) -> const float* {
    const int id = impl->vocab.glove_id(key);
    return id > 0 ? table.data_ptr<float>() + static_cast<int64_t>(id) * table.size(1) : nullptr;
  };
  return wv;
}

std::vector<Prediction> RelationClassifier::predict(const std::vector<RelExample>& ex, int batch_size) const {
  // Batches of similar length: padding to the longest instance of a random batch costs up to 3x.
  std::vector<Encoded> enc;
  enc.reserve(ex.size());
  for (const auto& x : ex) enc.push_back(encode(impl_->vocab, x));
  std::vector<size_t> order(enc.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return enc[a].length < enc[b].length; });
  std::vector<Prediction> out(ex.size());
  const auto step = static_cast<size_t>(std::max(batch_size, 1));
  for (size_t s = 0; s < order.size(); s += step) {
    const size_t e = std::min(order.size(), s + step);
    std::vector<const Encoded*> ptrs;
    for (size_t i = s; i < e; ++i) ptrs.push_back(&enc[order[i]]);
    auto preds = impl_->predict_encoded(ptrs);
    for (size_t i = s; i < e; ++i) out[order[i]] = std::move(preds[i - s]);
  }
  return out;
}

ModelSection RelationClassifier::to_section() const {
  ModelSection s;
  s.name = kSectionName;
  s.header = {{"arch", "relation-markers-" + impl_->cfg.encoder + "-attn"}, {"version", 1},
              {"config", impl_->cfg.to_json()}, {"vocab", impl_->vocab.to_json()},
              {"none_bias", impl_->none_bias}, {"train", impl_->train_info}};
  save_tensors(*impl_->net, s, "", {.buffers = true});
  if (!impl_->members.empty()) {
    s.header["ensemble"] = impl_->member_headers;
    const TensorOptions not_shared{.buffers = true, .skip = [](const std::string& n) { return n == kSharedGlove; }};
    for (size_t k = 0; k < impl_->members.size(); ++k) save_tensors(*impl_->members[k], s, member_prefix(k + 1), not_shared);
  }
  return s;
}

RelationClassifier RelationClassifier::from_section(const ModelSection& s, const std::string& file_name) {
  const auto& h = s.header;
  if (h.value("version", 0) != 1 || !h.contains("config") || !h.contains("vocab"))
    throw Error(file_name + ": section '" + s.name + "' is not a version-1 relation model");
  auto impl = std::make_shared<Impl>(NetConfig::from_json(h.at("config")), Vocab::from_json(h.at("vocab")));
  impl->none_bias = h.value("none_bias", 0.f);
  impl->train_info = h.value("train", nlohmann::json::object());
  load_tensors(*impl->net, s, "", file_name + ": relation model", {.buffers = true});
  impl->net->eval();
  if (h.contains("ensemble")) {
    const auto& ens = h.at("ensemble");
    if (!ens.is_array() || ens.empty()) throw Error(file_name + ": relation section: \"ensemble\" is not a list of members");
    for (size_t k = 0; k < ens.size(); ++k) {
      NetConfig c;
      try {
        c = NetConfig::from_json(ens[k].at("config"));
      } catch (const nlohmann::json::exception& e) {
        throw Error(file_name + ": relation ensemble member " + std::to_string(k + 1) + ": " + e.what());
      }
      if (c.labels != impl->cfg.labels || c.glove_dim != impl->cfg.glove_dim)
        throw Error(file_name + ": relation ensemble member " + std::to_string(k + 1) +
                    " has other labels or word vectors than the first");
      RelNet m = impl->make_net(c);
      load_tensors(*m, s, member_prefix(k + 1), file_name + ": relation model",
                   {.buffers = true, .skip = [](const std::string& n) { return n == kSharedGlove; }});
      m->glove.set_(impl->net->glove);  // shared storage (the registered buffer too), frozen
      m->eval();
      impl->members.push_back(m);
      impl->member_headers.push_back(ens[k]);
    }
  }
  return RelationClassifier(impl);
}

ModelSection merge_relation_models(const std::vector<const ModelSection*>& sections) {
  if (sections.size() < 2) throw Error("a relation ensemble needs at least two models");
  const ModelSection& first = *sections[0];
  ModelSection out = first;
  nlohmann::json members = nlohmann::json::array();
  NetConfig c0;  // the first member's
  for (size_t k = 0; k < sections.size(); ++k) {
    const ModelSection& s = *sections[k];
    const std::string who = "relation model " + std::to_string(k + 1);
    if (s.name != kSectionName || s.header.value("version", 0) != 1 || !s.header.contains("config") ||
        !s.header.contains("vocab"))
      throw Error(who + " is not a version-1 relation model");
    if (s.header.contains("ensemble")) throw Error(who + " already is an ensemble");
    if (s.header.at("vocab") != first.header.at("vocab"))
      throw Error(who + " has another vocabulary than the first (train the members on the same data with the same options)");
    NetConfig c;
    try {
      c = NetConfig::from_json(s.header.at("config"));
    } catch (const nlohmann::json::exception& e) {
      throw Error(who + ": malformed config: " + e.what());
    }
    if (k == 0) c0 = c;
    if (c.labels != c0.labels || c.glove_dim != c0.glove_dim)
      throw Error(who + " has other labels or word vectors than the first");
    const TensorData *g = s.find_tensor(kSharedGlove), *g0 = first.find_tensor(kSharedGlove);
    if (!g || !g0 || g->shape != g0->shape || g->data != g0->data) throw Error(who + " has other GloVe rows than the first");
    if (k == 0) continue;
    members.push_back({{"config", s.header.at("config")}, {"train", s.header.value("train", nlohmann::json::object())}});
    for (const auto& t : s.tensors)
      if (t.name != kSharedGlove) out.add_tensor(member_prefix(k) + t.name, t.shape, t.data);
  }
  out.header["ensemble"] = members;  // none_bias stays the first's
  return out;
}

RelationClassifier RelationClassifier::load(const std::string& path) {
  ModelFile mf = ModelFile::load(path);
  const ModelSection* s = mf.find_section(kSectionName);
  if (!s) throw Error(path + ": no '" + std::string(kSectionName) + "' section (a relation model is needed)");
  return from_section(*s, path);
}

void RelationClassifier::save(const std::string& path, const nlohmann::json& meta) const {
  ModelFile mf;
  mf.meta = meta;
  mf.set_section(to_section());
  mf.save(path);
}

std::vector<Prediction> predict_mnre(const RelationClassifier& clf, const std::vector<io::MreInstance>& in,
                                     std::ostream* out) {
  auto preds = clf.predict(from_mnre(in));
  if (out)
    for (size_t i = 0; i < preds.size(); ++i)
      io::write_mnre_prediction(*out, static_cast<long>(i), preds[i].label, preds[i].score);
  return preds;
}

void fill_relations(const RelationClassifier& clf, Post& p, const ImageSignals* image, float min_score) {
  const auto pairs = entity_pairs(p);
  std::vector<RelExample> ex;
  ex.reserve(pairs.size());
  const WordVectors wv = image ? clf.word_vectors() : WordVectors{};
  for (const auto& [h, t] : pairs) {
    ex.push_back(from_post(p, h, t));
    if (image) ex.back().image = image_features(*image, ex.back(), wv);
  }
  const auto preds = clf.predict(ex);
  p.relations.clear();
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (preds[i].label == kNoneLabel || preds[i].score < min_score) continue;
    p.relations.push_back({pairs[i].first, pairs[i].second, preds[i].label, preds[i].score});
  }
}

std::vector<RelExample> entity_object_examples(const Post& p, const ImageSignals& image, const WordVectors& wv) {
  std::vector<RelExample> out;
  for (size_t e = 0; e < p.entities.size(); ++e) {
    const Entity& ent = p.entities[e];
    for (size_t o = 0; o < image.objects.size(); ++o) {
      const auto& obj = image.objects[o];
      RelExample ex;
      ex.id = p.id + ":" + std::to_string(e) + ":obj" + std::to_string(o);
      ex.tokens = p.tokens;
      ex.tokens.push_back(kObjToken);
      const int start = static_cast<int>(ex.tokens.size());
      std::string w;
      for (char c : obj.label + " ") {
        if (c == ' ' || c == '_') {
          if (!w.empty()) ex.tokens.push_back(w);
          w.clear();
        } else {
          w += c;
        }
      }
      if (static_cast<int>(ex.tokens.size()) == start) ex.tokens.push_back("object");
      ex.head = {ent.start, ent.end, arg_type_from_ner(ent.type)};
      ex.tail = {start, static_cast<int>(ex.tokens.size()), -1};
      validate(ex);
      ex.image = image_features(image, ex, wv, &obj);
      out.push_back(std::move(ex));
    }
  }
  return out;
}

std::vector<ObjectRelation> entity_object_relations(const RelationClassifier& clf, const Post& p,
                                                    const ImageSignals& image, float min_score) {
  const auto ex = entity_object_examples(p, image, clf.word_vectors());
  const auto preds = clf.predict(ex);
  std::vector<ObjectRelation> out;
  const size_t n_obj = image.objects.size();
  for (size_t i = 0; i < ex.size(); ++i) {
    if (preds[i].label == kNoneLabel || preds[i].score < min_score) continue;
    out.push_back({static_cast<int>(i / n_obj), static_cast<int>(i % n_obj), preds[i].label, preds[i].score});
  }
  return out;
}

}  // namespace mie::relation
