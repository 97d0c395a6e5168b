// ctest-labels: train data
#include "mie/typing/typer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "mie/core/error.h"
#include "mie/core/paths.h"
#include "mie/io/aux.h"
#include "mie/io/fmnerg.h"
#include "mie/text/embeddings.h"
#include "mie/text/features.h"
#include "mie/text/gazetteer.h"
#include "mie/typing/typer_train.h"
#include "mie/typing/wordnet.h"
#include "mie/core/test_tmp.h"

namespace mie::typing {
namespace {

const io::TypeTree& tree() {
  static io::TypeTree t = io::load_type_tree(data_dir() + "/fmnerg/coarse_fine_tree.json");
  return t;
}

std::vector<Post> subset(const std::string& split, size_t n) {
  auto posts = io::read_fmnerg(data_dir() + "/fmnerg/" + split + ".txt", &tree());
  if (posts.size() > n) posts.resize(n);
  return posts;
}

// Tiny deterministic embeddings: every training word with a hashed vector (no GloVe needed).
text::Embeddings tiny_glove(const std::vector<Post>& posts) {
  std::vector<std::string> words;
  for (const auto& p : posts)
    for (const auto& t : p.tokens) words.push_back(text::lookup_key(t));
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  words.erase(std::remove(words.begin(), words.end(), ""), words.end());
  const int d = 8;
  std::vector<float> m;
  for (const auto& w : words)
    for (int k = 0; k < d; ++k) m.push_back(static_cast<float>((fnv1a64(w.data(), w.size(), 1469598103934665603ULL + k) % 2001)) / 1000.f - 1.f);
  // One file per process: CTest runs these tests in parallel, and rewriting a file another process
  // has mapped kills it with SIGBUS. The mapping outlives the unlinked file.
  auto path = mie::test_temp_path("typing_tiny_" + std::to_string(words.size()) + ".bin").string();
  text::write_embeddings(path, d, words, m);
  auto e = text::Embeddings::load(path);
  std::filesystem::remove(path);
  return e;
}

text::Gazetteer tiny_gazetteer() {
  text::Gazetteer gz;
  gz.add("city", {"new york", "london", "paris", "chicago"});
  gz.add("country", {"france", "usa", "china"});
  return gz;
}

Entity ent(int start, int end, std::string type = "", std::string fine = "") {
  Entity e;
  e.start = start;
  e.end = end;
  e.type = std::move(type);
  e.fine_type = std::move(fine);
  return e;
}

TypingTrainOptions quick(int epochs) {
  TypingTrainOptions o;
  o.epochs = epochs;
  o.patience = epochs;
  o.threads = 1;  // ctest runs two test processes at once
  o.verbose = false;
  o.net.hidden = 32;
  o.net.bag_dim = 32;
  o.net.mlp = 64;
  o.feats.glove_top = 0;
  o.lr = 3e-3;
  o.tau = 0.3;
  o.batch_size = 32;
  return o;
}

TEST(Labels, FollowTheTree) {
  Labels lab = Labels::from_tree(tree());
  EXPECT_EQ(lab.coarse.size(), 8u);
  EXPECT_EQ(lab.fine.size(), 51u);
  EXPECT_EQ(lab.parent[lab.fine_id("politician")], lab.coarse_id("person"));
  EXPECT_EQ(lab.parent[lab.fine_id("sports_facility")], lab.coarse_id("building"));
  EXPECT_EQ(lab.fine_id("common_person"), lab.fine_id("person_other"));
  EXPECT_EQ(lab.fine_id("nonsense"), -1);
  Labels back = Labels::from_json(lab.to_json());
  EXPECT_EQ(back.fine, lab.fine);
  EXPECT_EQ(back.parent, lab.parent);
  EXPECT_THROW(Labels::from_json({{"coarse", {"a"}}, {"fine", {"x"}}, {"parent", {3}}}), Error);
}

TEST(Featurizer, MentionWordNetGazetteerAndCaptionFeatures) {
  Post p;
  p.id = "1";
  p.tokens = {"RT", "@", "Einstein", "visits", "#", "Paris", "today"};
  p.caption = "a man standing in front of the eiffel tower";
  p.knowledge = "Named entities: 1. Einstein (person/scientist) 2. Paris (city) Reasoning: Paris is the capital of France.";
  p.entities = {ent(2, 3, "person", "intellectual"),
                ent(5, 6, "location", "city")};
  auto wn = shared_wordnet();
  auto gz = tiny_gazetteer();
  Resources res{wn.get(), &gz};
  std::vector<float> vec;
  Post words = p;  // the embeddings also know the caption's words
  for (const auto& w : caption_words(p.caption, 40)) words.tokens.push_back(w);
  auto glove = tiny_glove({words});
  FeatureConfig cfg;
  cfg.min_count = 1;
  cfg.knowledge = true;
  Featurizer fz = Featurizer::build({p}, glove, res, cfg, vec);
  auto has = [](const std::vector<std::string>& f, const std::string& s) { return std::find(f.begin(), f.end(), s) != f.end(); };
  auto f0 = fz.feature_strings(p, p.entities[0], res);
  EXPECT_TRUE(has(f0, "w:einstein"));
  EXPECT_TRUE(has(f0, "shape:Xx"));
  EXPECT_TRUE(has(f0, "prevmark:@"));
  EXPECT_TRUE(has(f0, "prev:rt"));
  EXPECT_TRUE(has(f0, "c3:<ei"));
  EXPECT_TRUE(has(f0, "tf:mention"));
  EXPECT_TRUE(has(f0, "i:physicist.10428004"));
  EXPECT_TRUE(has(f0, "lex:noun.person"));
  EXPECT_TRUE(has(f0, "cap:eiffel"));
  EXPECT_FALSE(has(f0, "cap:the"));  // stop word
  auto f1 = fz.feature_strings(p, p.entities[1], res);
  EXPECT_TRUE(has(f1, "gz:city"));
  EXPECT_TRUE(has(f1, "gzp:city"));
  EXPECT_TRUE(has(f1, "tf:hashtag"));
  EXPECT_TRUE(has(f1, "i:national_capital.08691669"));
  EXPECT_FALSE(has(f1, "gz:country"));
  EXPECT_TRUE(has(f0, "kt:scientist"));
  EXPECT_TRUE(has(f0, "kt:person"));
  EXPECT_TRUE(has(f1, "kt:city"));
  EXPECT_TRUE(has(f1, "kw:capital"));  // "Paris is the capital ..." (second occurrence)
  Post q = p;
  q.knowledge = "Named entities: nothing relevant";
  EXPECT_TRUE(has(fz.feature_strings(q, q.entities[0], res), "kn:absent"));
  auto enc = fz.encode(p, res, nullptr);
  ASSERT_EQ(enc.entities.size(), 2u);
  EXPECT_EQ(enc.words.size(), p.tokens.size());
  EXPECT_FALSE(enc.caption.empty());
  EXPECT_EQ(enc.entities[0].feats.size(), f0.size());  // min_count 1: every feature is known
  // A model needing WordNet refuses to encode without it.
  EXPECT_THROW(fz.encode(p, Resources{nullptr, &gz}), Error);
  Entity bad = ent(5, 9);
  EXPECT_THROW(fz.feature_strings(p, bad, res), Error);
}

struct Trained {
  ModelSection sec;
  TypingReport rep;
  std::vector<Post> dev;
};

// One small real run, shared by the tests below: 1000 FMNERG training posts, 250 dev posts,
// captions attached, WordNet and a tiny gazetteer.
const Trained& trained() {
  static Trained t = [] {
    Trained r;
    auto train = subset("train", 1000);
    r.dev = subset("dev", 250);
    auto caps = io::read_captions(data_dir() + "/aux/captions-blip2.jsonl");
    io::attach_aux(train, caps, {});
    io::attach_aux(r.dev, caps, {});
    static auto gz = tiny_gazetteer();
    Resources res{shared_wordnet().get(), &gz};
    std::vector<Post> all = train;
    all.insert(all.end(), r.dev.begin(), r.dev.end());
    auto glove = tiny_glove(all);
    r.sec = train_typer(train, r.dev, glove, res, Labels::from_tree(tree()), quick(4), &r.rep);
    return r;
  }();
  return t;
}

Resources test_resources() {
  static auto gz = tiny_gazetteer();
  return Resources{shared_wordnet().get(), &gz};
}

TEST(Typer, SmallTrainingRunLearns) {
  const auto& t = trained();
  // The most frequent fine type (athlete) is ~11% of dev entities and the most frequent coarse
  // type ~40%; this run reaches ~49% / ~70% (random 8-d word vectors, 1000 posts, 4 epochs).
  EXPECT_GT(t.rep.best_fine_acc, 40.0) << t.rep.history.dump();
  EXPECT_GT(t.rep.best_coarse_acc, 60.0);
  EXPECT_TRUE(t.rep.dev_metrics.contains("per_type"));
  EXPECT_EQ(t.rep.dev_metrics["per_type"].size(), 51u);
}

TEST(Typer, NeverAFineTypeOutsideItsCoarseType) {
  const auto& t = trained();
  auto typer = Typer::load(t.sec, test_resources());
  const auto& lab = typer->labels();
  for (const std::string mode : {"joint", "respect"}) {
    for (const std::string incoming : {"", "PER", "LOC", "ORG", "OTHER", "person", "building", "art", "weird"}) {
      std::vector<Post> posts = t.dev;
      for (auto& p : posts)
        for (auto& e : p.entities) {
          e.type = incoming;
          e.fine_type.clear();
        }
      typer->predict(posts, mode);
      for (const auto& p : posts)
        for (const auto& e : p.entities) {
          int f = lab.fine_id(e.fine_type);
          ASSERT_GE(f, 0) << e.fine_type;
          ASSERT_EQ(lab.coarse[lab.parent[f]], e.type) << mode << " " << incoming;
          ASSERT_EQ(tree().coarse_of(e.fine_type), e.type);
          if (mode == "respect" && (incoming == "PER" || incoming == "LOC" || incoming == "ORG" || incoming == "OTHER")) {
            ASSERT_EQ(io::fmnerg_to_gmner_type(e.type), incoming);
          }
          if (mode == "respect" && (incoming == "person" || incoming == "building" || incoming == "art")) {
            ASSERT_EQ(e.type, incoming);
          }
        }
    }
  }
  EXPECT_THROW(typer->score(t.dev, "sideways"), Error);
}

// Fusion with the NER stage's type scores (Entity::type_logprobs): weight 0 or no scores leave the
// typer alone; a confident NER score moves the choice; names that are no fine types change nothing.
TEST(Typer, FusesTheNerStagesTypeScores) {
  const auto& t = trained();
  auto typer = Typer::load(t.sec, test_resources());
  EXPECT_EQ(typer->ner_weight(), 0.f);  // sections without "ner_weight"
  std::vector<Post> plain = t.dev;
  for (auto& p : plain)
    for (auto& e : p.entities) e.fine_type.clear();
  auto alone = plain;
  typer->predict(alone, "joint");
  // The NER stage is sure of "musician" for every entity.
  auto sure = plain;
  for (auto& p : sure)
    for (auto& e : p.entities) e.type_logprobs = {{"musician", 0.f}, {"athlete", -30.f}, {"city", -30.f}};
  auto unweighted = sure, fused = sure;
  typer->predict(unweighted, "joint", 0.f);
  typer->predict(fused, "joint", 2.f);
  size_t n = 0, moved = 0;
  for (size_t i = 0; i < sure.size(); ++i)
    for (size_t k = 0; k < sure[i].entities.size(); ++k) {
      ++n;
      EXPECT_EQ(unweighted[i].entities[k].fine_type, alone[i].entities[k].fine_type);
      EXPECT_EQ(fused[i].entities[k].fine_type, "musician");
      EXPECT_EQ(fused[i].entities[k].type, "person");
      moved += alone[i].entities[k].fine_type != "musician";
    }
  EXPECT_GT(moved, n / 2);
  // Coarse GMNER type names are not fine types: no fusion.
  auto coarse = plain;
  for (auto& p : coarse)
    for (auto& e : p.entities) e.type_logprobs = {{"PER", 0.f}, {"LOC", -30.f}};
  typer->predict(coarse, "joint", 2.f);
  for (size_t i = 0; i < coarse.size(); ++i)
    for (size_t k = 0; k < coarse[i].entities.size(); ++k)
      EXPECT_EQ(coarse[i].entities[k].fine_type, alone[i].entities[k].fine_type);
  // The section's own weight applies when none is given.
  ModelSection s = t.sec;
  s.header["ner_weight"] = 2.f;
  auto weighted = Typer::load(s, test_resources());
  auto by_header = sure;
  weighted->predict(by_header, "joint");
  EXPECT_EQ(by_header, fused);
  s.header["ner_weight"] = -1.f;
  EXPECT_THROW(Typer::load(s, test_resources()), Error);
}

TEST(Typer, ModelSectionRoundTrip) {
  const auto& t = trained();
  ModelFile mf;
  mf.meta["stages"] = {kFineSection};
  mf.set_section(t.sec);
  ModelFile back = ModelFile::from_bytes(mf.to_bytes(), "mem.mie");
  const ModelSection& s = back.section(kFineSection);
  EXPECT_EQ(s.header["labels"], t.sec.header["labels"]);
  EXPECT_EQ(s.tensors.size(), t.sec.tensors.size());
  auto a = Typer::load(t.sec, test_resources());
  auto b = Typer::load(s, test_resources());
  auto sa = a->score(t.dev), sb = b->score(t.dev);
  ASSERT_EQ(sa.size(), sb.size());
  for (size_t i = 0; i < sa.size(); ++i)
    for (size_t k = 0; k < sa[i].size(); ++k) {
      EXPECT_EQ(sa[i][k].fine, sb[i][k].fine);
      EXPECT_EQ(sa[i][k].probs, sb[i][k].probs);
    }
  // The stored accuracy is what the loaded model measures.
  auto m = evaluate_typing(*b, t.dev, "joint");
  EXPECT_NEAR(m["fine_acc"].get<double>(), t.rep.best_fine_acc, 1e-9);
  // Wrong sections are refused.
  ModelSection other = s;
  other.header["arch"] = "bilstm-crf";
  EXPECT_THROW(Typer::load(other, test_resources()), Error);
  ModelSection truncated = s;
  truncated.tensors.pop_back();
  EXPECT_THROW(Typer::load(truncated, test_resources()), Error);
  EXPECT_THROW(Typer::load(s, Resources{}), Error);  // needs WordNet and gazetteers
}

TEST(Typer, DeterministicForASeed) {
  auto train = subset("train", 120);
  auto dev = subset("dev", 40);
  auto glove = tiny_glove(train);
  auto res = test_resources();
  auto run = [&] { return train_typer(train, dev, glove, res, Labels::from_tree(tree()), quick(2)); };
  ModelSection a = run(), b = run();
  ASSERT_EQ(a.tensors.size(), b.tensors.size());
  for (size_t i = 0; i < a.tensors.size(); ++i) EXPECT_EQ(a.tensors[i].data, b.tensors[i].data) << a.tensors[i].name;
}

TEST(Typer, UnknownFineTypeInTrainingDataThrows) {
  auto train = subset("train", 20);
  train[0].entities.at(0).fine_type = "wizard";
  auto glove = tiny_glove(train);
  EXPECT_THROW(train_typer(train, {}, glove, test_resources(), Labels::from_tree(tree()), quick(1)), Error);
}

TEST(Metrics, SpanTypeF1) {
  Post g;
  g.id = "1";
  g.tokens = {"a", "b", "c", "d"};
  g.entities = {ent(0, 1, "person", "actor"),
                ent(2, 4, "location", "city")};
  Post p = g;
  p.entities[0].fine_type = "athlete";           // right span and coarse, wrong fine
  p.entities.push_back(ent(1, 2, "art", "music"));  // spurious
  auto m = span_type_f1({g}, {p});
  EXPECT_EQ(m["fine"]["tp"], 1);
  EXPECT_EQ(m["coarse"]["tp"], 2);
  EXPECT_EQ(m["span"]["tp"], 2);
  EXPECT_EQ(m["fine"]["pred"], 3);
  EXPECT_NEAR(m["fine"]["f1"].get<double>(), 40.0, 1e-9);
  Post q = p;
  q.id = "2";
  EXPECT_THROW(span_type_f1({g}, {q}), Error);
}

}  // namespace
}  // namespace mie::typing
