// mie — multimodal information extraction from social-media posts. Thin CLI over the library.
//
// Built twice: `mie` (no torch, OpenCV or Tesseract: eval, export, build-gazetteers, convert-glove, --help and
// --version start in milliseconds) and, with MIE_ENGINE defined, `mie-engine` (every command). `mie`
// hands the engine's commands (cli/engine_commands.h) to the mie-engine beside it by exec.
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <map>

#include "cli/command.h"
#include "cli/engine_commands.h"
#include "mie/core/error.h"
#include "mie/version.h"
#ifdef MIE_ENGINE
#include "mie/pipeline/pipeline.h"
#endif

namespace mie::cli {
std::vector<Command>& registry() {
  static std::vector<Command> r;
  return r;
}
}  // namespace mie::cli

namespace {

#ifndef MIE_ENGINE
// Replaces this process by mie-engine with the same arguments (argv[0] kept, so usage says "mie").
[[noreturn]] void exec_engine(char** argv) {
  char self[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  std::string dir = n > 0 ? std::string(self, static_cast<size_t>(n)) : std::string(argv[0]);
  dir = dir.substr(0, dir.rfind('/') + 1);
  const std::string engine = dir + "mie-engine";
  ::execv(engine.c_str(), argv);
  std::cerr << "mie " << argv[1] << ": cannot run " << engine << " (" << ::strerror(errno)
            << "); it is built and installed beside mie\n";
  std::exit(2);
}
#endif

}  // namespace

int main(int argc, char** argv) {
  std::string version = MIE_VERSION_STRING;
#ifdef MIE_ENGINE
  // Before any torch work: OpenBLAS kernels for this CPU, freed activations kept in the heap.
  const mie::pipeline::ProcessSetup& setup = mie::pipeline::setup_process();
  if (!setup.blas_now.empty())
    version += "\nOpenBLAS kernels: " + setup.blas_now +
               (setup.blas_now != setup.blas_before ? " (selected by mie; OpenBLAS chose " + setup.blas_before + ")" : "");
#else
  if (argc > 1 && mie::cli::find_engine_command(argv[1])) exec_engine(argv);
#endif
  CLI::App app{"mie: grounded entities, fine types and relations from a post's text and image"};
  app.name("mie");
  app.set_version_flag("--version", version);
  app.require_subcommand(1);
  auto& reg = mie::cli::registry();
#ifndef MIE_ENGINE
  for (const auto& c : mie::cli::kEngineCommands)  // listed by --help; run by mie-engine
    reg.push_back({c.name, c.help, [](CLI::App&) -> mie::cli::Action { return [] { return 0; }; }});
#endif
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
