// mie/vision/test_photos.h — what the vision tests look for on the machine (header-only, tests only).
//
//   if (!mie::vision::test::have_models()) GTEST_SKIP() << "detector models missing";
//   cv::Mat img = mie::vision::load_image(mie::vision::test::kMessi);
//
// The detector models come from ../shared/models (scripts/setup.sh puts them in assets_dir());
// the photos are Debian's (opencv-doc, python3-skimage). Thread safety: constants only.
#pragma once

#include <string>

#include "mie/core/paths.h"
#include "mie/vision/proposer.h"

namespace mie::vision::test {

inline bool have_models() { return mie::file_exists(mie::assets_dir() + "/" + kYunetFile); }

inline const std::string kMessi = "/usr/share/doc/opencv-doc/examples/data/messi5.jpg";           // opencv-doc
inline const std::string kAstronaut = "/usr/lib/python3/dist-packages/skimage/data/astronaut.png";  // python3-skimage

}  // namespace mie::vision::test
