// `mie train ner`: trains the BiLSTM-CRF entity tagger and writes a model file.
#include <chrono>
#include <ctime>
#include <iostream>
#include <memory>
#include <vector>

#include "cli/train_registry.h"
#include "mie/version.h"
#include "mie/core/error.h"
#include "mie/core/model_file.h"
#include "mie/core/paths.h"
#include "mie/io/aux.h"
#include "mie/io/conll.h"
#include "mie/io/fmnerg.h"
#include "mie/ner/tagger_train.h"
#include "mie/text/embeddings.h"

namespace mie::cli {
namespace {

struct Opts {
  std::string train, dev, caption, knowledge, output, glove;
  ner::TrainOptions t;
  bool no_chars = false, no_shapes = false, no_feats = false, no_gaz = false;
  std::vector<std::string> types = {"PER", "LOC", "ORG", "OTHER", "MISC"};
  bool fine = false;
  std::string tree;  // FMNERG type tree (with --fine); "" = <data>/fmnerg/coarse_fine_tree.json
  std::string aux_fine;  // FMNERG file of the training posts: fine types as auxiliary labels
};


nlohmann::json tree_json(const io::TypeTree& tree) {
  nlohmann::json t = nlohmann::json::object();
  for (const auto& c : tree.coarse) t[c] = tree.coarse_to_fine.at(c);
  return {{"coarse_fine_tree", t}};
}

std::string now_iso() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

constexpr int kDefaultCaptionContext = 32;  // BLIP-2 captions run ~10 tokens

int run(const Opts& o) {
  io::ConllOptions copt;
  copt.allowed_types = o.types == std::vector<std::string>{"any"} ? std::vector<std::string>{} : o.types;
  std::vector<Post> train, dev;
  // The FMNERG type tree, read once, when --fine or --aux-fine needs it.
  io::TypeTree tree;
  if (o.fine || !o.aux_fine.empty())
    tree = io::load_type_tree(o.tree.empty() ? data_dir() + "/fmnerg/coarse_fine_tree.json" : o.tree);
  if (o.fine) {
    train = io::read_fmnerg_fine_typed(o.train, tree);
    dev = io::read_fmnerg_fine_typed(o.dev, tree);
  } else {
    train = io::read_conll(o.train, copt);
    dev = io::read_conll(o.dev, copt);
  }
  for (const auto& [path, posts] : {std::pair{&o.train, &train}, std::pair{&o.dev, &dev}})
    if (posts->empty()) throw Error(*path + ": no posts (expected IMGID:<id> lines, then token<TAB>tag lines)");
  ner::TrainOptions t = o.t;
  std::vector<Post> aux;
  if (!o.aux_fine.empty()) {
    aux = io::read_fmnerg_fine_typed(o.aux_fine, tree);
    t.aux = &aux;
  }
  t.net.use_chars = !o.no_chars;
  t.net.use_shapes = !o.no_shapes;
  t.net.use_feats = !o.no_feats;
  t.enc.use_gazetteers = !o.no_gaz;
  if (t.enc.train_dict_tokens) t.enc.use_train_dict = true;  // token statistics belong to the dictionary
  t.net.use_context = !o.caption.empty() || !o.knowledge.empty();
  // Captions are read only as encoded context tokens (knowledge also feeds match features), so a
  // caption without a context budget would silently do nothing.
  if (!o.caption.empty() && t.enc.max_context <= 0) {
    t.enc.max_context = kDefaultCaptionContext;
    std::cerr << "ner: --caption given without --max-context; encoding up to " << kDefaultCaptionContext
              << " context tokens\n";
  }
  nlohmann::json ctx_info = nlohmann::json::object();
  if (t.net.use_context) {
    io::AuxMap caps, know;
    if (!o.caption.empty()) caps = io::read_captions(o.caption);
    if (!o.knowledge.empty()) know = io::read_knowledge(o.knowledge);
    auto ts = io::attach_aux(train, caps, know);
    auto ds = io::attach_aux(dev, caps, know);
    std::cerr << "ner: context for train " << ts.captions << " captions / " << ts.knowledge << " knowledge of "
              << train.size() << " posts; dev " << ds.captions << " / " << ds.knowledge << " of " << dev.size() << "\n";
    if (!o.caption.empty()) ctx_info["caption"] = {{"file", o.caption}, {"hash", file_hash(o.caption)}};
    if (!o.knowledge.empty()) ctx_info["knowledge"] = {{"file", o.knowledge}, {"hash", file_hash(o.knowledge)}};
  }
  auto glove = text::Embeddings::load(o.glove);
  ner::TrainReport rep;
  ModelSection sec = ner::train_tagger(train, dev, glove, t, &rep);
  sec.header["data"] = {{"train", {{"file", o.train}, {"hash", file_hash(o.train)}, {"posts", train.size()}}},
                        {"dev", {{"file", o.dev}, {"hash", file_hash(o.dev)}, {"posts", dev.size()}}},
                        {"context", ctx_info},
                        {"glove", {{"file", o.glove}, {"words", glove.size()}}}};
  if (!o.aux_fine.empty()) sec.header["data"]["aux_fine"] = {{"file", o.aux_fine}, {"hash", file_hash(o.aux_fine)}};
  sec.header["history"] = rep.history;
  // The NER stage reads this: labels are fine types, reported as fine_type under their coarse type.
  if (o.fine) sec.header["fine_tree"] = tree_json(tree);
  ModelFile mf;
  mf.meta = {{"created_by", MIE_VERSION_STRING}, {"created", now_iso()}};
  mf.set_section(std::move(sec));
  mf.save(o.output);
  std::cerr << "ner: wrote " << o.output << "\n";
  nlohmann::json summary = {{"model", o.output}, {"dev", {{"p", rep.best_p}, {"r", rep.best_r}, {"f1", rep.best_f1}}},
                            {"best_epoch", rep.best_epoch}, {"epochs_run", rep.epochs_run}, {"seconds", rep.seconds}};
  std::cout << summary.dump() << "\n";
  return 0;
}

TrainRegistrar reg("ner", "Train the entity tagger (BiLSTM-CRF over GloVe, characters and tweet features)",
                   [](CLI::App& app) {
  auto o = std::make_shared<Opts>();
  o->glove = text::default_glove_path();
  app.add_option("--train", o->train, "Training CoNLL file (IMGID lines, token<TAB>BIO tag)")->required();
  app.add_option("--dev", o->dev, "Development CoNLL file (early stopping, reported F1)")->required();
  app.add_option("--caption", o->caption, "Image captions JSONL ({\"image\",\"caption\"}) used as context");
  app.add_option("--knowledge", o->knowledge, "LLM knowledge JSONL ({\"image\",\"knowledge\"}) used as context");
  add_model_output_option(app, o->output);
  app.add_option("--glove", o->glove, "GloVe binary (mie convert-glove)")->capture_default_str();
  app.add_option("--seed", o->t.seed, "Random seed")->capture_default_str();
  app.add_option("--epochs", o->t.epochs, "Maximum epochs")->capture_default_str();
  app.add_option("--patience", o->t.patience, "Stop after this many epochs without dev improvement")->capture_default_str();
  app.add_option("--batch", o->t.batch_size, "Posts per batch")->capture_default_str();
  app.add_option("--lr", o->t.lr, "Adam learning rate")->capture_default_str();
  add_threads_option(app, o->t.threads, "Threads: with --shards 2, two run the shards in parallel (both cores)");
  app.add_option("--shards", o->t.shards,
                 "1, or 2 for data-parallel training: each half batch on its own network replica, on its own "
                 "thread with --threads 2 (the same model on one thread or two)")
      ->check(CLI::IsMember({1, 2}))
      ->capture_default_str();
  app.add_option("--max-minutes", o->t.max_minutes, "Stop before exceeding this wall time (0 = none)")->capture_default_str();
  app.add_option("--hidden", o->t.net.hidden, "LSTM units per direction")->capture_default_str();
  app.add_option("--layers", o->t.net.layers, "LSTM layers")->capture_default_str();
  app.add_option("--dropout", o->t.net.dropout, "Dropout")->capture_default_str();
  app.add_option("--glove-top", o->t.enc.glove_top, "Keep the N most frequent GloVe words besides the training words")->capture_default_str();
  app.add_option("--max-context", o->t.enc.max_context, "Context tokens kept after the tweet (0 with --caption: 32)")->capture_default_str();
  app.add_option("--context-drop", o->t.context_drop, "Share of training posts seen without context")->capture_default_str();
  app.add_option("--word-dropout", o->t.word_dropout, "Share of training words replaced by <unk> in each batch")
      ->check(CLI::Range(0.0, 0.9))
      ->capture_default_str();
  app.add_flag("--tune-words", o->t.tune_words, "Train the word vectors too (GloVe rows are frozen by default)");
  app.add_option("--types", o->types, "Entity types the CoNLL tags may use (comma-separated, or 'any')")
      ->delimiter(',')
      ->capture_default_str();
  app.add_flag("--fine", o->fine,
               "Train on the fine types of FMNERG files (token, coarse tag, fine tag): the model outputs "
               "fine_type and the FMNERG coarse type");
  app.add_option("--tree", o->tree, "FMNERG type tree for --fine (default <data>/fmnerg/coarse_fine_tree.json)");
  app.add_option("--aux-fine", o->aux_fine,
                 "FMNERG file of the --train posts (same posts, in order): their fine types train a second CRF "
                 "head on the shared encoder (multi-task; training only, the model file is unchanged)");
  app.add_option("--aux-weight", o->t.aux_weight, "Loss weight of the --aux-fine head")->capture_default_str();
  app.add_flag("--no-chars", o->no_chars, "Ablation: no character CNN");
  app.add_flag("--no-shapes", o->no_shapes, "Ablation: no word-shape embedding");
  app.add_flag("--no-feats", o->no_feats, "Ablation: no tweet/casing/gazetteer features");
  app.add_flag("--no-gazetteers", o->no_gaz, "Ablation: no gazetteer match features");
  app.add_flag("--train-dict", o->t.enc.use_train_dict,
               "Match features of the entity strings annotated in --train (jackknifed over folds while training)");
  app.add_flag("--train-dict-tokens", o->t.enc.train_dict_tokens,
               "With --train-dict: also per-token statistics of the annotated entities (share inside an entity, "
               "at its start, per type)");
  app.add_option("--dict-folds", o->t.dict_folds, "Jackknife folds for --train-dict")->capture_default_str()->check(CLI::Range(2, 50));
  return [o]() -> int { return run(*o); };
});

}  // namespace
}  // namespace mie::cli
