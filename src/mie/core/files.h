// mie/core/files.h — open input files with an error that says what is wrong.
//
//   std::ifstream in = mie::open_file(path, "model file");
//   // throws mie::Error("<path>: cannot open model file: no such file") (or "is a directory", or
//   // the system's reason) instead of a stream that fails later with a vague read error
//
// Thread safety: stateless; safe.
#pragma once

#include <fstream>
#include <string>

namespace mie {

// Opens `path` for binary reading. Throws mie::Error naming the path and `what` when the path
// does not exist, is a directory, or cannot be opened.
std::ifstream open_file(const std::string& path, const std::string& what = "file");

}  // namespace mie
