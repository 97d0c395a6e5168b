// `mie train <stage>`: dispatches to the stage trainers registered in train_registry.h.
#include <algorithm>
#include <map>
#include <memory>

#include "cli/command.h"
#include "cli/engine_commands.h"
#include "cli/train_registry.h"

namespace mie::cli {

std::vector<Command>& train_registry() {
  static std::vector<Command> r;
  return r;
}

namespace {
Registrar reg("train", engine_help("train"), [](CLI::App& app) {
  auto& subs = train_registry();
  std::sort(subs.begin(), subs.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  auto actions = std::make_shared<std::map<CLI::App*, Action>>();
  for (auto& c : subs) {
    CLI::App* sub = app.add_subcommand(c.name, c.help);
    (*actions)[sub] = c.setup(*sub);
  }
  app.require_subcommand(1);
  return [actions]() -> int {
    for (auto& [sub, action] : *actions)
      if (sub->parsed()) return action();
    return 1;
  };
});
}  // namespace

}  // namespace mie::cli
