#include "cli/post_input.h"

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "mie/core/error.h"
#include "mie/grounding/grounder.h"
#include "mie/io/jsonl.h"
#include "mie/text/tokenizer.h"

namespace mie::cli {

Post post_from_input_json(const std::string& line, const std::string& default_id) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(line);
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("invalid JSON: ") + e.what());
  }
  try {
    if (!j.is_object()) throw Error("expected a JSON object");
    if (!j.contains("tokens") && j.contains("text")) {
      if (!j["text"].is_string()) throw Error("\"text\" must be a string");
      j["tokens"] = text::tokenize(j["text"].get<std::string>());
    }
    j.erase("text");
    if (!j.contains("tokens")) throw Error("post has neither \"tokens\" nor \"text\"");
    if (!j.contains("id")) j["id"] = default_id;
    if (j.contains("image") && j["image"].is_string()) j["image"] = {{"path", j["image"]}, {"width", 0}, {"height", 0}};
    Post p = io::post_from_json(j);
    p.entities.clear();
    p.relations.clear();
    return p;
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("invalid JSON: ") + e.what());
  }
}

void add_ground_options(CLI::App& app, GroundCliOptions& o) {
  app.add_option("--images", o.images,
                 "Directory of images: relative image paths resolve here (mie predict: CoNLL posts use <IMGID>.jpg)");
  app.add_option("--regions,--sources", o.sources, "Grounding detectors: face,object,text,image (any subset)")
      ->capture_default_str();
  add_detector_size_options(app, o.text_size, o.face_size);
  app.add_option("--vinvl", o.vinvl, "Grounding on VinVL regions: directory of <image>.npz (Entity.region = top-k index)");
  app.add_option("--vinvl-top-k", o.vinvl_top_k, "VinVL regions per image (eval --top-k)")->capture_default_str();
}

grounding::GroundRuntime ground_runtime(const GroundCliOptions& o) {
  grounding::GroundRuntime rt;
  rt.sources = o.sources;
  rt.text_size = o.text_size;
  rt.face_size = o.face_size;
  rt.vinvl_dir = o.vinvl;
  rt.vinvl_top_k = o.vinvl_top_k;
  rt.images_dir = o.images;
  return rt;
}

void apply_ground_options(ModelFile& mf, const GroundCliOptions& o) {
  const ModelSection* g = mf.find_section(grounding::kGroundSection);
  if (!g) return;
  ModelSection s = *g;
  s.header["runtime"] = ground_runtime(o).to_json();
  mf.set_section(std::move(s));
}

}  // namespace mie::cli
