// ctest-labels: model
// The ONNX reader and the libtorch interpreter: a tiny model written byte by byte here, malformed
// files, and the real detectors (PP-OCRv3, YuNet) against OpenCV 4.6's DNN on the same input.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <thread>

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include "mie/core/error.h"
#include "mie/core/files.h"
#include "mie/core/paths.h"
#include "mie/core/test_tmp.h"
#include "mie/vision/darknet.h"
#include "mie/vision/image.h"
#include "mie/vision/onnx.h"
#include "mie/vision/onnx_net.h"
#include "mie/vision/proposer.h"
#include "mie/vision/test_photos.h"

namespace mie::vision {
namespace {

// --- a minimal protobuf writer for test models ---
std::string varint(uint64_t v) {
  std::string s;
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    s.push_back(char(b | (v ? 0x80 : 0)));
  } while (v);
  return s;
}
std::string key(int field, int wire) { return varint(uint64_t(field) << 3 | wire); }
std::string bytes_field(int field, const std::string& b) { return key(field, 2) + varint(b.size()) + b; }
std::string int_field(int field, int64_t v) { return key(field, 0) + varint(uint64_t(v)); }
std::string float_field(int field, float f) {
  std::string s = key(field, 5);
  s.append(reinterpret_cast<const char*>(&f), 4);
  return s;
}
std::string tensor(const std::string& name, std::vector<int64_t> dims, const std::vector<float>& v) {
  std::string t;
  for (int64_t d : dims) t += int_field(1, d);
  t += int_field(2, 1);
  t += bytes_field(8, name);
  t += bytes_field(9, std::string(reinterpret_cast<const char*>(v.data()), v.size() * 4));
  return t;
}
std::string ints_attr(const std::string& name, std::vector<int64_t> v) {
  std::string a = bytes_field(1, name);
  for (int64_t x : v) a += int_field(8, x);
  return a + int_field(20, 7);
}
std::string node(const std::string& op, std::vector<std::string> in, std::vector<std::string> out,
                 std::vector<std::string> attrs = {}) {
  std::string n;
  for (auto& i : in) n += bytes_field(1, i);
  for (auto& o : out) n += bytes_field(2, o);
  n += bytes_field(3, op + "_node");
  n += bytes_field(4, op);
  for (auto& a : attrs) n += bytes_field(5, a);
  return n;
}

// y = HardSwish(BatchNorm(Conv(x, W, b))) + x, written the way Paddle exports it; a 2x nearest
// Resize and a Concat on top. Exercises folding of BN and HardSwish.
std::string test_model(torch::Tensor& w, torch::Tensor& bias, std::vector<torch::Tensor>& bn) {
  torch::manual_seed(3);
  w = torch::randn({2, 2, 3, 3});
  bias = torch::randn({2});
  bn = {torch::rand({2}) + 0.5, torch::randn({2}), torch::randn({2}), torch::rand({2}) + 0.5};
  auto vec = [](const torch::Tensor& t) { return std::vector<float>(t.data_ptr<float>(), t.data_ptr<float>() + t.numel()); };
  std::string g;
  g += bytes_field(1, node("Conv", {"x", "W", "B"}, {"c"},
                           {ints_attr("kernel_shape", {3, 3}), ints_attr("pads", {1, 1, 1, 1})}));
  g += bytes_field(1, node("BatchNormalization", {"c", "s", "o", "m", "v"}, {"n"}));
  g += bytes_field(1, node("Add", {"n", "three"}, {"a"}));
  g += bytes_field(1, node("Clip", {"a"}, {"cl"}, {bytes_field(1, "min") + float_field(2, 0) + int_field(20, 1),
                                                    bytes_field(1, "max") + float_field(2, 6) + int_field(20, 1)}));
  g += bytes_field(1, node("Mul", {"n", "cl"}, {"mu"}));
  g += bytes_field(1, node("Div", {"mu", "six"}, {"hs"}));
  g += bytes_field(1, node("Add", {"hs", "x"}, {"y"}));
  g += bytes_field(1, node("Resize", {"y", "", "sc"}, {"up"},
                           {bytes_field(1, "mode") + bytes_field(4, "nearest") + int_field(20, 3),
                            bytes_field(1, "coordinate_transformation_mode") + bytes_field(4, "asymmetric") + int_field(20, 3),
                            bytes_field(1, "nearest_mode") + bytes_field(4, "floor") + int_field(20, 3)}));
  g += bytes_field(1, node("Concat", {"up", "up"}, {"out"}, {bytes_field(1, "axis") + int_field(3, 1) + int_field(20, 2)}));
  g += bytes_field(5, tensor("W", {2, 2, 3, 3}, vec(w)));
  g += bytes_field(5, tensor("B", {2}, vec(bias)));
  const char* names[4] = {"s", "o", "m", "v"};
  for (int i = 0; i < 4; ++i) g += bytes_field(5, tensor(names[i], {2}, vec(bn[i])));
  g += bytes_field(5, tensor("three", {}, {3.f}));
  g += bytes_field(5, tensor("six", {}, {6.f}));
  g += bytes_field(5, tensor("sc", {4}, {1, 1, 2, 2}));
  g += bytes_field(11, bytes_field(1, "x"));
  g += bytes_field(12, bytes_field(1, "out"));
  return int_field(1, 7) + bytes_field(7, g) + bytes_field(8, int_field(2, 11));
}

TEST(Onnx, HandWrittenModelMatchesTorchAndFolds) {
  torch::Tensor w, b;
  std::vector<torch::Tensor> bn;
  const std::string bytes = test_model(w, b, bn);
  OnnxModel m = parse_onnx(bytes, "test.onnx");
  EXPECT_EQ(m.opset, 11);
  ASSERT_EQ(m.nodes.size(), 9u);
  EXPECT_EQ(m.nodes[0].attr_ints("pads"), (std::vector<int64_t>{1, 1, 1, 1}));
  EXPECT_EQ(m.inputs, std::vector<std::string>{"x"});

  const std::string path = mie::test_temp_path("model.onnx").string();
  std::ofstream(path, std::ios::binary) << bytes;
  OnnxNet net(path);
  // Conv+BN fold into one step, Add/Clip/Mul/Div into one HardSwish: Conv, HardSwish, Add, Resize, Concat.
  EXPECT_EQ(net.num_steps(), 5u);
  torch::Tensor x = torch::randn({1, 2, 5, 7});
  torch::Tensor c = torch::conv2d(x, w, b, 1, 1);
  torch::Tensor n = (c - bn[2].view({1, -1, 1, 1})) / torch::sqrt(bn[3].view({1, -1, 1, 1}) + 1e-5) * bn[0].view({1, -1, 1, 1}) +
                    bn[1].view({1, -1, 1, 1});
  torch::Tensor y = n * torch::clamp(n + 3, 0, 6) / 6 + x;
  torch::Tensor up = y.repeat_interleave(2, 2).repeat_interleave(2, 3);
  torch::Tensor want = torch::cat({up, up}, 1);
  torch::Tensor got = net.forward(x)[0];
  ASSERT_EQ(got.sizes(), want.sizes());
  EXPECT_LT((got - want).abs().max().item<float>(), 1e-4);
  EXPECT_THROW(net.forward(x, {"c"}), mie::Error);  // not a graph output
}

// A 2x2 stride-2 ConvTranspose, an Add of its bias and a BatchNormalization (PP-OCRv3's DB head):
// rewritten as a 1x1 Conv to r*r*Cout channels + depth-to-space, with the bias and the BN folded in. Checked against libtorch's
// transposed convolution on channels-last and plain NCHW inputs, on a map large enough for oneDNN.
TEST(Onnx, TransposedConvRewriteMatchesTorch) {
  torch::manual_seed(5);
  const torch::Tensor w = torch::randn({3, 4, 2, 2}), b = torch::randn({4});
  const std::vector<torch::Tensor> bn = {torch::rand({4}) + 0.5, torch::randn({4}), torch::randn({4}),
                                         torch::rand({4}) + 0.5};
  auto vec = [](const torch::Tensor& t) { return std::vector<float>(t.data_ptr<float>(), t.data_ptr<float>() + t.numel()); };
  std::string g;
  g += bytes_field(1, node("ConvTranspose", {"x", "W"}, {"t0"},
                           {ints_attr("kernel_shape", {2, 2}), ints_attr("strides", {2, 2})}));
  g += bytes_field(1, node("Add", {"t0", "B"}, {"t"}));  // the bias as Paddle exports it
  g += bytes_field(1, node("BatchNormalization", {"t", "s", "o", "m", "v"}, {"y"}));
  g += bytes_field(5, tensor("W", {3, 4, 2, 2}, vec(w)));
  g += bytes_field(5, tensor("B", {1, 4, 1, 1}, vec(b)));
  const char* names[4] = {"s", "o", "m", "v"};
  for (int i = 0; i < 4; ++i) g += bytes_field(5, tensor(names[i], {4}, vec(bn[i])));
  g += bytes_field(11, bytes_field(1, "x"));
  g += bytes_field(12, bytes_field(1, "y"));
  const std::string path = mie::test_temp_path("convt.onnx").string();
  std::ofstream(path, std::ios::binary) << int_field(1, 7) + bytes_field(7, g) + bytes_field(8, int_field(2, 11));
  OnnxNet net(path);
  EXPECT_EQ(net.num_steps(), 1u);  // one Conv (+ depth-to-space), the bias Add and the BN folded
  const torch::Tensor x = torch::randn({1, 3, 9, 11});
  const torch::Tensor t = torch::conv_transpose2d(x, w, b, 2);
  const torch::Tensor want = (t - bn[2].view({1, -1, 1, 1})) / torch::sqrt(bn[3].view({1, -1, 1, 1}) + 1e-5) *
                                 bn[0].view({1, -1, 1, 1}) + bn[1].view({1, -1, 1, 1});
  for (bool channels_last : {true, false}) {
    const torch::Tensor in = channels_last ? x.contiguous(at::MemoryFormat::ChannelsLast) : x;
    const torch::Tensor got = net.forward(in)[0];
    ASSERT_EQ(got.sizes(), want.sizes());
    EXPECT_LT((got - want).abs().max().item<float>(), 1e-4) << "channels_last " << channels_last;
  }
}

// x + x * s with s from the map's own squeeze-excitation, and r + Resize(MaxPool(r)) (PP-OCRv3's
// neck): each pair runs as one fused step, on channels-last and plain maps; the Add of a Resize
// whose output is not an exact multiple of its input (here 3x3 -> 7x7 by sizes) falls back.
TEST(Onnx, ResidualScaleAndUpsampledAddAreFused) {
  auto graph = [](bool exact) {
    std::string g;
    g += bytes_field(1, node("GlobalAveragePool", {"x"}, {"p"}));
    g += bytes_field(1, node("HardSigmoid", {"p"}, {"s"}));
    g += bytes_field(1, node("Mul", {"x", "s"}, {"m"}));
    g += bytes_field(1, node("Add", {"x", "m"}, {"r"}));
    g += bytes_field(1, node("MaxPool", {"r"}, {"d"}, {ints_attr("kernel_shape", {2, 2}), ints_attr("strides", {2, 2})}));
    const std::string floor = bytes_field(1, "nearest_mode") + bytes_field(4, "floor") + int_field(20, 3);
    const std::string asym = bytes_field(1, "coordinate_transformation_mode") + bytes_field(4, "asymmetric") + int_field(20, 3);
    if (exact) {
      g += bytes_field(1, node("Resize", {"d", "", "sc"}, {"u"}, {floor, asym}));
      g += bytes_field(5, tensor("sc", {4}, {1, 1, 2, 2}));
    } else {
      g += bytes_field(1, node("Resize", {"d", "", "", "sz"}, {"u"}, {floor, asym}));
      std::string sizes;
      for (int64_t v : {1, 3, 7, 7}) sizes += int_field(7, v);
      g += bytes_field(5, int_field(1, 4) + int_field(2, 7) + bytes_field(8, "sz") + sizes);
    }
    g += bytes_field(1, node("Add", {"u", "r"}, {"y"}));
    g += bytes_field(11, bytes_field(1, "x"));
    g += bytes_field(12, bytes_field(1, "y"));
    return int_field(1, 7) + bytes_field(7, g) + bytes_field(8, int_field(2, 11));
  };
  auto reference = [](const torch::Tensor& x, int64_t side) {
    const torch::Tensor s = (x.mean({2, 3}, true) * 0.2 + 0.5).clamp(0, 1);
    const torch::Tensor r = x + x * s;
    return r + at::upsample_nearest2d(at::max_pool2d(r, {2, 2}, {2, 2}), {side, side});
  };
  mie::TestTempDir tmp;
  std::ofstream(tmp.file("exact.onnx"), std::ios::binary) << graph(true);
  std::ofstream(tmp.file("sizes.onnx"), std::ios::binary) << graph(false);
  OnnxNet exact(tmp.file("exact.onnx")), sizes(tmp.file("sizes.onnx"));
  EXPECT_EQ(exact.num_steps(), 5u);  // pool, hard sigmoid, scale-residual, max pool, add-upsampled
  torch::manual_seed(7);
  for (bool channels_last : {true, false}) {
    for (int64_t side : {8, 12}) {  // under and over kMinDnnPixels
      torch::Tensor x = torch::randn({1, 3, side, side});
      if (channels_last) x = x.contiguous(at::MemoryFormat::ChannelsLast);
      const torch::Tensor got = exact.forward(x)[0], want = reference(x, side);
      ASSERT_EQ(got.sizes(), want.sizes());
      EXPECT_LT((got - want).abs().max().item<float>(), 1e-5) << "channels_last " << channels_last << " side " << side;
    }
    torch::Tensor x = torch::randn({1, 3, 7, 7});
    if (channels_last) x = x.contiguous(at::MemoryFormat::ChannelsLast);
    const torch::Tensor got = sizes.forward(x)[0], want = reference(x, 7);
    ASSERT_EQ(got.sizes(), want.sizes());
    EXPECT_LT((got - want).abs().max().item<float>(), 1e-5) << "channels_last " << channels_last << " 7x7";
  }
}

// A batch norm whose scale is denormal (PP-OCRv3 has 50 such dead channels in each of some layers)
// folds into denormal conv weights; those are flushed to 0 at load, so that channel's output is
// exactly 0 rather than a ~1e-39 denormal that slows every later convolution reading it.
TEST(Onnx, DenormalWeightsAreFlushedToZero) {
  const float tiny = 1e-39f;
  ASSERT_TRUE(std::fpclassify(tiny) == FP_SUBNORMAL);
  std::string g;
  g += bytes_field(1, node("Conv", {"x", "W", "B"}, {"c"}, {ints_attr("kernel_shape", {1, 1})}));
  g += bytes_field(1, node("BatchNormalization", {"c", "s", "o", "m", "v"}, {"y"}));
  g += bytes_field(5, tensor("W", {3, 1, 1, 1}, {1.f, 1.f, tiny}));
  g += bytes_field(5, tensor("B", {3}, {0.f, 0.f, 0.f}));
  g += bytes_field(5, tensor("s", {3}, {tiny, 2.f, 1.f}));
  g += bytes_field(5, tensor("o", {3}, {tiny, 0.25f, 0.f}));
  g += bytes_field(5, tensor("m", {3}, {0.f, 0.f, 0.f}));
  g += bytes_field(5, tensor("v", {3}, {1.f, 1.f, 1.f}));
  g += bytes_field(11, bytes_field(1, "x"));
  g += bytes_field(12, bytes_field(1, "y"));
  const std::string path = mie::test_temp_path("denormal.onnx").string();
  std::ofstream(path, std::ios::binary) << int_field(1, 7) + bytes_field(7, g) + bytes_field(8, int_field(2, 11));
  OnnxNet net(path);
  for (int side : {4, 12}) {  // ATen's path and oneDNN's (>= kMinDnnPixels)
    const torch::Tensor x = torch::full({1, 1, side, side}, 3.f);
    const torch::Tensor y = net.forward(x)[0].contiguous();
    ASSERT_EQ(y.sizes(), (at::IntArrayRef{1, 3, side, side}));
    EXPECT_EQ(y[0][0].abs().max().item<float>(), 0.f) << "side " << side;  // scale and shift denormal
    EXPECT_EQ(y[0][2].abs().max().item<float>(), 0.f) << "side " << side;  // weight denormal
    EXPECT_NEAR(y[0][1].min().item<float>(), 3.f * 2.f / std::sqrt(1.f + 1e-5f) + 0.25f, 1e-4);
  }
}

TEST(Onnx, MalformedFilesThrowNamingTheFile) {
  torch::Tensor w, b;
  std::vector<torch::Tensor> bn;
  const std::string bytes = test_model(w, b, bn);
  auto message = [](const std::string& data) -> std::string {
    try {
      parse_onnx(data, "bad.onnx");
    } catch (const mie::Error& e) {
      return e.what();
    }
    return "";
  };
  // Truncated: the graph's length runs past the end.
  EXPECT_NE(message(bytes.substr(0, bytes.size() / 2)).find("bad.onnx: malformed ONNX file at byte"), std::string::npos);
  EXPECT_NE(message("this is not an onnx file").find("bad.onnx: malformed ONNX file"), std::string::npos);
  EXPECT_NE(message(int_field(1, 7)).find("not an ONNX model"), std::string::npos);
  // A tensor whose raw data does not match its dims.
  std::string g = bytes_field(1, node("Relu", {"x"}, {"y"})) + bytes_field(5, tensor("W", {3}, {1.f, 2.f})) +
                  bytes_field(11, bytes_field(1, "x")) + bytes_field(12, bytes_field(1, "y"));
  EXPECT_NE(message(bytes_field(7, g)).find("tensor 'W' has 8 bytes of data for 3 values"), std::string::npos);

  // An operator the interpreter does not know is refused at load, by name.
  mie::TestTempDir tmp;
  std::string g2 = bytes_field(1, node("LSTM", {"x"}, {"y"})) + bytes_field(11, bytes_field(1, "x")) +
                   bytes_field(12, bytes_field(1, "y"));
  std::ofstream(tmp.file("lstm.onnx"), std::ios::binary) << bytes_field(7, g2);
  try {
    OnnxNet net(tmp.file("lstm.onnx"));
    FAIL();
  } catch (const mie::Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot load the ONNX model: " + tmp.file("lstm.onnx") + ": unsupported ONNX operators: LSTM"), std::string::npos) << e.what();
  }
  EXPECT_THROW(OnnxNet(tmp.file("missing.onnx")), mie::Error);
}

using test::have_models;
using test::kMessi;

// The real detectors: libtorch's result equals OpenCV's on the same blob.
void compare_with_opencv(const std::string& file, const cv::Mat& hwc, const std::vector<std::string>& outputs) {
  const std::string path = mie::assets_dir() + "/" + file;
  OnnxNet net(path);
  cv::dnn::Net ref = cv::dnn::readNetFromONNX(path);
  ref.setInput(cv::dnn::blobFromImage(hwc));
  std::vector<cv::Mat> want;
  std::vector<cv::String> names(outputs.begin(), outputs.end());
  ref.forward(want, names);
  std::vector<torch::Tensor> got = net.forward(nchw_view(hwc), outputs);
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    torch::Tensor g = got[i].contiguous().view(-1);
    ASSERT_EQ(size_t(g.numel()), want[i].total()) << outputs[i];
    torch::Tensor r = torch::from_blob(want[i].ptr<float>(), {g.numel()}, torch::kFloat);
    EXPECT_LT((g - r).abs().max().item<float>(), 1e-3) << file << " " << outputs[i];
    EXPECT_GT(r.abs().max().item<float>(), 1e-3) << "output all zero: the comparison would be empty";
  }
}

