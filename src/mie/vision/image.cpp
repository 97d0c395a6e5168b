#include "mie/vision/image.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "mie/core/files.h"
#include "mie/core/error.h"

namespace mie::vision {
namespace {

[[noreturn]] void fail(const std::string& name, const std::string& msg) { throw mie::Error(name + ": " + msg); }

uint32_t be32(const uint8_t* p) { return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3]; }
uint16_t be16(const uint8_t* p) { return uint16_t((p[0] << 8) | p[1]); }

const uint8_t kPngSig[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

// EXIF orientation from an APP1 payload (after the 2-byte length). Malformed EXIF -> 1, as
// decoders ignore it too.
int exif_orientation(const uint8_t* p, size_t n) {
  if (n < 14 || std::memcmp(p, "Exif\0\0", 6) != 0) return 1;
  const uint8_t* t = p + 6;
  size_t tn = n - 6;
  bool le;
  if (t[0] == 'I' && t[1] == 'I') le = true;
  else if (t[0] == 'M' && t[1] == 'M') le = false;
  else return 1;
  auto u16 = [&](size_t o) -> uint32_t { return le ? (t[o] | (t[o + 1] << 8)) : ((t[o] << 8) | t[o + 1]); };
  auto u32 = [&](size_t o) -> uint32_t {
    return le ? (uint32_t(t[o]) | (uint32_t(t[o + 1]) << 8) | (uint32_t(t[o + 2]) << 16) | (uint32_t(t[o + 3]) << 24))
              : be32(t + o);
  };
  if (u16(2) != 42) return 1;
  size_t ifd = u32(4);
  if (ifd + 2 > tn) return 1;
  size_t count = u16(ifd);
  for (size_t i = 0; i < count; ++i) {
    size_t e = ifd + 2 + 12 * i;
    if (e + 12 > tn) return 1;
    if (u16(e) == 0x0112 && u16(e + 2) == 3) {
      uint32_t v = u16(e + 8);
      return (v >= 1 && v <= 8) ? int(v) : 1;
    }
  }
  return 1;
}

ImageHeader png_header(const std::vector<uint8_t>& b, const std::string& name) {
  if (b.size() < 8 + 8 + 13) fail(name, "truncated PNG header");
  const uint8_t* ihdr = b.data() + 8;
  if (be32(ihdr) != 13 || std::memcmp(ihdr + 4, "IHDR", 4) != 0) fail(name, "corrupt PNG: first chunk is not IHDR");
  ImageHeader h;
  h.format = ImageFormat::kPng;
  uint32_t w = be32(ihdr + 8), hh = be32(ihdr + 12);
  if (w == 0 || hh == 0 || w > 0x7fffffffu || hh > 0x7fffffffu)
    fail(name, "corrupt PNG: invalid dimensions " + std::to_string(w) + "x" + std::to_string(hh));
  h.width = int(w);
  h.height = int(hh);
  switch (ihdr[17]) {
    case 0: h.channels = 1; break;
    case 2: h.channels = 3; break;
    case 3: h.channels = 3; break;  // palette (tRNS may add alpha)
    case 4: h.channels = 2; break;
    case 6: h.channels = 4; break;
    default: fail(name, "corrupt PNG: unknown colour type " + std::to_string(ihdr[17]));
  }
  return h;
}

ImageHeader jpeg_header(const std::vector<uint8_t>& b, const std::string& name) {
  ImageHeader h;
  h.format = ImageFormat::kJpeg;
  size_t pos = 2, n = b.size();
  while (true) {
    while (pos < n && b[pos] != 0xFF) ++pos;  // tolerate junk between segments as libjpeg does
    while (pos < n && b[pos] == 0xFF) ++pos;  // fill bytes
    if (pos >= n) fail(name, "truncated JPEG: no frame header (SOF) found");
    uint8_t m = b[pos++];
    if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) continue;  // standalone markers
    if (m == 0xD9 || m == 0xDA) fail(name, "corrupt JPEG: no frame header (SOF) before image data");
    if (pos + 2 > n) fail(name, "truncated JPEG header");
    size_t len = be16(b.data() + pos);
    if (len < 2) fail(name, "corrupt JPEG: segment length " + std::to_string(len));
    if (pos + len > n) fail(name, "truncated JPEG header");
    const uint8_t* seg = b.data() + pos + 2;
    size_t seg_n = len - 2;
    if (m == 0xE1 && h.exif_orientation == 1) h.exif_orientation = exif_orientation(seg, seg_n);
    bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
    if (sof) {
      if (seg_n < 6) fail(name, "corrupt JPEG: short frame header");
      h.height = be16(seg + 1);
      h.width = be16(seg + 3);
      h.channels = seg[5];
      if (h.width == 0 || h.height == 0)
        fail(name, "unsupported JPEG: zero dimension in frame header (DNL marker)");
      return h;
    }
    pos += len;
  }
}

cv::Mat composite(const cv::Mat& bgra, const cv::Scalar& bg) {
  cv::Mat out(bgra.size(), CV_8UC3);
  for (int y = 0; y < bgra.rows; ++y) {
    const cv::Vec4b* s = bgra.ptr<cv::Vec4b>(y);
    cv::Vec3b* d = out.ptr<cv::Vec3b>(y);
    for (int x = 0; x < bgra.cols; ++x) {
      int a = s[x][3];
      for (int c = 0; c < 3; ++c) d[x][c] = uchar((s[x][c] * a + int(bg[c]) * (255 - a) + 127) / 255);
    }
  }
  return out;
}

}  // namespace

