// mie/vision/onnx_net.h — runs an ONNX convolutional network (read by onnx.h) with libtorch on the CPU.
//
//   mie::vision::OnnxNet net("ppocr-det/en_PP-OCRv3_det_cv46.onnx");
//   torch::Tensor x = torch::zeros({1, 3, 320, 320});                 // NCHW float
//   std::vector<torch::Tensor> out = net.forward(x);                     // every graph output
//   std::vector<torch::Tensor> cls = net.forward(x, {"cls_8", "cls_16"});
//
// Why: OpenCV 4.6's DNN runs these detectors' convolutions ~2x slower than libtorch's oneDNN
// kernels, and its broadcast Mul (PP-OCRv3's attention) is a generic slow path; libtorch also
// takes any input size, where OpenCV 4.6 needs PP-OCRv3's input size fixed.
// The graph is compiled once at load: constants are folded; a per-channel Add and a
// BatchNormalization that follow a Conv are folded into its bias and weights; the HardSwish pattern
// (x * clip(x + 3, 0, 6) / 6), a residual scale (a + a * s) and an Add of a nearest Resize each
// become one op; denormal weights become 0 (PP-OCRv3's dead channels: ~13% of its time at 736x736). Supported operators: Conv, ConvTranspose, BatchNormalization, Relu, Sigmoid, HardSigmoid,
// Clip, Add, Sub, Mul, Div, GlobalAveragePool, MaxPool, Resize/Upsample (nearest), Concat, Reshape,
// Transpose, Flatten, Identity, Constant. Loading a file with any other operator, a truncated file or
// a malformed node throws mie::Error naming the file and the node.
// Thread safety: a loaded net is immutable; forward() is const and may run on several threads at
// once (each call keeps its own intermediate tensors). It runs on torch's intra-op threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <torch/types.h>

namespace mie::vision {

// A [1, 3, H, W] float tensor over a CV_32FC3 image's pixels, no copy (channels-last strides):
// keep `hwc` alive while the tensor is used. Throws mie::Error for any other Mat type.
torch::Tensor nchw_view(const cv::Mat& hwc);

// at::conv2d, but oneDNN (at::mkldnn_convolution) for every map of at least kMinDnnPixels pixels:
// on one thread ATen sends 1x1 convolutions to its im2col + BLAS path (PP-OCRv3's forward at
// 736x736: 105 ms that way, 97 with oneDNN; YuNet and Yolo-Fastest ~15% faster). Tiny maps
// (squeeze-excitation 1x1 maps) keep ATen's choice.
inline constexpr int64_t kMinDnnPixels = 64;
torch::Tensor conv2d(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b, at::IntArrayRef stride,
                     at::IntArrayRef pad, at::IntArrayRef dil, int64_t groups);

class OnnxNet {
 public:
  // `what` names the model in load errors: "cannot load <what>: <path>: <reason>".
  explicit OnnxNet(const std::string& onnx_path, const std::string& what = "the ONNX model");
  ~OnnxNet();
  OnnxNet(OnnxNet&&) noexcept;
  OnnxNet& operator=(OnnxNet&&) noexcept;

  // `input` feeds the graph's single input. `outputs` names graph outputs to return (others throw
  // mie::Error); empty means all of them in the graph's order.
  std::vector<torch::Tensor> forward(const torch::Tensor& input, const std::vector<std::string>& outputs = {}) const;
  const std::vector<std::string>& output_names() const;
  const std::string& path() const;
  // Operators after compilation (for tests: folding really happened).
  size_t num_steps() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mie::vision
