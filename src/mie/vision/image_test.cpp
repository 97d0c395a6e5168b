#include "mie/vision/image.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <fstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "mie/core/error.h"
#include "mie/core/test_tmp.h"

namespace mie::vision {
namespace {

namespace fs = std::filesystem;

std::vector<uint8_t> encode(const cv::Mat& m, const std::string& ext) {
  std::vector<uint8_t> b;
  EXPECT_TRUE(cv::imencode(ext, m, b));
  return b;
}

std::string write_tmp(const std::string& name, const std::vector<uint8_t>& b) {
  fs::path p = mie::test_temp_path("image_test_" + name);
  std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
  return p.string();
}

cv::Mat halves(int w, int h) {  // left half red, right half blue (BGR)
  cv::Mat m(h, w, CV_8UC3, cv::Scalar(255, 0, 0));
  m(cv::Rect(0, 0, w / 2, h)).setTo(cv::Scalar(0, 0, 255));
  return m;
}

// The message names the file and contains `what`.
void expect_error(const std::function<void()>& f, const std::string& file, const std::string& what) {
  try {
    f();
    FAIL() << "no error; expected " << what;
  } catch (const mie::Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find(file), std::string::npos) << msg;
    EXPECT_NE(msg.find(what), std::string::npos) << msg;
  }
}

TEST(Image, LoadsJpegAndPngByContent) {
  cv::Mat src = halves(40, 20);
  auto jpg = encode(src, ".jpg");
  auto png = encode(src, ".png");
  EXPECT_EQ(read_image_header(jpg, "a").format, ImageFormat::kJpeg);
  ImageHeader h = read_image_header(png, "a");
  EXPECT_EQ(h.format, ImageFormat::kPng);
  EXPECT_EQ(h.width, 40);
  EXPECT_EQ(h.height, 20);
  cv::Mat a = decode_image(jpg, "x.png");  // wrong extension: content decides
  cv::Mat b = load_image(write_tmp("png_named.jpg", png));
  ASSERT_EQ(a.size(), cv::Size(40, 20));
  ASSERT_EQ(b.type(), CV_8UC3);
  EXPECT_EQ(cv::norm(b, src, cv::NORM_INF), 0);
  EXPECT_LT(cv::norm(a, src, cv::NORM_L1) / a.total(), 10.0);
}

TEST(Image, PngWithAlphaNamedJpgIsCompositedOverWhite) {
  cv::Mat bgra(10, 10, CV_8UC4, cv::Scalar(0, 0, 255, 255));
  bgra(cv::Rect(0, 0, 5, 10)).setTo(cv::Scalar(0, 0, 255, 0));   // transparent left half
  bgra(cv::Rect(5, 0, 5, 5)).setTo(cv::Scalar(0, 0, 0, 128));     // half-transparent black
  std::string p = write_tmp("alpha.jpg", encode(bgra, ".png"));
  EXPECT_EQ(read_image_header(p).channels, 4);
  cv::Mat m = load_image(p);
  ASSERT_EQ(m.type(), CV_8UC3);
  EXPECT_EQ(m.at<cv::Vec3b>(2, 2), cv::Vec3b(255, 255, 255));
  EXPECT_EQ(m.at<cv::Vec3b>(8, 8), cv::Vec3b(0, 0, 255));
  EXPECT_NEAR(m.at<cv::Vec3b>(2, 7)[0], 127, 1);
  LoadOptions opt;
  opt.background = cv::Scalar(0, 0, 0);
  EXPECT_EQ(load_image(p, opt).at<cv::Vec3b>(2, 2), cv::Vec3b(0, 0, 0));
}

TEST(Image, GrayscaleAnd16BitBecome8BitBgr) {
  cv::Mat g(8, 12, CV_8U);
  cv::randu(g, 0, 255);
  for (const char* ext : {".png", ".jpg"}) {
    cv::Mat m = decode_image(encode(g, ext), "gray");
    ASSERT_EQ(m.type(), CV_8UC3) << ext;
    std::vector<cv::Mat> ch;
    cv::split(m, ch);
    EXPECT_EQ(cv::norm(ch[0], ch[1], cv::NORM_INF), 0) << ext;
  }
  EXPECT_EQ(decode_image(encode(g, ".png"), "gray").at<cv::Vec3b>(3, 4)[1], g.at<uchar>(3, 4));
  cv::Mat g16(4, 4, CV_16UC3, cv::Scalar(65535, 0, 257 * 100));
  cv::Mat m = decode_image(encode(g16, ".png"), "16bit");
  ASSERT_EQ(m.type(), CV_8UC3);
  EXPECT_EQ(m.at<cv::Vec3b>(1, 1), cv::Vec3b(255, 0, 100));
}

// JPEG with an APP1 EXIF block holding only the orientation tag, inserted after SOI.
std::vector<uint8_t> with_orientation(std::vector<uint8_t> jpg, uint16_t orient) {
  std::vector<uint8_t> tiff = {'I', 'I', 42, 0, 8, 0, 0, 0,              // little-endian, IFD at 8
                               1, 0,                                      // one entry
                               0x12, 0x01, 3, 0, 1, 0, 0, 0, uint8_t(orient), 0, 0, 0,  // orientation
                               0, 0, 0, 0};                               // no next IFD
  std::vector<uint8_t> app1 = {0xFF, 0xE1, 0, 0, 'E', 'x', 'i', 'f', 0, 0};
  app1.insert(app1.end(), tiff.begin(), tiff.end());
  size_t len = app1.size() - 2;
  app1[2] = uint8_t(len >> 8);
  app1[3] = uint8_t(len & 0xFF);
  jpg.insert(jpg.begin() + 2, app1.begin(), app1.end());
  return jpg;
}

TEST(Image, JpegExifOrientationIsApplied) {
  auto jpg = with_orientation(encode(halves(40, 20), ".jpg"), 6);  // display = rotate 90 deg clockwise
  ImageHeader h = read_image_header(jpg, "exif");
  EXPECT_EQ(h.exif_orientation, 6);
  EXPECT_EQ(h.width, 40);
  cv::Mat m = decode_image(jpg, "exif");
  ASSERT_EQ(m.size(), cv::Size(20, 40));
  // Rotating clockwise puts the red left half on top.
  EXPECT_GT(m.at<cv::Vec3b>(5, 10)[2], 200);
  EXPECT_LT(m.at<cv::Vec3b>(5, 10)[0], 60);
  EXPECT_GT(m.at<cv::Vec3b>(35, 10)[0], 200);
  EXPECT_EQ(decode_image(with_orientation(encode(halves(40, 20), ".jpg"), 1), "exif").size(), cv::Size(40, 20));
}

TEST(Image, CorruptFilesThrowNamingTheFile) {
  auto jpg = encode(halves(64, 64), ".jpg");
  auto png = encode(halves(64, 64), ".png");
  std::string p;
  p = write_tmp("garbage.jpg", {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '!'});
  expect_error([&] { load_image(p); }, p, "not a JPEG or PNG");
  p = write_tmp("empty.jpg", {});
  expect_error([&] { load_image(p); }, p, "empty");
  p = write_tmp("trunc.jpg", std::vector<uint8_t>(jpg.begin(), jpg.begin() + long(jpg.size() / 2)));
  expect_error([&] { load_image(p); }, p, "truncated JPEG");
  p = write_tmp("trunc_header.jpg", std::vector<uint8_t>(jpg.begin(), jpg.begin() + 30));
  expect_error([&] { load_image(p); }, p, "truncated JPEG");
  p = write_tmp("trunc.png", std::vector<uint8_t>(png.begin(), png.begin() + long(png.size() / 2)));
  expect_error([&] { load_image(p); }, p, "truncated PNG");
  auto bad = png;  // flip bytes inside the IDAT data: libpng's CRC/zlib check fails
  for (size_t i = 50; i < 70 && i < bad.size() - 20; ++i) bad[i] ^= 0x5A;
  p = write_tmp("flipped.png", bad);
  expect_error([&] { load_image(p); }, p, "corrupt PNG");
  p = write_tmp("anim.gif", {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0});
  expect_error([&] { load_image(p); }, p, "unsupported image format GIF");
  expect_error([&] { load_image("/nonexistent/x.jpg"); }, "/nonexistent/x.jpg", "cannot open");
}

TEST(Image, HugeDimensionsAreRefusedFromTheHeader) {
  // PNG claiming 100000 x 100000 with no real data: refused before any decoding.
  std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                              0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0, 8, 2, 0, 0, 0, 0, 0, 0, 0,
                              0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};
  EXPECT_EQ(read_image_header(png, "huge").width, 100000);
  std::string p = write_tmp("huge.png", png);
  expect_error([&] { load_image(p); }, p, "above the limit of 50000000");
  // JPEG whose SOF claims 60000 x 60000.
  auto jpg = encode(halves(16, 16), ".jpg");
  size_t sof = 0;
  for (size_t i = 2; i + 1 < jpg.size(); ++i)
    if (jpg[i] == 0xFF && jpg[i + 1] == 0xC0) { sof = i; break; }
  ASSERT_GT(sof, 0u);
  jpg[sof + 5] = 0xEA, jpg[sof + 6] = 0x60, jpg[sof + 7] = 0xEA, jpg[sof + 8] = 0x60;
  EXPECT_EQ(read_image_header(jpg, "huge").height, 60000);
  expect_error([&] { decode_image(jpg, "huge.jpg"); }, "huge.jpg", "60000x60000");
  // The limit is configurable.
  LoadOptions small;
  small.max_pixels = 399;
  auto ok = encode(halves(20, 20), ".png");
  expect_error([&] { decode_image(ok, "small.png", small); }, "small.png", "above the limit of 399");
  small.max_pixels = 400;
  EXPECT_EQ(decode_image(ok, "small.png", small).total(), 400u);
}

}  // namespace
}  // namespace mie::vision
