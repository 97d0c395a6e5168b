// mie/vision/image.h — load tweet images (JPEG/PNG, detected by content) as 8-bit BGR.
//
//   cv::Mat bgr = mie::vision::load_image("samples/1953977.jpg");   // really a PNG with alpha
//   mie::vision::ImageHeader h = mie::vision::read_image_header("big.jpg");  // no decoding
//   mie::vision::LoadOptions opt; opt.max_pixels = 20'000'000;
//   cv::Mat small = mie::vision::load_image("x.png", opt);
//
// The format comes from the magic bytes, never the file name (some tweet .jpg files are PNG with
// an alpha channel). Width and height are read from the PNG IHDR / JPEG SOF header *before*
// decoding, and images above LoadOptions::max_pixels are refused. JPEG EXIF orientation is
// applied (OpenCV's IMREAD_COLOR does it; a unit test checks it). Grayscale becomes 3-channel,
// 16-bit PNG becomes 8-bit, alpha is composited over LoadOptions::background (PNG eXIf
// orientation is not applied: OpenCV 4.6 ignores it when keeping alpha). Corrupt,
// truncated, empty or unsupported files throw mie::Error naming the file.
// Thread safety: free functions, no shared state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace mie::vision {

enum class ImageFormat { kJpeg, kPng };

struct ImageHeader {
  ImageFormat format = ImageFormat::kJpeg;
  int width = 0;   // as stored (before EXIF rotation)
  int height = 0;
  int channels = 0;  // components (JPEG) or from the PNG colour type (4 = RGBA, 2 = gray+alpha)
  int exif_orientation = 1;  // JPEG APP1 orientation tag 1..8, 1 when absent
  // Width and height as displayed, i.e. as load_image returns them (orientations 5-8 swap them).
  int shown_width() const { return exif_orientation >= 5 ? height : width; }
  int shown_height() const { return exif_orientation >= 5 ? width : height; }
};

struct LoadOptions {
  int64_t max_pixels = 50'000'000;                   // width*height above this is refused
  cv::Scalar background = cv::Scalar(255, 255, 255);  // BGR colour under transparent pixels
};

const char* format_name(ImageFormat f);

// Parses the header only; throws mie::Error("<name>: ...") for unknown formats and bad headers.
ImageHeader read_image_header(const std::vector<uint8_t>& bytes, const std::string& name);
ImageHeader read_image_header(const std::string& path);

// Decodes to CV_8UC3 BGR, orientation applied.
cv::Mat decode_image(const std::vector<uint8_t>& bytes, const std::string& name, const LoadOptions& opt = {});
cv::Mat load_image(const std::string& path, const LoadOptions& opt = {});

std::vector<uint8_t> read_file_bytes(const std::string& path);  // throws mie::Error

}  // namespace mie::vision
