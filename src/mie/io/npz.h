// mie/io/npz.h — NumPy .npy/.npz arrays and VinVL region features (<image>.jpg.npz).
//
//   auto arrays = mie::io::read_npz("../shared/data/samples/70560.jpg.npz");
//   const mie::io::NpyArray& b = arrays.at("bounding_boxes");   // shape {N,4}, float32
//   mie::io::VinvlRegions r = mie::io::read_vinvl("../shared/data/samples/70560.jpg.npz");
//
// The .npz is a zip (stored or deflated) of .npy files, read with libzip and a real .npy header
// parser (format versions 1, 2 and 3; dtype, fortran_order, shape). Supported dtypes: little-endian
// or byte-order-free bool/int/uint/float of 1, 2, 4, 8 bytes ('|b1' '|u1' '|i1' '<i2' '<u2' '<f2'
// '<i4' '<u4' '<f4' '<i8' '<u8' '<f8'), '<U<n>' (UTF-32) and '|S<n>' strings. Object arrays
// ('|O', pickled) and big-endian data are rejected with a clear mie::Error, as are Fortran-order
// arrays with more than one dimension. Every failure (not a zip, truncated or corrupt member, bad
// header, data shorter than the shape needs) throws mie::Error naming the file (and the member);
// nothing is read out of bounds.
// read_vinvl checks the VinVL layout: bounding_boxes (N,4), scores (N,), objects (N,), optional
// attr_obj (N,) and box_features (N,D); scalars image_h/image_w. Boxes are re-sorted by score
// (descending, stable) when the file is not already sorted.
// Thread safety: free functions.
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
