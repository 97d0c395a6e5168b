// mie/io/npz.h — NumPy .npy/.npz arrays and VinVL region features (<image>.jpg.npz).
//
//   auto arrays = mie::io::read_npz("../shared/data/samples/70560.jpg.npz");
//   const mie::io::NpyArray& b = arrays.at("bounding_boxes");   // shape {N,4}, float32
//   mie::io::VinvlRegions r = mie::io::read_vinvl("../shared/data/samples/70560.jpg.npz");
//
// The .npz is a zip (stored or deflated) of .npy files, read with libzip and a real .npy header
// parser (dtype, fortran_order, shape). Thread safety: free functions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "mie/core/post.h"

namespace mie::io {

struct NpyArray {
  std::string dtype;               // numpy descr, e.g. "<f4", "<i8", "<U20"
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;       // raw little-endian C-order bytes
  int64_t size() const;            // number of elements
  std::vector<float> as_float() const;        // f4/f8/i4/i8/u1... converted
  std::vector<std::string> as_strings() const; // <U / |S arrays
};

NpyArray parse_npy(const std::vector<uint8_t>& bytes, const std::string& name);
std::map<std::string, NpyArray> read_npz(const std::string& path);

struct VinvlRegions {
  int image_w = 0, image_h = 0;
  std::vector<Box> boxes;                  // x1,y1,x2,y2 pixels, sorted by score descending
  std::vector<float> scores;
  std::vector<std::string> objects;        // class label per box
  std::vector<std::string> attributes;     // attr_obj, may be empty
  std::vector<float> features;             // N x 2048 row-major, may be empty
  int feature_dim = 0;
};

// top_k <= 0 keeps all boxes.
VinvlRegions read_vinvl(const std::string& path, int top_k = 0);

}  // namespace mie::io
