// cli/post_input.h — what `mie predict` and `mie serve` share: a post read from one JSON object,
// and the grounding stage's runtime options (detectors, sizes, image directory, VinVL).
//
//   mie::Post p = mie::cli::post_from_input_json(R"({"text": "Messi at Camp Nou", "image": "a.jpg"})", "1");
//   mie::cli::GroundCliOptions g;            // declared on a command by add_ground_options(app, g)
//   mie::cli::apply_ground_options(model_file, g);   // before Pipeline::from_model
//
// Thread safety: free functions without shared state.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "mie/core/model_file.h"
#include "mie/core/post.h"
#include "mie/grounding/grounder.h"

namespace mie::cli {

// {"id", "text" | "tokens", "image" (a path, or {"path", ...}), "caption", "knowledge"}: "text" is
// tokenized, a missing id becomes `default_id`, gold entities and relations are dropped. Throws
// mie::Error (the message only; callers add the file and line).
Post post_from_input_json(const std::string& line, const std::string& default_id);

struct GroundCliOptions {
  std::string images, sources = "face,object,text,image", vinvl;
  int vinvl_top_k = 16, text_size = 736, face_size = 640;
};

// --images, --regions/--sources, --text-size, --face-size, --vinvl, --vinvl-top-k.
void add_ground_options(CLI::App& app, GroundCliOptions& o);

// The grounding stage's runtime options from the command line's.
grounding::GroundRuntime ground_runtime(const GroundCliOptions& o);

// Writes the options into the model's "ground" section (its "runtime" header) when it has one.
void apply_ground_options(ModelFile& mf, const GroundCliOptions& o);

}  // namespace mie::cli
