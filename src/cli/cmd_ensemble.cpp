// `mie ensemble`: merge NER models trained with the same options on the same data (different
// seeds) into one model file whose tagger averages their scores (ner::merge_taggers). The other
// stages (grounding, fine typing) come from the first model.
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "mie/core/model_file.h"
#include "mie/ner/tagger.h"

namespace {
struct Opts {
  std::vector<std::string> models;
  std::string output;
};

mie::cli::Registrar reg(
    "ensemble", "Merge NER models trained with the same options and data (seeds differ) into one averaging model",
    [](CLI::App& app) {
      auto o = std::make_shared<Opts>();
      app.add_option("models", o->models, "Model files (the first also supplies the other stages)")
          ->required()
          ->expected(2, 64)
          ->check(CLI::ExistingFile);
      mie::cli::add_model_output_option(app, o->output);
      return [o]() -> int {
        std::vector<mie::ModelFile> files;
        for (const auto& m : o->models) files.push_back(mie::ModelFile::load(m));
        std::vector<const mie::ModelSection*> secs;
        for (const auto& f : files) secs.push_back(&f.section(mie::ner::kNerSection));
        mie::ModelFile out = files[0];
        out.set_section(mie::ner::merge_taggers(secs));
        out.meta["ensemble_of"] = o->models;
        mie::ner::Tagger::load(out.section(mie::ner::kNerSection));  // refuses what would not load
        out.save(o->output);
        std::cerr << "ensemble: " << o->models.size() << " NER models -> " << o->output << "\n";
        std::cout << nlohmann::json({{"model", o->output}, {"members", o->models}}).dump() << "\n";
        return 0;
      };
    });
}  // namespace