TEST(Onnx, DetectorsMatchOpenCv) {
  if (!have_models() || !mie::file_exists(kMessi)) GTEST_SKIP() << "models or messi5.jpg missing";
  cv::Mat img;
  cv::resize(load_image(kMessi), img, cv::Size(320, 320), 0, 0, cv::INTER_AREA);
  cv::Mat f;
  img.convertTo(f, CV_32FC3);  // YuNet: raw BGR values
  std::vector<std::string> yunet;
  for (const char* k : {"cls_", "obj_", "bbox_"})
    for (int s : {8, 16, 32}) yunet.push_back(k + std::to_string(s));
  compare_with_opencv(kYunetFile, f, yunet);
  img.convertTo(f, CV_32FC3, 1 / 255.0);  // PP-OCRv3: normalised RGB
  cv::cvtColor(f, f, cv::COLOR_BGR2RGB);
  cv::subtract(f, cv::Scalar(0.485, 0.456, 0.406), f);
  cv::divide(f, cv::Scalar(0.229, 0.224, 0.225), f);
  compare_with_opencv(kPpocrFile, f, {"sigmoid_0.tmp_0"});
}

TEST(Onnx, ConcurrentForwardsAgree) {
  if (!have_models()) GTEST_SKIP() << "models missing";
  OnnxNet net(mie::assets_dir() + "/" + kYunetFile);
  torch::manual_seed(1);
  torch::Tensor x = torch::rand({1, 3, 96, 128}) * 255;
  torch::Tensor ref = net.forward(x)[0];
  std::vector<torch::Tensor> got(4);
  std::vector<std::thread> ts;
  for (int i = 0; i < 4; ++i) ts.emplace_back([&, i] { got[i] = net.forward(x)[0]; });
  for (auto& t : ts) t.join();
  for (const auto& g : got) EXPECT_TRUE(torch::equal(g, ref));
}

