// cli/command.h — subcommand registry for the `mie` binary.
//
// Each src/cli/cmd_<name>.cpp declares its options once (CLI11: name, help text, default) and
// registers itself:
//
//   namespace {
//   struct Opts { std::string gold; bool json = false; };
//   mie::cli::Registrar reg("eval", "Score predictions with the benchmarks' official metrics",
//       [](CLI::App& app) {
//         auto o = std::make_shared<Opts>();
//         app.add_option("--gold", o->gold, "Gold file")->required();
//         app.add_flag("--json", o->json, "Print one JSON object");
//         return [o]() -> int { /* run */ return 0; };
//       });
//   }
//
// Results go to stdout, logs and progress to stderr. A mie::Error thrown by the action is
// printed as "mie <cmd>: <what>" and the process exits with status 2; usage errors exit 1.
#pragma once

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace mie::cli {

using Action = std::function<int()>;
using Setup = std::function<Action(CLI::App&)>;

struct Command {
  std::string name;
  std::string help;
  Setup setup;
};

std::vector<Command>& registry();

// -o FILE of the training commands: checked before training (minutes), not when saving.
inline CLI::Option* add_model_output_option(CLI::App& app, std::string& out) {
  return app.add_option("-o,--output", out, "Model file to write")
      ->required()
      ->check(CLI::Validator(
          [](std::string& p) -> std::string {
            namespace fs = std::filesystem;
            std::error_code ec;
            if (fs::is_directory(p, ec)) return p + " is a directory";
            fs::path dir = fs::path(p).parent_path();
            if (dir.empty()) dir = ".";
            if (!fs::is_directory(dir, ec)) return "directory " + dir.string() + " does not exist";
            if (::access(dir.c_str(), W_OK) != 0) return "directory " + dir.string() + " is not writable";
            return "";
          },
          "FILE"));
}

// --threads N for every command: 1 to 256 (0 or 1000 are mistakes, not requests).
inline CLI::Option* add_threads_option(CLI::App& app, int& threads, const std::string& help) {
  return app.add_option("--threads", threads, help)->check(CLI::Range(1, 256))->capture_default_str();
}

// --text-size and --face-size: the input sizes of the text and face detectors (mie detect, mie predict).
// Smaller is faster and misses smaller text and faces: docs/RESULTS.md, "Region proposals".
inline void add_detector_size_options(CLI::App& app, int& text_size, int& face_size) {
  app.add_option("--text-size", text_size,
                 "Text detector: long side the image is scaled to (multiple of 32; 320 is ~5x faster than 736, "
                 "finds less small text)")
      ->check(CLI::Range(32, 4096))
      ->capture_default_str();
  app.add_option("--face-size", face_size, "Face detector: images are downscaled to this long side at most")
      ->check(CLI::Range(32, 4096))
      ->capture_default_str();
}

struct Registrar {
  Registrar(std::string name, std::string help, Setup setup) {
    registry().push_back({std::move(name), std::move(help), std::move(setup)});
  }
};

}  // namespace mie::cli
