// `mie ensemble`: merge NER models trained with the same options on the same data (different
// seeds) into one model file whose tagger averages their scores (ner::merge_taggers), and/or
// attach a guide tagger over coarser labels (ner::attach_guide; --guide). The other stages
// (grounding, fine typing) come from the first model.
//
//   mie ensemble -o ens.mie s1.mie s2.mie s3.mie
//   mie ensemble -o fmnerg.mie --guide models/gmner.mie --guide-weight 1 f1.mie f2.mie f3.mie
#include <iostream>
#include <memory>
#include <optional>

#include "cli/command.h"
#include "mie/core/error.h"
#include "mie/core/model_file.h"
#include "mie/io/fmnerg.h"
#include "mie/ner/encoder.h"
#include "mie/ner/tagger.h"

namespace {
struct Opts {
  std::vector<std::string> models;
  std::string output;
  std::string guide;
  float guide_weight = 1.f;
};

// The guide label for each of the tagger's labels: for a fine tagger (`train ner --fine`, a
// "fine_tree" in its header) "B-athlete" -> "B-" + the GMNER type of athlete's FMNERG coarse type
// ("B-PER"); otherwise the same label name.
std::vector<std::string> guide_labels(const mie::ModelSection& tagger) {
  std::optional<mie::io::TypeTree> tree;
  if (tagger.header.contains("fine_tree")) tree = mie::io::type_tree_from_json(tagger.header["fine_tree"]);
  std::vector<std::string> out;
  const mie::ner::Encoder enc = mie::ner::Encoder::from_json(tagger.header.at("encoder"));
  for (const auto& l : enc.labels()) {
    if (!tree || l == "O") {
      out.push_back(l);
      continue;
    }
    const std::string coarse = tree->coarse_of(l.substr(2));
    if (coarse.empty()) throw mie::Error("NER label '" + l + "' is not a fine type of the model's type tree");
    out.push_back(l.substr(0, 2) + mie::io::fmnerg_to_gmner_type(coarse));
  }
  return out;
}

mie::cli::Registrar reg(
    "ensemble",
    "Merge NER models trained with the same options and data (seeds differ) into one averaging model, "
    "optionally guided by a coarser tagger (--guide)",
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
      return [o]() -> int {
        if (o->models.size() < 2 && o->guide.empty()) {
          std::cerr << "mie ensemble: give at least two models, or one with --guide\n";
          return 1;
        }
        std::vector<mie::ModelFile> files;
        for (const auto& m : o->models) files.push_back(mie::ModelFile::load(m));
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
        mie::ner::Tagger::load(out.section(mie::ner::kNerSection));  // refuses what would not load
        out.save(o->output);
        std::cerr << "ensemble: " << o->models.size() << " NER model(s)" << (o->guide.empty() ? "" : " + guide " + o->guide)
                  << " -> " << o->output << "\n";
        nlohmann::json summary = {{"model", o->output}, {"members", o->models}};
        if (!o->guide.empty()) summary["guide"] = {{"model", o->guide}, {"weight", o->guide_weight}};
        std::cout << summary.dump() << "\n";
        return 0;
      };
    });
}  // namespace
