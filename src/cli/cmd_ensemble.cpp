// `mie ensemble`: merge NER models trained with the same options on the same data (different
// seeds) into one model file whose tagger averages their scores (ner::merge_taggers), and/or
// attach a guide tagger over coarser labels (ner::attach_guide; --guide). The other stages
// (grounding, fine typing) come from the first model. Relation models (`mie train rel`) merge the
// same way (relation::merge_relation_models: log-probabilities averaged).
//
//   mie ensemble -o ens.mie s1.mie s2.mie s3.mie
//   mie ensemble -o fmnerg.mie --guide models/gmner.mie --guide-weight 1 f1.mie f2.mie f3.mie
//   mie ensemble -o gmner-large.mie --types gmner --guide gmner-ens.mie f1.mie f2.mie f3.mie
//   mie ensemble -o mnre-large.mie mnre.mie mnre-s2.mie mnre-s3.mie
//   mie ensemble -o ens.mie --calibrate dev.txt s1.mie s2.mie s3.mie   # entity scores fitted on dev
#include <iostream>
#include <memory>
#include <optional>

#include "cli/command.h"
#include "cli/engine_commands.h"
#include "mie/pipeline/pipeline.h"
#include "mie/core/error.h"
#include "mie/core/model_file.h"
#include "mie/io/conll.h"
#include "mie/io/fmnerg.h"
#include "mie/ner/encoder.h"
#include "mie/ner/tagger.h"
#include "mie/relation/classifier.h"