// Yolo-Fastest through mie's Darknet reader equals OpenCV's Darknet importer, row for row.
TEST(Darknet, YoloFastestMatchesOpenCv) {
  if (!have_models() || !mie::file_exists(kMessi)) GTEST_SKIP() << "models or messi5.jpg missing";
  const std::string cfg = mie::assets_dir() + "/" + kYoloCfgFile, weights = mie::assets_dir() + "/" + kYoloWeightsFile;
  DarknetNet net(cfg, weights);
  EXPECT_EQ(net.classes(), 80);
  EXPECT_EQ(net.input_width(), 320);
  cv::dnn::Net ref = cv::dnn::readNetFromDarknet(cfg, weights);
  for (cv::Size sz : {cv::Size(320, 320), cv::Size(256, 192)}) {
    cv::Mat img = load_image(kMessi), rgb;
    cv::resize(img, img, sz);
    ref.setInput(cv::dnn::blobFromImage(img, 1 / 255.0, sz, cv::Scalar(), true, false));
    std::vector<cv::Mat> outs;
    ref.forward(outs, ref.getUnconnectedOutLayersNames());
    cv::Mat want;
    cv::vconcat(outs, want);
    cv::cvtColor(img, img, cv::COLOR_BGR2RGB);
    img.convertTo(rgb, CV_32FC3, 1 / 255.0);
    torch::Tensor got = net.forward(nchw_view(rgb)).contiguous();
    ASSERT_EQ(got.size(0), want.rows) << sz;
    ASSERT_EQ(got.size(1), want.cols) << sz;
    torch::Tensor r = torch::from_blob(want.ptr<float>(), {want.rows, want.cols}, torch::kFloat);
    EXPECT_LT((got - r).abs().max().item<float>(), 1e-3) << sz;
    EXPECT_GT(r.narrow(1, 5, 80).max().item<float>(), 0.5) << "something is detected";
  }
}

