// `mie train fine`: trains the FMNERG fine-grained typing stage (section "fine") on gold spans,
// optionally adding it to a model file that already holds the NER stage (--base), in which case
// the dev split is also scored end to end (NER spans + fine types).
#include <ATen/Parallel.h>

#include <ctime>
#include <iostream>
#include <memory>

#include "mie/version.h"
#include "mie/pipeline/pipeline.h"
#include "cli/train_registry.h"
#include "mie/core/error.h"
#include "mie/core/model_file.h"
#include "mie/core/paths.h"
#include "mie/io/aux.h"
#include "mie/io/fmnerg.h"
#include "mie/text/embeddings.h"
#include "mie/text/gazetteer.h"
#include "mie/typing/typer_train.h"
#include "mie/typing/wordnet.h"

namespace mie::cli {
namespace {

struct Opts {
  std::string train, dev, output, base, caption, knowledge, tree, glove, reuse, coarse_mode = "auto";
  typing::TypingTrainOptions t;
  bool no_wordnet = false, no_gazetteer = false, no_caption = false, no_mention = false;
  std::vector<float> ner_weights{0.f};
};

std::string now_iso() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

int run(Opts o) {
  if (o.coarse_mode != "auto" && o.coarse_mode != "joint" && o.coarse_mode != "respect")
    throw Error("--coarse-mode must be auto, joint or respect");
  const io::TypeTree tree = io::load_type_tree(o.tree);
  auto train = io::read_fmnerg(o.train, &tree);
  auto dev = io::read_fmnerg(o.dev, &tree);
  ModelFile base;
  bool has_base = !o.base.empty();
  if (has_base) base = ModelFile::load(o.base);  // fail early on a bad base file
  o.t.feats.wordnet = !o.no_wordnet;
  o.t.feats.gazetteer = !o.no_gazetteer;
  o.t.feats.mention = !o.no_mention;
  o.t.feats.caption = !o.no_caption && !o.caption.empty();
  nlohmann::json caption_info = nullptr;
  if (o.t.feats.caption) {
    auto caps = io::read_captions(o.caption);
    auto st_train = io::attach_aux(train, caps, {});
    auto st_dev = io::attach_aux(dev, caps, {});
    std::cerr << "fine: captions for " << st_train.captions << "/" << train.size() << " training and " << st_dev.captions
              << "/" << dev.size() << " dev posts\n";
    caption_info = {{"file", o.caption}, {"hash", file_hash(o.caption)}};
  }
  o.t.feats.knowledge = !o.knowledge.empty();
  nlohmann::json knowledge_info = nullptr;
  if (o.t.feats.knowledge) {
    auto know = io::read_knowledge(o.knowledge);
    auto st_train = io::attach_aux(train, {}, know);
    auto st_dev = io::attach_aux(dev, {}, know);
    std::cerr << "fine: knowledge for " << st_train.knowledge << "/" << train.size() << " training and " << st_dev.knowledge
              << "/" << dev.size() << " dev posts\n";
    knowledge_info = {{"file", o.knowledge}, {"hash", file_hash(o.knowledge)}};
  }
  typing::Resources res;
  std::shared_ptr<const typing::WordNet> wn;
  std::shared_ptr<const text::Gazetteer> gz;
  if (o.t.feats.wordnet) res.wordnet = (wn = typing::shared_wordnet()).get();
  if (o.t.feats.gazetteer) res.gazetteer = (gz = typing::shared_gazetteer()).get();
  auto glove = text::Embeddings::load(o.glove);
  const auto labels = typing::Labels::from_tree(tree);
  o.t.coarse_mode = o.coarse_mode == "auto" ? "joint" : o.coarse_mode;

  typing::TypingReport rep;
  ModelSection sec;
  if (!o.reuse.empty()) {  // take an already trained "fine" section (e.g. to add it to a new --base)
    sec = ModelFile::load(o.reuse).section(typing::kFineSection);
    const auto fc = typing::FeatureConfig::from_json(sec.header.at("featurizer").at("config"));
    if (fc.caption && !o.t.feats.caption) std::cerr << "fine: warning: the reused model was trained with captions; pass --caption\n";
    if (fc.wordnet && !res.wordnet) res.wordnet = (wn = typing::shared_wordnet()).get();
    if (fc.gazetteer && !res.gazetteer) res.gazetteer = (gz = typing::shared_gazetteer()).get();
    rep.best_epoch = sec.header.at("train").value("best_epoch", 0);
    std::cerr << "fine: reusing the \"fine\" section of " << o.reuse << " (no training)\n";
  } else {
    sec = typing::train_typer(train, dev, glove, res, labels, o.t, &rep);
  }
  if (o.reuse.empty()) sec.header["data"] = {{"train", {{"file", o.train}, {"hash", file_hash(o.train)}, {"posts", train.size()}}},
                        {"dev", {{"file", o.dev}, {"hash", file_hash(o.dev)}, {"posts", dev.size()}}},
                        {"tree", {{"file", o.tree}, {"hash", file_hash(o.tree)}}},
                        {"caption", caption_info},
                        {"knowledge", knowledge_info},
                        {"glove", {{"file", o.glove}, {"words", glove.size()}}}};
  if (o.reuse.empty()) sec.header["history"] = rep.history;

  auto typer = typing::Typer::load(sec, res);
  nlohmann::json summary = {{"model", o.output}, {"best_epoch", rep.best_epoch}, {"epochs_run", rep.epochs_run},
                            {"seconds", rep.seconds}};
  nlohmann::json gold_joint = typing::evaluate_typing(*typer, dev, "joint");
  summary["dev_gold_spans"] = {{"joint", {{"fine_acc", gold_joint["fine_acc"]}, {"coarse_acc", gold_joint["coarse_acc"]},
                                          {"fine_macro_f1", gold_joint["fine_macro_f1"]}}}};
  {
    auto gold_respect = typing::evaluate_typing(*typer, dev, "respect");  // gold FMNERG coarse given
    summary["dev_gold_spans"]["given_gold_coarse"] = {{"fine_acc", gold_respect["fine_acc"]},
                                                      {"fine_macro_f1", gold_respect["fine_macro_f1"]}};
  }
  summary["per_type"] = gold_joint["per_type"];

  ModelFile mf;
  std::vector<std::string> stages;
  if (has_base) {
    for (const auto& s : base.sections())
      if (s.name != typing::kFineSection) mf.set_section(s);
    if (base.meta.contains("stages") && base.meta["stages"].is_array())
      for (const auto& n : base.meta["stages"])
        if (n != typing::kFineSection) stages.push_back(n.get<std::string>());
    if (stages.empty())
      for (const auto& s : base.sections())
        if (s.name != typing::kFineSection) stages.push_back(s.name);
    mf.meta = base.meta;
    // End to end on dev: the base pipeline's spans, then the typer's mode chosen on them.
    if (base.find_section("ner")) {
      at::set_num_threads(std::max(1, o.t.threads));
      pipeline::Pipeline pipe = pipeline::Pipeline::from_model(base, Options{});
      std::vector<Post> pred = dev;
      for (auto& p : pred) p.entities.clear();
      pipe.run(pred);
      const typing::FineModeChoice c = typing::choose_fine_mode(*typer, dev, pred, o.coarse_mode, o.ner_weights, &std::cerr);
      if (!c.mode.empty()) {
        sec.header["coarse_mode"] = c.mode;
        sec.header["ner_weight"] = c.ner_weight;
      }
      summary["dev_end_to_end"] = c.scores;
    }
  }
  if (!sec.header.contains("ner_weight")) sec.header["ner_weight"] = o.ner_weights.front();
  summary["coarse_mode"] = sec.header["coarse_mode"];
  summary["ner_weight"] = sec.header["ner_weight"];
  stages.push_back(typing::kFineSection);
  mf.meta["stages"] = stages;
  mf.meta["created_by"] = MIE_VERSION_STRING;
  mf.meta["created"] = now_iso();
  mf.set_section(std::move(sec));
  mf.save(o.output);
  std::cerr << "fine: wrote " << o.output << " (stages:";
  for (const auto& s : stages) std::cerr << " " << s;
  std::cerr << ")\n";
  std::cout << summary.dump() << "\n";
  return 0;
}

TrainRegistrar reg("fine", "Train FMNERG fine-grained typing (51 fine under 8 coarse types) on gold spans",
                   [](CLI::App& app) {
  auto o = std::make_shared<Opts>();
  o->glove = text::default_glove_path();
  o->tree = data_dir() + "/fmnerg/coarse_fine_tree.json";
  app.add_option("--train", o->train, "Training FMNERG file (token<TAB>coarse BIO<TAB>fine BIO)")->required();
  app.add_option("--dev", o->dev, "Development FMNERG file (early stopping, reported accuracy)")->required();
  add_model_output_option(app, o->output);
  app.add_option("--base", o->base, "Model file whose stages (e.g. ner) are copied before \"fine\"; its NER is scored end to end on dev");
  app.add_option("--reuse", o->reuse, "Take the \"fine\" section of this model file instead of training (to combine it with --base and score it)");
  app.add_option("--caption", o->caption, "Image captions JSONL ({\"image\",\"caption\"}) used as a bag-of-words feature");
  app.add_option("--knowledge", o->knowledge,
                 "LLM knowledge JSONL ({\"image\",\"knowledge\"}): where the mention occurs in it (not comparable with text-only systems)");
  app.add_option("--tree", o->tree, "FMNERG coarse/fine type tree JSON")->capture_default_str();
  app.add_option("--glove", o->glove, "GloVe binary (mie convert-glove)")->capture_default_str();
  app.add_option("--coarse-mode", o->coarse_mode,
                 "joint (argmax over all fine types), respect (fine types under the NER's type) or auto (best end-to-end dev F1 with --base, else joint)")
      ->capture_default_str();
  app.add_option("--seed", o->t.seed, "Random seed")->capture_default_str();
  app.add_option("--epochs", o->t.epochs, "Maximum epochs")->capture_default_str();
  app.add_option("--patience", o->t.patience, "Stop after this many epochs without dev improvement")->capture_default_str();
  app.add_option("--batch", o->t.batch_size, "Posts per batch")->capture_default_str();
  app.add_option("--lr", o->t.lr, "Adam learning rate")->capture_default_str();
  app.add_option("--tau", o->t.tau, "Logit adjustment strength for rare fine types (0 = plain cross-entropy)")->capture_default_str();
  app.add_option("--coarse-weight", o->t.coarse_weight, "Weight of the coarse-marginal loss")->capture_default_str();
  add_threads_option(app, o->t.threads, "Torch threads (one is fastest for these small models: docs/RESULTS.md)");
  app.add_option("--max-minutes", o->t.max_minutes, "Stop before exceeding this wall time (0 = none)")->capture_default_str();
  app.add_option("--context", o->t.net.context, "Context encoder: window (GloVe of the neighbours) or bilstm")
      ->capture_default_str()
      ->check(CLI::IsMember({"window", "bilstm"}));
  app.add_option("--window", o->t.net.window, "Neighbour words each side (window context)")->capture_default_str();
  app.add_option("--hidden", o->t.net.hidden, "BiLSTM units per direction (bilstm context)")->capture_default_str();
  app.add_option("--dropout", o->t.net.dropout, "Dropout before and after the hidden layer")->capture_default_str();
  app.add_option("--min-count", o->t.feats.min_count, "Drop sparse features seen fewer times in training")->capture_default_str();
  app.add_option("--ner-weight", o->ner_weights,
                 "Weight of the NER stage's fine-type scores (a --base fine tagger, `train ner --fine`) fused with the "
                 "typer's; several values: the best end to end on dev is kept (0 = the typer alone)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 10.0));
  app.add_flag("--no-wordnet", o->no_wordnet, "Ablation: no WordNet hypernym features");
  app.add_flag("--no-gazetteer", o->no_gazetteer, "Ablation: no gazetteer features");
  app.add_flag("--no-caption", o->no_caption, "Ablation: no caption features (same as leaving out --caption)");
  app.add_flag("--no-mention", o->no_mention, "Ablation: no sparse mention-string features");
  return [o]() -> int { return run(*o); };
});

}  // namespace
}  // namespace mie::cli
