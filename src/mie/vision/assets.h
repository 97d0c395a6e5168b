// mie/vision/assets.h — locate detector model files and check them against SHA256SUMS.
//
//   std::string dir = mie::assets_dir();                         // core/paths.h
//   std::string f = mie::vision::require_asset(dir, "yunet/yunet_n_320_320.onnx");
//   // throws mie::Error if missing, or if <dir>/SHA256SUMS lists it with another hash
//   std::string hex = mie::vision::sha256_file(f);
//
// SHA-256 is implemented here (FIPS 180-4), no extra library. SHA256SUMS uses the coreutils
// format "<64 hex>  <relative path>". Checked results are cached per (path, size, mtime), so
// the 3 MB Yolo weights are hashed once per process.
// Thread safety: free functions; the cache is guarded by a mutex.
// Cache key: path, size, mtime and the expected hash.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mie::vision {

std::string sha256_hex(const void* data, size_t n);
std::string sha256_file(const std::string& path);  // throws mie::Error if unreadable

// Reads <dir>/SHA256SUMS; empty map when the file is absent. Malformed lines -> mie::ParseError.
std::map<std::string, std::string> read_sha256sums(const std::string& dir);

// Returns <dir>/<rel> after checking it exists and, when SHA256SUMS lists it, that the hash
// matches. `what` names the model in error messages ("YuNet face detector").
std::string require_asset(const std::string& dir, const std::string& rel, const std::string& what,
                          bool verify = true);

}  // namespace mie::vision