TEST(Darknet, BadCfgAndWeightsThrowNamingTheFile) {
  mie::TestTempDir tmp;
  auto load_error = [&](const std::string& cfg, const std::string& weights) -> std::string {
    std::ofstream(tmp.file("m.cfg")) << cfg;
    std::ofstream(tmp.file("m.weights"), std::ios::binary) << weights;
    try {
      DarknetNet net(tmp.file("m.cfg"), tmp.file("m.weights"));
    } catch (const mie::Error& e) {
      return e.what();
    }
    return "";
  };
  std::string header(20, '\0');
  header[0] = 0, header[4] = 2;  // version 0.2: 64-bit "seen"
  const std::string net = "[net]\nwidth=32\nheight=32\nchannels=3\n";
  const std::string conv = "[convolutional]\nfilters=255\nsize=1\nactivation=linear\n";
  const std::string yolo = "[yolo]\nmask=0,1,2\nanchors=1,1,2,2,3,3\nclasses=80\n";
  std::string ok_weights = header + std::string((255 + 255 * 3) * 4, '\0');
  EXPECT_EQ(load_error(net + conv + yolo, ok_weights), "");
  EXPECT_NE(load_error(net + conv + yolo, ok_weights.substr(0, ok_weights.size() - 4)).find("m.weights: Darknet weights file ends before"),
            std::string::npos);
  EXPECT_NE(load_error(net + conv + yolo, ok_weights + "xxxx").find("has more weights than the cfg"), std::string::npos);
  EXPECT_NE(load_error(net + "[lstm]\n" + conv + yolo, ok_weights).find("m.cfg:5: section [lstm] is not supported"),
            std::string::npos);
  EXPECT_NE(load_error(net + "[convolutional]\nfilters=x\n", ok_weights).find("m.cfg:5: [convolutional] filters=x is not an integer"),
            std::string::npos);
  EXPECT_NE(load_error(net + conv + "[route]\nlayers=-4\n" + yolo, ok_weights).find("m.cfg:9: [route] refers to layer -4"),
            std::string::npos);
  EXPECT_NE(load_error("width=3\n", ok_weights).find("m.cfg:1: key=value before the first [section]"), std::string::npos);
}

}  // namespace
}  // namespace mie::vision
