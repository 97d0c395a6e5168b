// signals_from_image (image_signals.h): the detector side, kept apart from the pure features.
#include "mie/relation/image_signals.h"
#include "mie/vision/image.h"
#include "mie/vision/proposer.h"

namespace mie::relation {

ImageSignals signals_from_image(const std::string& path, vision::RegionProposer& proposer, const std::string& caption,
                                float relevance) {
  const cv::Mat bgr = vision::load_image(path);
  ImageSignals s;
  s.present = true;
  s.width = bgr.cols;
  s.height = bgr.rows;
  s.caption = caption;
  s.relevance = relevance;
  for (auto& c : proposer.propose(bgr))
    if (c.source != "image") s.objects.push_back(std::move(c));
  return s;
}

}  // namespace mie::relation
