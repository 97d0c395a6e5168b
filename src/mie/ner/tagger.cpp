#include "mie/ner/tagger.h"

#include <algorithm>

#include "mie/core/error.h"
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
}  // namespace

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
  return std::shared_ptr<const Tagger>(new Tagger(std::move(impl)));
}

ModelSection merge_taggers(const std::vector<const ModelSection*>& sections) {
  if (sections.size() < 2) throw Error("an ensemble needs at least two NER sections");
  ModelSection out = *sections[0];
  out.header["ensemble"] = nlohmann::json::array();
  for (size_t k = 0; k < sections.size(); ++k) {
    const ModelSection& s = *sections[k];
    const std::string which = "NER model " + std::to_string(k + 1);
    if (s.header.value("arch", "") != "bilstm-crf") throw Error(which + " is not a bilstm-crf NER tagger");
    if (s.header.contains("ensemble")) throw Error(which + " is already an ensemble; merge single models");
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

namespace {
std::vector<std::vector<int>> decode(Tagger::Impl& im, const std::vector<const EncodedPost*>& enc) {
  torch::NoGradGuard ng;
  Batch b = make_batch(enc);
  torch::Tensor em = im.nets[0]->emissions(b);
  for (size_t k = 1; k < im.nets.size(); ++k) em = em + im.nets[k]->emissions(b);
  if (im.nets.size() > 1) em = em / static_cast<double>(im.nets.size());
  em = em.contiguous();
  const int64_t Tt = em.size(1), L = em.size(2);
  const float* e = em.data_ptr<float>();
  std::vector<std::vector<int>> out;
  for (size_t i = 0; i < enc.size(); ++i) {
    int n = enc[i]->n_tweet;
    out.push_back(viterbi(e + static_cast<int64_t>(i) * Tt * L, n, static_cast<int>(L), im.trans.data(),
                          im.start.data(), im.end.data()));
  }
  return out;
}
}  // namespace

std::vector<std::string> Tagger::tag(const Post& post) const {
  if (post.tokens.empty()) return {};
  EncodedPost e = impl_->enc.encode(post, impl_->cfg.use_context);
  auto paths = decode(*impl_, {&e});
  std::vector<std::string> tags;
  for (int k : paths[0]) tags.push_back(impl_->enc.labels()[static_cast<size_t>(k)]);
  return tags;
}

void Tagger::predict(std::vector<Post>& posts, int batch_size) const {
  batch_size = std::max(batch_size, 1);
  // Encode everything, then batch posts of similar length together (less padding in the LSTM).
  std::vector<EncodedPost> enc;
  std::vector<size_t> idx;
  enc.reserve(posts.size());
  for (size_t i = 0; i < posts.size(); ++i) {
    posts[i].entities.clear();
    if (posts[i].tokens.empty()) continue;
    enc.push_back(impl_->enc.encode(posts[i], impl_->cfg.use_context));
    idx.push_back(i);
  }
  std::vector<size_t> order(enc.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return enc[a].size() < enc[b].size(); });
  for (size_t s = 0; s < order.size(); s += static_cast<size_t>(batch_size)) {
    const size_t e = std::min(order.size(), s + static_cast<size_t>(batch_size));
    std::vector<const EncodedPost*> ptrs;
    for (size_t k = s; k < e; ++k) ptrs.push_back(&enc[order[k]]);
    auto paths = decode(*impl_, ptrs);
    for (size_t k = s; k < e; ++k) {
      std::vector<std::string> tags;
      for (int l : paths[k - s]) tags.push_back(impl_->enc.labels()[static_cast<size_t>(l)]);
      posts[idx[order[k]]].entities = io::decode_bio(tags);
    }
  }
}

}  // namespace mie::ner
