// mie report — predictions as one self-contained HTML file (mie/report/report.h).
//
//   mie report --pred pred.jsonl --gold dev.txt --xml xml/ --images img/ -o report.html
#include <fstream>
#include <memory>

#include "cli/command.h"
#include "cli/engine_commands.h"
#include "mie/core/error.h"
#include "mie/report/report.h"

namespace {

mie::cli::Registrar reg("report", mie::cli::engine_help("report"), [](CLI::App& app) {
  auto o = std::make_shared<mie::report::Options>();
  auto out = std::make_shared<std::string>();
  app.add_option("--pred", o->pred, "Predictions: mie JSONL (mie predict's output)")->required();
  app.add_option("--gold", o->gold, "Gold CoNLL (GMNER, or Twitter-2015/2017 without --xml): scores and errors");
  app.add_option("--xml", o->xml, "GMNER VOC xml directory (gold boxes; with --gold)");
  app.add_option("--images", o->images, "Root of the predictions' relative image paths");
  app.add_option("--image-size", o->image_size, "Longest side of the embedded images, pixels")
      ->check(CLI::Range(32, 4096))
      ->capture_default_str();
  app.add_option("--title", o->title, "Title of the page")->capture_default_str();
  app.add_option("-o,--output", *out, "The HTML file to write")->required();
  return [o, out]() -> int {
    if (!o->xml.empty() && o->gold.empty()) throw mie::Error("--xml goes with --gold");
    std::ofstream f(*out, std::ios::binary | std::ios::trunc);
    if (!f) throw mie::Error(*out + ": cannot write");
    mie::report::write_html(*o, f);
    f.close();
    if (!f) throw mie::Error(*out + ": cannot write (disk full?)");
    return 0;
  };
});

}  // namespace
