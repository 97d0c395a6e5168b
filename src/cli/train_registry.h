// cli/train_registry.h — nested subcommands of `mie train` (ner, ground, fine, rel, ...).
//
// Each src/cli/cmd_train_<stage>.cpp registers one sub-subcommand; cmd_train.cpp adds them all
// under "train":
//
//   namespace {
//   mie::cli::TrainRegistrar reg("ner", "Train the entity tagger", [](CLI::App& app) {
//     auto o = std::make_shared<Opts>();
//     app.add_option("--train", o->train, "Training file")->required();
//     return [o]() -> int { /* train */ return 0; };
//   });
//   }
//
// Thread safety: registration happens during static initialisation only.
#pragma once

#include "cli/command.h"

namespace mie::cli {

std::vector<Command>& train_registry();

struct TrainRegistrar {
  TrainRegistrar(std::string name, std::string help, Setup setup) {
    train_registry().push_back({std::move(name), std::move(help), std::move(setup)});
  }
};

}  // namespace mie::cli
