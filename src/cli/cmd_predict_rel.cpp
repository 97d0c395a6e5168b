// mie predict-rel — classify MNRE instances with a relation model; one {"id","relation","score"}
// line per instance on stdout. `mie predict --model M --input F` does the same for a relation model.
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/engine_commands.h"
#include "mie/io/mnre.h"
#include "mie/relation/classifier.h"

namespace {

struct Opts {
  std::string model, input;
  float none_bias = 0;
  bool set_bias = false;
};

mie::cli::Registrar reg(
    "predict-rel", mie::cli::engine_help("predict-rel"), [](CLI::App& app) {
      auto o = std::make_shared<Opts>();
      app.add_option("--model", o->model, "Relation model file (mie train-rel)")->required();
      app.add_option("--input", o->input, "MNRE instance file ('-' = stdin)")->required();
      auto* nb = app.add_option("--none-bias", o->none_bias, "Override the model's bias on the 'None' logit");
      return [o, nb]() -> int {
        auto clf = mie::relation::RelationClassifier::load(o->model);
        if (nb->count() > 0) clf.set_none_bias(o->none_bias);
        auto inst = mie::io::read_mnre(o->input);
        mie::relation::predict_mnre(clf, inst, &std::cout);
        return 0;
      };
    });

}  // namespace
