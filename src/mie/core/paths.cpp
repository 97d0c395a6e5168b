#include "mie/core/paths.h"

#include <cstdlib>
#include <filesystem>

#ifndef MIE_SOURCE_DIR
#define MIE_SOURCE_DIR "."
#endif

namespace mie {
namespace {
std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return (v && *v) ? std::string(v) : fallback;
}
}  // namespace

std::string source_dir() { return MIE_SOURCE_DIR; }

bool file_exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

std::string data_dir() { return env_or("MIE_DATA", source_dir() + "/../shared/data"); }

std::string assets_dir() {
  const std::string local = source_dir() + "/assets";
  return env_or("MIE_ASSETS", file_exists(local + "/SHA256SUMS") ? local : source_dir() + "/../shared/models");
}

std::string models_dir() { return env_or("MIE_MODELS", source_dir() + "/models"); }

std::string cache_dir() { return env_or("MIE_CACHE", source_dir() + "/.cache"); }

}  // namespace mie
