// mie/vision/darknet.h — runs a Darknet YOLO network (.cfg + .weights, e.g. Yolo-Fastest) with libtorch.
//
//   mie::vision::DarknetNet net("yolo-fastest-1.1-xl.cfg", "yolo-fastest-1.1-xl.weights");
//   torch::Tensor x = ...;                     // [1, 3, 320, 320], RGB in [0, 1]
//   torch::Tensor rows = net.forward(x);       // [N, 5 + classes]: cx, cy, w, h, objectness, scores
//
// The rows are those of OpenCV 4.6's Darknet importer (its region layer), so decoding code is the
// same: coordinates relative to the input, class scores multiplied by the objectness and set to 0
// at or below 0.2 (OpenCV's default threshold), rows ordered by YOLO layer, then grid row, column
// and anchor. Convolutions carry their batch norm folded in, and run in channels-last layout
// (oneDNN): about twice as fast as OpenCV's DNN on one core.
// Supported sections: [net], [convolutional] (batch_normalize, filters, size, stride, pad/padding,
// groups, activation linear|leaky|relu), [maxpool], [route] (layers, no groups), [shortcut]
// (from, activation linear), [upsample], [dropout] (identity at inference) and [yolo]. Anything else
// throws mie::ParseError naming the cfg file and line; a weights file shorter or longer than the
// cfg needs throws mie::Error naming it.
// Thread safety: a loaded net is immutable; forward() is const and may run on several threads.
#pragma once

#include <memory>
#include <string>

#include <torch/types.h>

namespace mie::vision {

class DarknetNet {
 public:
  DarknetNet(const std::string& cfg_path, const std::string& weights_path);
  ~DarknetNet();
  DarknetNet(DarknetNet&&) noexcept;
  DarknetNet& operator=(DarknetNet&&) noexcept;

  torch::Tensor forward(const torch::Tensor& input) const;
  int classes() const;      // of the [yolo] layers
  int input_width() const;  // [net] width and height: the anchors are in these pixels
  int input_height() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mie::vision