const char* format_name(ImageFormat f) { return f == ImageFormat::kPng ? "PNG" : "JPEG"; }

std::vector<uint8_t> read_file_bytes(const std::string& path) {
  std::ifstream in = mie::open_file(path, "image file");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw mie::Error(path + ": read error");
  return bytes;
}

ImageHeader read_image_header(const std::vector<uint8_t>& b, const std::string& name) {
  if (b.empty()) fail(name, "empty image file");
  if (b.size() >= 8 && std::memcmp(b.data(), kPngSig, 8) == 0) return png_header(b, name);
  if (b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return jpeg_header(b, name);
  if (b.size() >= 6 && (std::memcmp(b.data(), "GIF87a", 6) == 0 || std::memcmp(b.data(), "GIF89a", 6) == 0))
    fail(name, "unsupported image format GIF (JPEG and PNG are supported)");
  if (b.size() >= 12 && std::memcmp(b.data(), "RIFF", 4) == 0 && std::memcmp(b.data() + 8, "WEBP", 4) == 0)
    fail(name, "unsupported image format WebP (JPEG and PNG are supported)");
  fail(name, "not a JPEG or PNG image (unrecognised magic bytes)");
}

ImageHeader read_image_header(const std::string& path) {
  // Headers are small, but a JPEG's EXIF block can be up to 64 KiB per segment: read it all.
  return read_image_header(read_file_bytes(path), path);
}

cv::Mat decode_image(const std::vector<uint8_t>& b, const std::string& name, const LoadOptions& opt) {
  ImageHeader h = read_image_header(b, name);
  int64_t px = int64_t(h.width) * h.height;
  if (px > opt.max_pixels)
    fail(name, "image is " + std::to_string(h.width) + "x" + std::to_string(h.height) + " = " + std::to_string(px) +
                   " pixels, above the limit of " + std::to_string(opt.max_pixels));
  cv::Mat raw(1, int(b.size()), CV_8U, const_cast<uint8_t*>(b.data()));
  cv::Mat img;
  if (h.format == ImageFormat::kJpeg) {
    // Entropy-coded data escapes 0xFF, so FF D9 after the frame header is the end-of-image marker.
    static const uint8_t eoi[2] = {0xFF, 0xD9};
    if (std::search(b.begin() + 2, b.end(), eoi, eoi + 2) == b.end())
      fail(name, "truncated JPEG: no end-of-image marker");
    try {
      img = cv::imdecode(raw, cv::IMREAD_COLOR);  // applies EXIF orientation
    } catch (const cv::Exception& e) {
      fail(name, std::string("cannot decode JPEG: ") + e.what());
    }
  } else {
    static const char iend[4] = {'I', 'E', 'N', 'D'};
    if (std::search(b.begin(), b.end(), iend, iend + 4) == b.end()) fail(name, "truncated PNG: no IEND chunk");
    try {
      img = cv::imdecode(raw, cv::IMREAD_UNCHANGED);  // keep alpha and 16 bits, handled below
    } catch (const cv::Exception& e) {
      fail(name, std::string("cannot decode PNG: ") + e.what());
    }
  }
  if (img.empty()) fail(name, std::string("corrupt ") + format_name(h.format) + " data (decoder failed)");
  const int ew = h.shown_width(), eh = h.shown_height();
  if (img.cols != ew || img.rows != eh)
    fail(name, "decoded size " + std::to_string(img.cols) + "x" + std::to_string(img.rows) +
                   " differs from the header's " + std::to_string(ew) + "x" + std::to_string(eh));
  if (img.depth() == CV_16U) img.convertTo(img, CV_8U, 1.0 / 257.0);
  else if (img.depth() != CV_8U) fail(name, "unsupported sample depth");
  switch (img.channels()) {
    case 1: cv::cvtColor(img, img, cv::COLOR_GRAY2BGR); break;
    case 2: {
      std::vector<cv::Mat> ch;
      cv::split(img, ch);
      cv::Mat bgra;
      cv::merge(std::vector<cv::Mat>{ch[0], ch[0], ch[0], ch[1]}, bgra);
      img = composite(bgra, opt.background);
      break;
    }
    case 3: break;
    case 4: img = composite(img, opt.background); break;
    default: fail(name, "unsupported channel count " + std::to_string(img.channels()));
  }
  return img;
}

cv::Mat load_image(const std::string& path, const LoadOptions& opt) { return decode_image(read_file_bytes(path), path, opt); }

}  // namespace mie::vision
