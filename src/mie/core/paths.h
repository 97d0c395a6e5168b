// mie/core/paths.h — where data, detector assets and models live.
//
//   std::string gold = mie::data_dir() + "/gmner/dev.txt";   // $MIE_DATA or ../shared/data
//   std::string yunet = mie::assets_dir() + "/yunet/yunet_n_320_320.onnx";
//
// MIE_DATA, MIE_ASSETS, MIE_MODELS and MIE_CACHE override the defaults. The defaults are resolved against
// the source tree (../shared/* beside the checkout) so tests work from any build directory.
// Thread safety: reads the environment only; safe.
#pragma once

#include <string>

namespace mie {

std::string data_dir();    // $MIE_DATA, else <source>/../shared/data
std::string assets_dir();  // $MIE_ASSETS, else <source>/assets if it exists, else <source>/../shared/models
std::string models_dir();  // $MIE_MODELS, else <source>/models
std::string cache_dir();   // $MIE_CACHE, else <source>/.cache (GloVe binary, gazetteers, npm assets)
std::string source_dir();  // the checkout this binary was built from
bool file_exists(const std::string& path);

}  // namespace mie
