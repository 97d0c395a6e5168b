// cli/post_input.h — the options `mie predict` and `mie serve` share: the library's runtime options
// (mie::Options: detectors, sizes, image directory, VinVL) declared once on a command.
//
//   mie::Options g;                          // declared on a command by add_ground_options(app, g)
//   g.threads = threads;
//   mie::Model m = mie::Model::load(path, g);
//
// Thread safety: free functions without shared state.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "mie/mie.h"

namespace mie::cli {

// --images, --regions/--sources, --text-size, --face-size, --vinvl, --vinvl-top-k,
// --relation-threshold, declared on `app` straight into the library's options (threads are each
// command's own).
void add_ground_options(CLI::App& app, Options& o);

}  // namespace mie::cli
