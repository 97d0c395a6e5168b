// mie/io/more.h — MORE (multimodal object-entity relation extraction; He et al., ACM MM 2023,
// github.com/NJUNLP/MORE): relations between a text entity and an image object.
//
//   auto data = mie::io::read_more("MORE/txt/valid.txt");
//   auto boxes = mie::io::read_more_objects("MORE/ent_valid_dict.json");   // optional
//   mie::io::attach_more_boxes(data, boxes);
//   mie::Box px = data[0].object.to_pixels(640, 480);
//
// No MORE data is available here; the format follows the authors' loader (processor/dataset.py,
// MOREProcessor.load_from_file): one Python-literal dict a line (ast.literal_eval), like MNRE:
//   {'token': [...], 'h': {'name': str, 'pos': [s, e]},          # the text entity, half-open
//    't': {'name': str, 'box': [cx, cy, w, h]},                  # the image object
//    'img_id': 'xxx.jpg', 'relation': str}
// The loader's comment says t = {name, box}; the box it actually uses comes from a per-split
// dict img_id -> {object name: (cx, cy, w, h)} (ent_<split>_dict.pth), in normalised YOLO form
// (centre x, centre y, width, height, all in [0, 1] of the image size; the loader crops
// (cx - w/2) * W ... ). ASSUMPTIONS: 't' may carry 'box' in that same normalised form, and
// 'box' may be absent (then MoreObject::has_box is false until attach_more_boxes). Because .pth is
// a torch pickle, read_more_objects reads that dict converted to JSON:
//   {"xxx.jpg": {"object name": [cx, cy, w, h], ...}, ...}
// Errors: mie::ParseError(file, line) for bad literals, missing fields, a pos range outside the
// tokens, or a box that is not 4 numbers in [0, 1].
// Thread safety: free functions.
#pragma once

#include <array>
#include <istream>
#include <map>
#include <string>
#include <vector>

#include "mie/core/post.h"
#include "mie/io/mnre.h"

namespace mie::io {

struct MoreObject {
  std::string name;                 // object label as annotated (e.g. "man", "logo")
  bool has_box = false;
  float cx = 0, cy = 0, w = 0, h = 0;  // normalised centre/size, valid when has_box
  Box to_pixels(int width, int height) const;  // x1,y1,x2,y2 in pixels; throws if !has_box
  bool operator==(const MoreObject&) const = default;
};

struct MoreInstance {
  std::vector<std::string> tokens;
  MreInstance::Arg entity;          // the text entity (name, half-open token span)
  MoreObject object;                // the image object
  std::string img_id;
  std::string relation;
  bool operator==(const MoreInstance&) const = default;
};

std::vector<MoreInstance> read_more(const std::string& path);  // "-" = stdin
std::vector<MoreInstance> read_more(std::istream& in, const std::string& name);

using MoreObjectBoxes = std::map<std::string, std::map<std::string, std::array<float, 4>>>;
MoreObjectBoxes read_more_objects(const std::string& json_path);  // throws ParseError
// Fills object boxes that are missing from the instances; returns how many instances still have
// no box (image or object name not in `boxes`).
long attach_more_boxes(std::vector<MoreInstance>& data, const MoreObjectBoxes& boxes);

}  // namespace mie::io
