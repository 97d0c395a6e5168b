// cli/engine_commands.h — the commands that need the models' engine (torch, OpenCV, Tesseract).
//
// `mie` itself links none of those, so that eval, export, build-gazetteers, convert-glove, --help and
// --version start in milliseconds; it hands each command below to `mie-engine` (installed beside
// it) by exec, with the same arguments, so the command runs in the same process. The engine's
// cmd_*.cpp take their help text from here: each command's name and help are written once.
#pragma once

#include <cstdlib>
#include <iostream>
#include <string_view>

namespace mie::cli {

struct EngineCommand {
  const char* name;
  const char* help;
};

inline constexpr EngineCommand kEngineCommands[] = {
    {"detect", "Propose regions (faces, objects, text lines, whole image, VinVL) for one image as JSON"},
    {"ensemble",
     "Merge NER (or relation) models trained with the same options and data (seeds differ) into one averaging "
     "model, optionally guided by a coarser tagger (--guide)"},
    {"predict", "Tag posts with a trained model (text lines, JSONL, CoNLL or MNRE in; mie JSONL or CoNLL out)"},
    {"predict-rel", "Classify MNRE instances: one {\"id\",\"relation\",\"score\"} JSON line each"},
    {"report", "Write predictions (and their errors against gold) as one self-contained HTML page with plots"},
    {"serve",
     "Serve a model over HTTP: POST /predict (JSONL posts or a form with an uploaded image), POST /detect, GET /health"},
    {"train", "Train a pipeline stage (ner, fine, ground, rel) and write it into a model file"},
};

inline const EngineCommand* find_engine_command(std::string_view name) {
  for (const auto& c : kEngineCommands)
    if (name == c.name) return &c;
  return nullptr;
}

// The help of an engine command; a name missing from the table is a build mistake.
inline const char* engine_help(std::string_view name) {
  if (const EngineCommand* c = find_engine_command(name)) return c->help;
  std::cerr << "mie: internal error: command '" << name << "' is not in cli/engine_commands.h\n";
  std::abort();
}

}  // namespace mie::cli
