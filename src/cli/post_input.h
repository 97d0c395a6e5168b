// cli/post_input.h — the options `mie predict` and `mie serve` share: the library's runtime options
// (mie::Options: detectors, sizes, image directory, VinVL) declared once on a command.
//
//   mie::cli::GroundCliOptions g;            // declared on a command by add_ground_options(app, g)
//   mie::Model m = mie::Model::load(path, mie::cli::library_options(g, threads));
//
// Thread safety: free functions without shared state.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "mie/mie.h"

namespace mie::cli {

struct GroundCliOptions {
  std::string images, sources = "face,object,text,image", vinvl;
  int vinvl_top_k = 16, text_size = 736, face_size = 640;
  float relation_threshold = -1;
};

// --images, --regions/--sources, --text-size, --face-size, --vinvl, --vinvl-top-k, --relation-threshold.
void add_ground_options(CLI::App& app, GroundCliOptions& o);

// The library's options from the command line's.
Options library_options(const GroundCliOptions& o, int threads);

}  // namespace mie::cli
