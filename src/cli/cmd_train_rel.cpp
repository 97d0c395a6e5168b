// mie train rel — train the relation classifier on MNRE instance files; with --base, as the relation
// stage of an existing model (entities + boxes + relations in one file).
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/train_registry.h"
#include "mie/core/error.h"
#include "mie/core/model_file.h"
#include "mie/core/paths.h"
#include "mie/eval/mre.h"
#include "mie/io/jmere.h"
#include "mie/ner/tagger.h"
#include "mie/pipeline/relation_threshold.h"
#include "mie/io/mnre.h"
#include "mie/relation/rel_train.h"
#include "mie/text/embeddings.h"

namespace {

struct Opts {
  std::string train, dev, out, glove = "auto", report, base;
  mie::relation::TrainOptions t;
  bool no_glove = false, no_type_prior = false;
};

mie::cli::TrainRegistrar reg(
    "rel", "Train the relation classifier on MNRE instance files", [](CLI::App& app) {
      auto o = std::make_shared<Opts>();
      app.add_option("--train", o->train, "MNRE training file (one Python-literal dict a line)")->required();
      app.add_option("--dev", o->dev, "MNRE dev file, scored after each epoch (monitoring only)");
      mie::cli::add_model_output_option(app, o->out);
      app.add_option("--glove", o->glove, "GloVe binary (mie convert-glove); 'auto' = the default cache path")
          ->capture_default_str();
      app.add_flag("--no-glove", o->no_glove, "Train without pre-trained word vectors");
      app.add_option("--encoder", o->t.encoder, "lstm or cnn")->capture_default_str()->check(CLI::IsMember({"lstm", "cnn"}));
      app.add_option("--hidden", o->t.hidden, "Encoder size per direction")->capture_default_str();
      app.add_option("--layers", o->t.layers, "BiLSTM layers (lstm encoder)")->capture_default_str()->check(CLI::Range(1, 4));
      app.add_option("--epochs", o->t.epochs, "Training epochs")->capture_default_str();
      app.add_option("--batch", o->t.batch_size, "Batch size")->capture_default_str();
      app.add_option("--lr", o->t.lr, "Adam learning rate (decays linearly to 10%)")->capture_default_str();
      app.add_option("--dropout", o->t.dropout, "Dropout")->capture_default_str();
      app.add_option("--none-weight", o->t.none_weight, "Loss weight of the 'None' label")->capture_default_str();
      app.add_option("--type-aux", o->t.type_aux, "Weight of the argument-type loss")->capture_default_str();
      app.add_flag("--no-type-prior", o->no_type_prior,
                   "Ablation: leave out the relation logits' argument-type term (compat * log p(types of the label))");
      app.add_option("--seed", o->t.seed, "Random seed")->capture_default_str();
      mie::cli::add_threads_option(app, o->t.threads, "Torch threads (one is fastest for these small models: docs/RESULTS.md)");
      app.add_option("--max-seconds", o->t.max_seconds, "Stop after the epoch that passes this time (0 = no limit)")
          ->capture_default_str();
      app.add_flag("--select-best", o->t.select_best, "Keep the best dev epoch (dev is then not held out)");
      app.add_option("--report", o->report, "Write the training report (JSON) here");
      app.add_option("--base", o->base,
                     "Model file whose stages (ner, ground, ...) the relation stage joins: -o then holds them all, and "
                     "the stage's threshold is chosen end to end on --dev read as posts")
          ->check(CLI::ExistingFile);
      return [o]() -> int {
        o->t.type_prior = !o->no_type_prior;
        if (!o->no_glove) {
          o->t.glove_path = o->glove == "auto" ? mie::text::default_glove_path() : o->glove;
          if (!mie::file_exists(o->t.glove_path))
            throw mie::Error("GloVe file " + o->t.glove_path + " not found (run scripts/setup.sh, or pass --no-glove)");
        }
        auto train = mie::relation::from_mnre(mie::io::read_mnre(o->train));
        std::vector<mie::relation::RelExample> dev;
        if (!o->dev.empty()) dev = mie::relation::from_mnre(mie::io::read_mnre(o->dev));
        std::optional<mie::ModelFile> base;
        if (!o->base.empty()) {
          base = mie::ModelFile::load(o->base);  // before training: a bad file fails now
          if (!base->find_section(mie::ner::kNerSection)) throw mie::Error(o->base + ": --base needs a model with a ner stage");
          if (o->dev.empty()) throw mie::Error("--base needs --dev: the relation threshold is chosen on it");
        }
        mie::relation::TrainReport rep;
        auto clf = mie::relation::train_relation(train, dev, o->t, &rep);
        nlohmann::json meta = {{"train_file", o->train}, {"train_hash", mie::file_hash(o->train)},
                               {"report", rep.to_json()}};
        nlohmann::json res = {{"model", o->out}, {"report", rep.to_json()}};
        if (base) {
          mie::ModelSection s = clf.to_section();
          s.header["train_data"] = meta;
          base->set_section(std::move(s));
          base->meta["relation_base"] = o->base;
          const auto gold = mie::io::mnre_as_posts(mie::io::read_mnre(o->dev));
          const auto t = mie::pipeline::calibrate_relation_threshold(*base, gold, o->t.threads);
          mie::pipeline::set_relation_threshold(*base, t, o->dev);
          base->save(o->out);
          res["posts_dev"] = {{"threshold", t.threshold}, {"p", t.p}, {"r", t.r}, {"f1", t.f1}};
          std::cerr << "train-rel: threshold " << t.threshold << " on " << o->dev << " as posts: triple P " << t.p
                    << " R " << t.r << " F1 " << t.f1 << "\n";
        } else {
          clf.save(o->out, meta);
        }
        if (!dev.empty()) {
          std::vector<std::string> gold, pred;
          auto preds = clf.predict(dev);
          for (size_t i = 0; i < dev.size(); ++i) {
            gold.push_back(dev[i].label);
            pred.push_back(preds[i].label);
          }
          const auto ev = mie::eval::score_mre(gold, pred);
          const auto& m = ev.at("mre");
          res["dev"] = {{"micro", m.total().to_json()}, {"acc", m.acc().percent()}, {"macro_f1", m.extra["macro_f1"]}};
        }
        if (!o->report.empty()) {
          std::ofstream f(o->report);
          if (!f) throw mie::Error("cannot write " + o->report);
          f << res.dump(2) << "\n";
        }
        std::cout << res.dump() << "\n";
        return 0;
      };
    });

}  // namespace
