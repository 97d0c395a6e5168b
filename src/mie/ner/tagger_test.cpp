// ctest-labels: train data
// Training smoke test on real GMNER posts, model-file round trip, determinism, context.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <tuple>

#include "mie/core/error.h"
#include "mie/core/paths.h"
#include "mie/eval/mner.h"
#include "mie/io/conll.h"
#include "mie/io/aux.h"
#include "mie/io/fmnerg.h"
#include "mie/ner/encoder.h"
#include "mie/ner/net.h"
#include "mie/ner/tagger.h"
#include "mie/ner/tagger_train.h"
#include "mie/text/embeddings.h"
#include "mie/text/features.h"
#include "mie/core/test_tmp.h"

namespace {
using namespace mie;

std::vector<Post> head(std::vector<Post> v, size_t n) {
  if (v.size() > n) v.resize(n);
  return v;
}

// The real GloVe file when set up, else random vectors for the words of `posts` (so the
// test still measures learning, from characters and features mostly).
const text::Embeddings& glove_for(const std::vector<Post>& posts) {
  static text::Embeddings emb = [&] {
    if (file_exists(text::default_glove_path())) return text::Embeddings::load(text::default_glove_path());
    std::set<std::string> words;
    for (const auto& p : posts)
      for (const auto& t : p.tokens) words.insert(text::lookup_key(t));
    std::vector<std::string> w(words.begin(), words.end());
    std::vector<float> m(w.size() * 16);
    std::mt19937 rng(7);
    std::normal_distribution<float> nd(0.f, 0.3f);
    for (auto& x : m) x = nd(rng);
    auto path = mie::test_temp_path("ner_test_glove").string();
    text::write_embeddings(path, 16, w, m);
    auto e = text::Embeddings::load(path);
    return e;
  }();
  return emb;
}

ner::TrainOptions small_opts() {
  ner::TrainOptions o;
  o.net.hidden = 48;
  o.net.char_filters = 24;
  o.epochs = 5;
  o.patience = 5;
  o.enc.glove_top = 2000;
  o.verbose = false;
  o.seed = 11;
  o.threads = 1;
  return o;
}

struct Data {
  std::vector<Post> train, dev;
  std::vector<Post> all;  // train + dev: the words glove_for() keeps
};
const Data& data() {
  static Data d = [] {
    Data x;
    x.train = head(io::read_conll(data_dir() + "/gmner/train.txt"), 400);
    x.dev = head(io::read_conll(data_dir() + "/gmner/dev.txt"), 200);
    x.all = x.train;
    x.all.insert(x.all.end(), x.dev.begin(), x.dev.end());
    return x;
  }();
  return d;
}

TEST(Tagger, TrainsOnRealTweetsAndRoundTripsThroughModelFile) {
  const auto& d = data();
  const auto& all = d.all;
  ner::TrainReport rep;
  auto o = small_opts();
  o.enc.use_train_dict = true;  // the dictionary travels in the model file: the round trip checks it
  o.dict_folds = 4;
  ModelSection sec = ner::train_tagger(d.train, d.dev, glove_for(all), o, &rep);
  EXPECT_EQ(sec.header.at("train").at("dict_folds"), 4);
  // The entity scores' temperature is fitted on dev: its log loss is at most the plain scores'.
  const auto& cal = sec.header.at("score_calibration");
  EXPECT_EQ(sec.header.at("score_temperature"), cal.at("temperature"));
  EXPECT_GE(cal.at("temperature").get<double>(), 0.5);
  EXPECT_LE(cal.at("temperature").get<double>(), 4.0);
  EXPECT_LE(cal.at("log_loss").get<double>(), cal.at("log_loss_t1").get<double>());
  EXPECT_GT(cal.at("entities").get<int>(), 0);
  {  // a temperature outside (0.05, 100) is refused at load
    ModelSection bad = sec;
    bad.header["score_temperature"] = -1;
    EXPECT_THROW(ner::Tagger::load(bad), Error);
  }
  // 400 tweets, 5 small epochs: far from the full model, far above chance (predicting nothing = 0).
  EXPECT_GT(rep.best_f1, 25.0) << "the tagger did not learn";
  ModelFile mf;
  mf.set_section(std::move(sec));
  ModelFile back = ModelFile::from_bytes(mf.to_bytes(), "mem.mie");
  auto tagger = ner::Tagger::load(back.section(ner::kNerSection));
  std::vector<Post> pred = d.dev;
  tagger->predict(pred, 17);
  auto f = eval::entity_metric("mner", d.dev, pred).total();
  EXPECT_NEAR(f.f1, rep.best_f1, 1e-9) << "loaded model disagrees with the trainer's best epoch";
  // Batch composition does not change predictions (packed sequences, no padding leaks). Scores may
  // differ in the last bits: BLAS kernels take other paths for one row than for 17 (SkylakeX's do).
  std::vector<Post> one = {d.dev[5]};
  tagger->predict(one, 1);
  ASSERT_EQ(one[0].entities.size(), pred[5].entities.size());
  for (size_t i = 0; i < one[0].entities.size(); ++i) {
    const Entity &a = one[0].entities[i], &b = pred[5].entities[i];
    EXPECT_EQ(std::tie(a.start, a.end, a.type), std::tie(b.start, b.end, b.type));
    EXPECT_NEAR(a.score, b.score, 1e-4);
    ASSERT_EQ(a.type_logprobs.size(), b.type_logprobs.size());
    for (size_t k = 0; k < a.type_logprobs.size(); ++k) {
      EXPECT_EQ(a.type_logprobs[k].first, b.type_logprobs[k].first);
      EXPECT_NEAR(a.type_logprobs[k].second, b.type_logprobs[k].second, 1e-4);
    }
  }
  // Tags and entities agree (tag() gives no type scores).
  auto tags = tagger->tag(d.dev[5]);
  auto spans = pred[5].entities;
  for (auto& e : spans) {
    EXPECT_EQ(e.type_logprobs.size(), tagger->encoder().types().size());
    e.type_logprobs.clear();
    e.score = 1.f;  // decode_bio's default
  }
  EXPECT_EQ(io::decode_bio(tags), spans);
  // Entity scores are the CRF's marginal probabilities of span + type: in (0, 1], and higher on
  // average for the entities that are right than for the wrong ones.
  double right = 0, wrong = 0;
  int n_right = 0, n_wrong = 0;
  for (size_t i = 0; i < pred.size(); ++i)
    for (const Entity& e : pred[i].entities) {
      EXPECT_GT(e.score, 0.f);
      EXPECT_LE(e.score, 1.f + 1e-6f);
      bool ok = false;
      for (const Entity& g : d.dev[i].entities) ok = ok || std::tie(g.start, g.end, g.type) == std::tie(e.start, e.end, e.type);
      (ok ? right : wrong) += e.score;
      ++(ok ? n_right : n_wrong);
    }
  ASSERT_GT(n_right, 0);
  ASSERT_GT(n_wrong, 0);
  EXPECT_GT(right / n_right, wrong / n_wrong + 0.05) << "scores do not separate right from wrong entities";
}

TEST(Tagger, SameSeedSameModel) {
  const auto& d = data();
  auto tr = head(d.train, 120);
  auto dv = head(d.dev, 60);
  const auto& all = d.all;
  auto o = small_opts();
  o.epochs = 2;
  ModelSection a = ner::train_tagger(tr, dv, glove_for(all), o);
  ModelSection b = ner::train_tagger(tr, dv, glove_for(all), o);
  ASSERT_EQ(a.tensors.size(), b.tensors.size());
  for (size_t i = 0; i < a.tensors.size(); ++i) EXPECT_EQ(a.tensors[i].data, b.tensors[i].data) << a.tensors[i].name;
}

// Training is data parallel (two replicas, each half a batch): one thread or two give the same
// model, bit for bit, with the layer-by-layer LSTM and its own dropout generators.
TEST(Tagger, OneThreadOrTwoGiveTheSameModel) {
  const auto& d = data();
  auto tr = head(d.train, 120);
  auto dv = head(d.dev, 60);
  auto o = small_opts();
  o.epochs = 2;
  o.net.layers = 2;
  o.word_dropout = 0.05;
  o.shards = 2;
  ModelSection one = ner::train_tagger(tr, dv, glove_for(d.all), o);
  o.threads = 2;
  ModelSection two = ner::train_tagger(tr, dv, glove_for(d.all), o);
  ASSERT_EQ(one.tensors.size(), two.tensors.size());
  for (size_t i = 0; i < one.tensors.size(); ++i) EXPECT_EQ(one.tensors[i].data, two.tensors[i].data) << one.tensors[i].name;
}

// The layer-by-layer BiLSTM the trainer uses (dropout between layers from a replica's generator)
// computes what the module's own 2-layer forward computes.
TEST(Tagger, LayerByLayerLstmIsTheModuleLstm) {
  const auto& d = data();
  auto tr = head(d.train, 40);
  auto o = small_opts();
  std::vector<float> vectors;
  ner::Encoder enc = ner::Encoder::build(tr, glove_for(d.all), o.enc, false, vectors);
  ner::TaggerConfig cfg = o.net;
  cfg.layers = 2;
  cfg.dropout = 0;  // deterministic in training mode
  ner::TaggerNet net(cfg, enc, vectors);
  net->train();
  std::vector<ner::EncodedPost> enc_posts;
  for (size_t i = 0; i < 9; ++i) enc_posts.push_back(enc.encode(tr[i], false));
  for (size_t n : {size_t(1), size_t(9)}) {  // one post (unpacked) and a padded batch (packed)
    std::vector<const ner::EncodedPost*> ptrs;
    for (size_t i = 0; i < n; ++i) ptrs.push_back(&enc_posts[i]);
    ner::Batch b = ner::make_batch(ptrs);
    net->gen.reset();
    torch::Tensor module = net->emissions(b);
    net->gen = at::detail::createCPUGenerator(1);
    torch::Tensor layered = net->emissions(b);
    ASSERT_EQ(module.sizes(), layered.sizes());
    EXPECT_LT((module - layered).abs().max().item<float>(), 1e-5) << n << " posts";
  }
}

TEST(Tagger, WordDropoutAndTunedWordsAreSeededAndChangeOnlyWhatTheySay) {
  const auto& d = data();
  const auto tr = head(d.train, 120), dv = head(d.dev, 60);
  const auto& glove = glove_for(d.all);
  auto o = small_opts();
  o.epochs = 1;
  auto tensor = [](const ModelSection& s, const std::string& name) {
    for (const auto& t : s.tensors)
      if (t.name == name) return t.data;
    ADD_FAILURE() << "no tensor " << name;
    return std::vector<float>{};
  };
  const ModelSection plain = ner::train_tagger(tr, dv, glove, o);
  o.word_dropout = 0.2;
  const ModelSection wd = ner::train_tagger(tr, dv, glove, o);
  EXPECT_EQ(wd.header.at("train").at("word_dropout"), 0.2);
  EXPECT_EQ(tensor(wd, "net.word_emb.weight"), tensor(plain, "net.word_emb.weight"));  // still frozen
  EXPECT_NE(tensor(wd, "net.hidden2tag.weight"), tensor(plain, "net.hidden2tag.weight"));
  EXPECT_EQ(tensor(ner::train_tagger(tr, dv, glove, o), "net.hidden2tag.weight"), tensor(wd, "net.hidden2tag.weight"));
  o.word_dropout = 0;
  o.tune_words = true;
  const ModelSection tuned = ner::train_tagger(tr, dv, glove, o);
  EXPECT_EQ(tuned.header.at("train").at("tune_words"), true);
  EXPECT_NE(tensor(tuned, "net.word_emb.weight"), tensor(plain, "net.word_emb.weight"));
}

TEST(Tagger, AuxiliaryFineLabelsTrainASecondHeadThatTheModelFileDoesNotKeep) {
  const auto& d = data();
  const auto tr = head(d.train, 120), dv = head(d.dev, 60);
  const auto& glove = glove_for(d.all);
  // FMNERG train holds GMNER train's posts in the same order, with fine types.
  auto aux = head(io::read_fmnerg(data_dir() + "/fmnerg/train.txt"), 120);
  for (auto& p : aux)
    for (auto& e : p.entities) e.type = e.fine_type;
  auto o = small_opts();
  o.epochs = 1;
  const ModelSection plain = ner::train_tagger(tr, dv, glove, o);
  o.aux = &aux;
  const ModelSection multi = ner::train_tagger(tr, dv, glove, o);
  EXPECT_GT(multi.header.at("train").at("aux_labels").get<int>(), 9);
  EXPECT_EQ(multi.header.at("train").at("aux_weight"), 0.5);
  ASSERT_EQ(multi.tensors.size(), plain.tensors.size());  // the auxiliary head is not saved
  bool differs = false;
  for (size_t i = 0; i < plain.tensors.size(); ++i) {
    EXPECT_EQ(multi.tensors[i].name, plain.tensors[i].name);
    EXPECT_EQ(multi.tensors[i].shape, plain.tensors[i].shape);
    differs = differs || multi.tensors[i].data != plain.tensors[i].data;
  }
  EXPECT_TRUE(differs);  // its gradients reached the shared encoder
  const ModelSection again = ner::train_tagger(tr, dv, glove, o);  // seeded
  for (size_t i = 0; i < multi.tensors.size(); ++i) EXPECT_EQ(again.tensors[i].data, multi.tensors[i].data);
  // Auxiliary posts that are not the training posts, or data-parallel training, are refused.
  auto shifted = head(io::read_fmnerg(data_dir() + "/fmnerg/train.txt"), 121);
  shifted.erase(shifted.begin());
  o.aux = &shifted;
  try {
    ner::train_tagger(tr, dv, glove, o);
    ADD_FAILURE() << "misaligned auxiliary posts accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("post 1 "), std::string::npos) << e.what();
  }
  o.aux = &aux;
  o.shards = 2;
  EXPECT_THROW(ner::train_tagger(tr, dv, glove, o), Error);
}

TEST(Tagger, ContextModelWorksWithAndWithoutContext) {
  const auto& d = data();
  auto tr = head(d.train, 150);
  auto dv = head(d.dev, 60);
  auto know = io::read_knowledge(data_dir() + "/aux/gmner-llm-knowledge.jsonl");
  auto st = io::attach_aux(tr, {}, know);
  io::attach_aux(dv, {}, know);
  EXPECT_EQ(st.captions, 0);
  EXPECT_GT(st.knowledge, 140);
  const auto& all = d.all;
  auto o = small_opts();
  o.epochs = 2;
  o.net.use_context = true;
  o.enc.max_context = 16;  // also encode knowledge tokens after [SEP]
  ModelSection sec = ner::train_tagger(tr, dv, glove_for(all), o);
  auto tagger = ner::Tagger::load(sec);
  EXPECT_TRUE(tagger->config().use_context);
  auto enc = tagger->encoder().encode(dv[0], true);
  EXPECT_GT(enc.size(), dv[0].tokens.size());            // context appended
  EXPECT_EQ(enc.n_tweet, static_cast<int>(dv[0].tokens.size()));
  EXPECT_EQ(enc.size(), dv[0].tokens.size() + 1 + 16);
  // Knowledge-match features fire on some tweet tokens (the "any" column).
  int matched = 0;
  const int nf = ner::Encoder::base_feats();
  const int any_col = text::kNumFeatures + 2 + ner::kKnowledgeFeats - 1;
  for (const auto& p : dv) {
    auto e = tagger->encoder().encode(p, true);
    for (int i = 0; i < e.n_tweet; ++i) matched += e.feats[static_cast<size_t>(i * nf + any_col)] > 0;
  }
  EXPECT_GT(matched, 20);
  std::vector<Post> with = dv, without = dv;
  for (auto& p : without) p.knowledge.clear();
  tagger->predict(with);
  tagger->predict(without);
  for (size_t i = 0; i < with.size(); ++i)
    for (const auto& e : with[i].entities) EXPECT_LE(e.end, static_cast<int>(with[i].tokens.size()));
}

TEST(Tagger, EnsembleAveragesMembersAndRefusesMismatches) {
  const auto& d = data();
  auto tr = head(d.train, 120);
  auto dv = head(d.dev, 60);
  const auto& all = d.all;
  auto o = small_opts();
  o.epochs = 2;
  ModelSection a = ner::train_tagger(tr, dv, glove_for(all), o);
  o.seed = 12;
  ModelSection b = ner::train_tagger(tr, dv, glove_for(all), o);
  // Two copies of one model predict exactly what the model predicts alone.
  ModelSection aa = ner::merge_taggers({&a, &a});
  EXPECT_TRUE(a.header.contains("score_temperature"));
  EXPECT_FALSE(aa.header.contains("score_temperature"));  // fitted for one member, not the ensemble
  EXPECT_FALSE(aa.header.contains("score_calibration"));
  auto single = ner::Tagger::load(a);
  auto twice = ner::Tagger::load(ModelFile::from_bytes([&] {
    ModelFile mf;
    mf.set_section(aa);
    return mf.to_bytes();
  }(), "mem.mie").section(ner::kNerSection));
  EXPECT_EQ(twice->members(), 2u);
  for (size_t i = 0; i < 20; ++i) EXPECT_EQ(twice->tag(dv[i]), single->tag(dv[i]));
  // Different seeds: a working two-member tagger.
  auto ab = ner::Tagger::load(ner::merge_taggers({&a, &b}));
  EXPECT_EQ(ab->members(), 2u);
  for (size_t i = 0; i < 20; ++i) EXPECT_EQ(ab->tag(dv[i]).size(), dv[i].tokens.size());
  // Mismatches are refused: other options, other data, an ensemble as a member, a single model.
  o.net.hidden = 32;
  ModelSection c = ner::train_tagger(tr, dv, glove_for(all), o);
  EXPECT_THROW(ner::merge_taggers({&a, &c}), Error);
  o.net.hidden = 48;
  ModelSection e = ner::train_tagger(head(d.train, 60), dv, glove_for(all), o);
  EXPECT_THROW(ner::merge_taggers({&a, &e}), Error);
  EXPECT_THROW(ner::merge_taggers({&aa, &b}), Error);
  EXPECT_THROW(ner::merge_taggers({&a}), Error);
}

TEST(Tagger, GuideAddsMappedScoresAndRefusesBadMaps) {
  const auto& d = data();
  auto dv = head(d.dev, 60);
  const auto& all = d.all;
  auto o = small_opts();
  o.epochs = 4;
  // Two taggers that disagree: trained on different posts.
  ModelSection a = ner::train_tagger(head(d.train, 200), dv, glove_for(all), o);
  o.seed = 12;
  ModelSection b = ner::train_tagger(std::vector<Post>(d.train.begin() + 200, d.train.end()), dv, glove_for(all), o);
  auto ta = ner::Tagger::load(a), tb = ner::Tagger::load(b);
  const auto& la = ta->encoder().labels();
  const auto& lb = tb->encoder().labels();
  // A tagger guided by itself at weight 1 doubles every score: the same Viterbi paths.
  ModelSection aa = ner::attach_guide(a, a, la, 1.f);
  auto self = ner::Tagger::load(ModelFile::from_bytes([&] {
    ModelFile mf;
    mf.set_section(aa);
    return mf.to_bytes();
  }(), "mem.mie").section(ner::kNerSection));
  ASSERT_NE(self->guide(), nullptr);
  EXPECT_EQ(ta->guide(), nullptr);
  for (size_t i = 0; i < dv.size(); ++i) EXPECT_EQ(self->tag(dv[i]), ta->tag(dv[i]));
  // a + 4 b and b + a / 4 are the same scores up to the factor 4 (emissions and transitions):
  // the same paths, which differ from a's own where a and b disagree.
  auto ab = ner::Tagger::load(ner::attach_guide(a, b, la, 4.f));
  auto ba = ner::Tagger::load(ner::attach_guide(b, a, lb, 0.25f));
  size_t same = 0, a_vs_b = 0, moved = 0;
  for (const auto& p : d.dev) {
    auto g = ab->tag(p);
    ASSERT_EQ(g.size(), p.tokens.size());
    same += g == ba->tag(p);
    a_vs_b += ta->tag(p) != tb->tag(p);
    moved += g != ta->tag(p);
  }
  EXPECT_GE(a_vs_b, 10u);
  EXPECT_GE(moved, 5u);
  EXPECT_GE(same, d.dev.size() - 1);  // a float near-tie at most
  // predict() (batched) agrees with tag().
  std::vector<Post> batch(dv.begin(), dv.begin() + 20);
  ab->predict(batch, 7);
  for (size_t i = 0; i < batch.size(); ++i)
    EXPECT_EQ(io::encode_bio(batch[i].entities, int(batch[i].tokens.size())), ab->tag(dv[i])) << i;
  // Each entity's type log-probabilities: a distribution over the tagger's types whose argmax is
  // the decoded type (relabelling the span cannot beat the Viterbi path).
  size_t ents = 0;
  for (const auto& p : batch)
    for (const auto& e : p.entities) {
      ++ents;
      ASSERT_EQ(e.type_logprobs.size(), 4u);  // PER, LOC, ORG, OTHER
      double z = 0;
      std::string best;
      float bv = -INFINITY;
      for (const auto& [t, v] : e.type_logprobs) {
        z += std::exp(v);
        if (v > bv) { bv = v; best = t; }
      }
      EXPECT_NEAR(z, 1.0, 1e-4);
      EXPECT_EQ(best, e.type);
    }
  EXPECT_GT(ents, 0u);
  // Refused: a map of the wrong size, a label the guide lacks, a weight out of range, guides of guides.
  EXPECT_THROW(ner::attach_guide(a, b, {"O"}, 1.f), Error);
  auto bad = la;
  bad.back() = "B-NOPE";
  EXPECT_THROW(ner::attach_guide(a, b, bad, 1.f), Error);
  EXPECT_THROW(ner::attach_guide(a, b, la, 0.f), Error);
  EXPECT_THROW(ner::attach_guide(aa, b, la, 1.f), Error);
  EXPECT_THROW(ner::attach_guide(a, aa, la, 1.f), Error);
  EXPECT_THROW(ner::merge_taggers({&aa, &a}), Error);
  ModelSection broken = aa;
  broken.header["guide"].erase("weight");
  EXPECT_THROW(ner::Tagger::load(broken), Error);
  broken = aa;
  broken.header["guide"]["weight"] = -1;
  EXPECT_THROW(ner::Tagger::load(broken), Error);
}

TEST(Tagger, RejectsForeignSections) {
  ModelSection s;
  s.name = "ner";
  s.header = {{"arch", "transformer-9000"}};
  EXPECT_THROW(ner::Tagger::load(s), Error);
  s.header = {{"arch", "bilstm-crf"}, {"config", {{"hidden", 3}}}};
  EXPECT_THROW(ner::Tagger::load(s), Error);
}

TEST(Encoder, GazetteerMatchFeatures) {
  Post p;
  p.tokens = {"Flying", "to", "new", "york", "via", "London", "#Canada"};
  std::vector<float> vectors;
  ner::EncoderConfig cfg;
  cfg.glove_top = 10;
  ner::Encoder enc = ner::Encoder::build({p}, glove_for({p}), cfg, false, vectors);
  ner::EncodedPost e = enc.encode(p, false);
  const int nf = ner::Encoder::base_feats();
  const int base = text::kNumFeatures + 2 + ner::kKnowledgeFeats;  // city B, city I, company B, ...
  auto f = [&](int tok, int col) { return e.feats[static_cast<size_t>(tok * nf + base + col)]; };
  EXPECT_EQ(f(2, 8), 1.f);  // "new" begins a region (New York state; columns: city, company, country, person, region)
  EXPECT_EQ(f(3, 9), 1.f);  // "york" continues it
  EXPECT_EQ(f(1, 8) + f(1, 9), 0.f);
  EXPECT_EQ(f(5, 0), 1.f);  // "London" begins a city
  EXPECT_EQ(f(6, 4), 1.f);  // "#Canada" is a country (B)
  // Without gazetteers the columns stay zero, and the setting survives the model header.
  cfg.use_gazetteers = false;
  ner::Encoder off = ner::Encoder::build({p}, glove_for({p}), cfg, false, vectors);
  ner::EncodedPost e2 = off.encode(p, false);
  for (int c = 0; c < ner::kGazFeats; ++c) EXPECT_EQ(e2.feats[static_cast<size_t>(2 * nf + base + c)], 0.f);
  EXPECT_FALSE(ner::Encoder::from_json(off.to_json()).encode(p, false).feats[static_cast<size_t>(2 * nf + base)] > 0);
  EXPECT_EQ(ner::Encoder::from_json(enc.to_json()).encode(p, false).feats, e.feats);
}

// With both a caption and the LLM knowledge, the caption comes first, so a context budget that
// the knowledge alone would fill still keeps the caption; the budget cuts the knowledge.
TEST(Encoder, ContextTokensPutTheCaptionBeforeTheKnowledge) {
  Post p;
  p.tokens = {"Obama", "in", "Paris"};
  p.caption = "a man waving";
  p.knowledge = "Named entities: 1. Obama (person/president) 2. Paris (city) Reasoning: Obama visits Paris.";
  std::vector<float> vectors;
  ner::EncoderConfig cfg;
  cfg.glove_top = 10;
  cfg.max_context = 5;
  ner::Encoder enc = ner::Encoder::build({p}, glove_for({p}), cfg, true, vectors);
  EXPECT_EQ(enc.context_tokens(p), (std::vector<std::string>{"a", "man", "waving", "Named", "entities"}));
  Post q = p;
  q.caption.clear();
  EXPECT_EQ(enc.context_tokens(q).front(), "Named");
  q.knowledge.clear();
  EXPECT_TRUE(enc.context_tokens(q).empty());
}

TEST(Encoder, TrainingDictionaryFeaturesSurviveTheModelHeader) {
  Post a, b;
  a.tokens = {"Go", "Knicks", "!"};
  auto ent = [](int s, int e, const char* type) {
    Entity x;
    x.start = s;
    x.end = e;
    x.type = type;
    return x;
  };
  a.entities = {ent(1, 2, "ORG")};
  b.tokens = {"Knicks", "beat", "Boston"};
  b.entities = {ent(0, 1, "ORG"), ent(2, 3, "LOC")};
  std::vector<float> vectors;
  ner::EncoderConfig cfg;
  cfg.glove_top = 10;
  cfg.use_train_dict = true;
  ner::Encoder enc = ner::Encoder::build({a, b}, glove_for({a, b}), cfg, false, vectors);
  ASSERT_EQ(enc.types(), (std::vector<std::string>{"LOC", "ORG"}));
  const int nf = enc.num_feats(), base = ner::Encoder::base_feats();
  ASSERT_EQ(nf, base + 4 + 2);
  ner::EncodedPost e = enc.encode(b, false);
  EXPECT_EQ(e.n_feats, nf);
  EXPECT_EQ(e.feats[static_cast<size_t>(0 * nf + base)], 1.f);      // "Knicks": B
  EXPECT_EQ(e.feats[static_cast<size_t>(0 * nf + base + 5)], 1.f);  // all ORG
  EXPECT_EQ(e.feats[static_cast<size_t>(2 * nf + base + 4)], 1.f);  // "Boston": all LOC
  // Post b's fold dictionary (folds 2, held out 1) knows "Knicks" from post a only, not "Boston".
  ner::TrainDict fold = enc.fold_dict({a, b}, 2, 1);
  ner::EncodedPost ef = enc.encode(b, false, &fold);
  EXPECT_EQ(ef.feats[static_cast<size_t>(0 * nf + base)], 1.f);
  EXPECT_EQ(ef.feats[static_cast<size_t>(2 * nf + base)], 0.f);
  ner::Encoder back = ner::Encoder::from_json(enc.to_json());
  EXPECT_EQ(back.num_feats(), nf);
  EXPECT_EQ(back.encode(b, false).feats, e.feats);
  // A header whose feature count disagrees is refused.
  auto j = enc.to_json();
  j["num_feats"] = base;
  EXPECT_THROW(ner::Encoder::from_json(j), Error);
}

}  // namespace
