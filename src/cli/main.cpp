// mie — multimodal information extraction from social-media posts. Thin CLI over the library.
#include <algorithm>
#include <iostream>
#include <map>

#include "cli/command.h"
#include "mie/core/blas_kernels.h"
#include "mie/core/error.h"
#include "mie/core/heap.h"

namespace mie::cli {
std::vector<Command>& registry() {
  static std::vector<Command> r;
  return r;
}
}  // namespace mie::cli

int main(int argc, char** argv) {
  // Before any torch work: OpenBLAS may have picked generic kernels on an unrecognised CPU.
  const mie::BlasKernels blas = mie::use_cpu_blas_kernels();
  mie::keep_freed_heap();  // reuse freed activations instead of page-faulting them in on every forward
  CLI::App app{"mie: grounded entities, fine types and relations from a post's text and image"};
  std::string version = "mie 0.1.0";
  if (!blas.now.empty())
    version += "\nOpenBLAS kernels: " + blas.now +
               (blas.now != blas.before ? " (selected by mie; OpenBLAS chose " + blas.before + ")" : "");
  app.set_version_flag("--version", version);
  app.require_subcommand(1);
  auto& reg = mie::cli::registry();
  std::sort(reg.begin(), reg.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  std::map<CLI::App*, mie::cli::Action> actions;
  for (auto& c : reg) {
    CLI::App* sub = app.add_subcommand(c.name, c.help);
    actions[sub] = c.setup(*sub);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;  // --help, --version: 0; any usage error: 1
  }
  for (auto& [sub, action] : actions) {
    if (!sub->parsed()) continue;
    try {
      return action();
    } catch (const mie::Error& e) {
      std::cerr << "mie " << sub->get_name() << ": " << e.what() << "\n";
      return 2;
    } catch (const std::exception& e) {
      std::cerr << "mie " << sub->get_name() << ": internal error: " << e.what() << "\n";
      return 3;
    }
  }
  return 0;
}