namespace {
struct Opts {
  std::vector<std::string> models;
  std::string output;
  std::string guide;
  float guide_weight = 1.f;
  std::string types;
  std::string calibrate;  // dev file for ner::fit_score_temperature
};

// Fits the merged tagger's score temperature on `dev_path`: FMNERG posts typed by fine type for a
// fine-type tagger, else a CoNLL file with any type names.
void calibrate(mie::ModelSection& s, const std::string& dev_path) {
  std::vector<mie::Post> dev;
  if (s.header.contains("fine_tree"))
    dev = mie::io::read_fmnerg_fine_typed(dev_path, mie::io::type_tree_from_json(s.header["fine_tree"]));
  else
    dev = mie::io::read_conll(dev_path, mie::io::ConllOptions{.allowed_types = {}});
  if (dev.empty()) throw mie::Error(dev_path + ": no posts to calibrate the entity scores on");
  nlohmann::json cal;
  s.header["score_temperature"] = mie::ner::fit_score_temperature(s, dev, &cal);
  cal["file"] = dev_path;
  s.header["score_calibration"] = cal;
  std::cerr << "ensemble: entity scores calibrated on " << dev_path << ": temperature " << cal["temperature"]
            << " (log loss " << cal["log_loss"] << ", " << cal["log_loss_t1"] << " at 1)\n";
}

// The guide label for each of the tagger's labels: for a fine tagger (`train ner --fine`, a
// "fine_tree" in its header) "B-athlete" -> "B-PER" (io::fine_label_to_gmner); otherwise the same
// label name.
std::vector<std::string> guide_labels(const mie::ModelSection& tagger) {
  std::optional<mie::io::TypeTree> tree;
  if (tagger.header.contains("fine_tree")) tree = mie::io::type_tree_from_json(tagger.header["fine_tree"]);
  std::vector<std::string> out;
  const mie::ner::Encoder enc = mie::ner::Encoder::from_json(tagger.header.at("encoder"));
  for (const auto& l : enc.labels()) out.push_back(tree ? mie::io::fine_label_to_gmner(*tree, l) : l);
  return out;
}

// Relation models (`mie train rel`): the members' log-probabilities are averaged.
int merge_relation(const Opts& o, const std::vector<mie::ModelFile>& files) {
  if (!o.guide.empty() || !o.types.empty()) throw mie::Error(o.models[0] + ": --guide and --types are for NER models");
  std::vector<const mie::ModelSection*> secs;
  for (size_t k = 0; k < files.size(); ++k) {
    const mie::ModelSection* s = files[k].find_section(mie::relation::kSectionName);
    if (!s) throw mie::Error(o.models[k] + ": no relation section (all members must be relation models)");
    secs.push_back(s);
  }
  mie::ModelFile out;
  try {
    out.set_section(mie::relation::merge_relation_models(secs));
  } catch (const mie::Error& e) {
    throw mie::Error(std::string(e.what()) + " (members: " + nlohmann::json(o.models).dump() + ")");
  }
  out.meta = files[0].meta;
  out.meta["ensemble_of"] = o.models;
  mie::relation::RelationClassifier::from_section(out.section(mie::relation::kSectionName), o.output);  // refuses what would not load
  out.save(o.output);
  std::cerr << "ensemble: " << o.models.size() << " relation models -> " << o.output << "\n";
  std::cout << nlohmann::json({{"model", o.output}, {"members", o.models}}).dump() << "\n";
  return 0;
}

mie::cli::Registrar reg(
    "ensemble", mie::cli::engine_help("ensemble"),
    [](CLI::App& app) {
      auto o = std::make_shared<Opts>();
      app.add_option("models", o->models, "Model files (the first also supplies the other stages); one is enough with --guide")
          ->required()
          ->expected(1, 64)
          ->check(CLI::ExistingFile);
      mie::cli::add_model_output_option(app, o->output);
      app.add_option("--guide", o->guide,
                     "A tagger over coarser labels on the same posts (e.g. models/gmner.mie for FMNERG fine taggers): its "
                     "scores, mapped onto the fine labels, are added before Viterbi")
          ->check(CLI::ExistingFile);
      app.add_option("--guide-weight", o->guide_weight, "Weight of the guide's scores (0, 10]")
          ->default_val(1.0)
          ->check(CLI::Range(0.001, 10.0));
      app.add_option("--types", o->types,
                     "Entity types a fine-type tagger (train ner --fine) emits: fmnerg (its 8 coarse types) or gmner "
                     "(PER/LOC/ORG/OTHER, so that the model serves GMNER; fine_type is kept); default: the first model's")
          ->check(CLI::IsMember({"fmnerg", "gmner"}));
      app.add_option("--calibrate", o->calibrate,
                     "Dev file to fit the entity scores' temperature on (CoNLL; FMNERG's 3 columns for fine-type "
                     "taggers). Without it the merged tagger's scores are its raw CRF marginals (a member's fitted "
                     "temperature does not carry over)")
          ->check(CLI::ExistingFile);
      return [o]() -> int {
        if (o->models.size() < 2 && o->guide.empty() && o->types.empty() && o->calibrate.empty()) {
          std::cerr << "mie ensemble: give at least two models, or one with --guide, --types or --calibrate\n";
          return 1;
        }
        std::vector<mie::ModelFile> files;
        for (const auto& m : o->models) files.push_back(mie::ModelFile::load(m));
        if (!files[0].find_section(mie::ner::kNerSection) && files[0].find_section(mie::relation::kSectionName)) {
          if (!o->calibrate.empty()) throw mie::Error("--calibrate is for NER models; " + o->models[0] + " is a relation model");
          return merge_relation(*o, files);
        }
        std::vector<const mie::ModelSection*> secs;
        for (const auto& f : files) secs.push_back(&f.section(mie::ner::kNerSection));
        mie::ModelFile out = files[0];
        if (secs.size() > 1) {
          out.set_section(mie::ner::merge_taggers(secs));
          out.meta["ensemble_of"] = o->models;
        }
        if (!o->guide.empty()) {
          const mie::ModelFile g = mie::ModelFile::load(o->guide);
          const mie::ModelSection& tagger = out.section(mie::ner::kNerSection);
          try {
            out.set_section(mie::ner::attach_guide(tagger, g.section(mie::ner::kNerSection), guide_labels(tagger),
                                                   o->guide_weight));
          } catch (const mie::Error& e) {
            throw mie::Error(o->guide + ": cannot guide " + o->models[0] + ": " + e.what());
          }
          out.meta["guide"] = {{"model", o->guide}, {"weight", o->guide_weight}};
        }
        if (!o->types.empty()) {
          mie::ModelSection s = out.section(mie::ner::kNerSection);
          if (!s.header.contains("fine_tree"))
            throw mie::Error(o->models[0] + ": --types is for fine-type taggers (mie train ner --fine)");
          s.header["entity_types"] = o->types;
          out.set_section(std::move(s));
        }
        if (!o->calibrate.empty()) {
          mie::ModelSection s = out.section(mie::ner::kNerSection);
          calibrate(s, o->calibrate);
          out.set_section(std::move(s));
        }
        mie::pipeline::Pipeline::from_model(out, mie::Options{});  // refuses what would not load
        out.save(o->output);
        std::cerr << "ensemble: " << o->models.size() << " NER model(s)" << (o->guide.empty() ? "" : " + guide " + o->guide)
                  << " -> " << o->output << "\n";
        nlohmann::json summary = {{"model", o->output}, {"members", o->models}};
        if (!o->guide.empty()) summary["guide"] = {{"model", o->guide}, {"weight", o->guide_weight}};
        if (!o->types.empty()) summary["entity_types"] = o->types;
        if (!o->calibrate.empty()) summary["score_temperature"] = out.section(mie::ner::kNerSection).header["score_temperature"];
        std::cout << summary.dump() << "\n";
        return 0;
      };
    });
}  // namespace
