#include "mie/vision/onnx_net.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "mie/core/error.h"
#include "mie/vision/onnx.h"

namespace mie::vision {
namespace {

enum class Op {
  Conv, ConvT, BatchNorm, Relu, Sigmoid, HardSigmoid, HardSwish, Clip, Add, Sub, Mul, Div,
  GlobalAvgPool, MaxPool, Resize, Concat, Reshape, Transpose, Flatten, Identity,
  ScaleResidual,  // a * (1 + s): a fused a + a * s (in = {a, s})
  AddUpsampled    // a + Resize(b): a fused Add of a nearest Resize (in = {a, b}; the Resize's scales/sizes)
};

const std::map<std::string, Op>& op_table() {
  static const std::map<std::string, Op> t = {
      {"Conv", Op::Conv}, {"ConvTranspose", Op::ConvT}, {"BatchNormalization", Op::BatchNorm}, {"Relu", Op::Relu},
      {"Sigmoid", Op::Sigmoid}, {"HardSigmoid", Op::HardSigmoid}, {"HardSwish", Op::HardSwish}, {"Clip", Op::Clip},
      {"Add", Op::Add}, {"Sub", Op::Sub}, {"Mul", Op::Mul}, {"Div", Op::Div}, {"GlobalAveragePool", Op::GlobalAvgPool},
      {"MaxPool", Op::MaxPool}, {"Resize", Op::Resize}, {"Upsample", Op::Resize}, {"Concat", Op::Concat},
      {"Reshape", Op::Reshape}, {"Transpose", Op::Transpose}, {"Flatten", Op::Flatten}, {"Identity", Op::Identity}};
  return t;
}

struct Step {
  Op op;
  std::string name;            // the ONNX node's name, for errors
  std::vector<int> in;         // value slots; for Conv/ConvT/BatchNorm only the data input
  int out = -1;
  bool dead = false;
  bool inplace = false;        // Relu may overwrite its input (its only consumer)
  torch::Tensor w, b;          // Conv/ConvT weights and bias; BatchNorm scale and shift ([1,C,1,1])
  std::vector<int64_t> stride, pad, dil, out_pad, kernel, pre_pad, shape, perm;
  int64_t group = 1, axis = 0;
  int64_t shuffle = 0;         // Conv: depth_to_space by this factor after it (a rewritten ConvTranspose)
  double lo = 0, hi = 0;       // Clip bounds; HardSigmoid alpha (lo) and beta (hi)
  bool ceil = false;
  std::vector<double> scales;  // Resize: per-dimension factors (N, C, H, W)
  std::vector<int64_t> sizes;  // Resize: explicit output size
  std::vector<int> release;    // slots whose last use is this step
};

torch::Tensor to_torch(const OnnxTensor& t) {
  std::vector<int64_t> dims(t.dims.begin(), t.dims.end());
  if (t.data_type == 1)
    return torch::from_blob(const_cast<float*>(t.floats.data()), dims, torch::kFloat).clone();
  return torch::from_blob(const_cast<int64_t*>(t.ints.data()), dims, torch::kLong).clone();
}

std::vector<int64_t> ints_of(const torch::Tensor& t) {
  torch::Tensor c = t.to(torch::kLong).contiguous();
  return std::vector<int64_t>(c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel());
}
std::vector<double> doubles_of(const torch::Tensor& t) {
  torch::Tensor c = t.to(torch::kDouble).contiguous();
  return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

}  // namespace

torch::Tensor conv2d(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b, at::IntArrayRef stride,
                     at::IntArrayRef pad, at::IntArrayRef dil, int64_t groups) {
  if (x.dim() == 4 && x.scalar_type() == torch::kFloat && x.size(2) * x.size(3) >= kMinDnnPixels) {
    auto pair = [](at::IntArrayRef a) { return a.size() == 1 ? std::vector<int64_t>{a[0], a[0]} : a.vec(); };
    return at::mkldnn_convolution(x, w, b, pair(pad), pair(stride), pair(dil), groups);  // no expansion there
  }
  return at::conv2d(x, w, b, stride, pad, dil, groups);
}

namespace {

// ONNX DepthToSpace in DCR order: out[n, c, h * r + i, w * r + j] = y[n, (i * r + j) * C + c, h, w].
// With a channels-last y each output pixel's C channels are one contiguous run of y, so the copy
// moves whole runs (at::pixel_shuffle's CRD order gathers with stride r * r: 11 ms of PP-OCRv3 at
// 736x736 against ~2). The result is channels-last when y is.
torch::Tensor depth_to_space(const torch::Tensor& y, int64_t r) {
  const int64_t N = y.size(0), C = y.size(1) / (r * r), H = y.size(2), W = y.size(3);
  if (!y.is_contiguous(at::MemoryFormat::ChannelsLast))
    return y.view({N, r, r, C, H, W}).permute({0, 3, 4, 1, 5, 2}).reshape({N, C, H * r, W * r});
  return y.permute({0, 2, 3, 1})                 // [N, H, W, r, r, C] in memory order
      .view({N, H, W, r, r, C})
      .permute({0, 1, 3, 2, 4, 5})               // [N, H, r, W, r, C]
      .contiguous()
      .view({N, H * r, W * r, C})
      .permute({0, 3, 1, 2});
}

// Nearest Resize of a 4-d map by a step's scales or sizes (asymmetric coordinates, floor).
torch::Tensor resize_nearest(const Step& s, const torch::Tensor& x) {
  if (x.dim() != 4) throw mie::Error("Resize of a " + std::to_string(x.dim()) + "-d tensor");
  std::vector<int64_t> size = s.sizes;
  if (size.empty())
    size = {int64_t(std::floor(x.size(2) * s.scales[2])), int64_t(std::floor(x.size(3) * s.scales[3]))};
  else
    size = {size[2], size[3]};
  if (s.scales.empty()) return at::upsample_nearest2d(x, size);
  return at::upsample_nearest2d(x, size, s.scales[2], s.scales[3]);
}

// a + Resize(b) where the Resize repeats each pixel of b exactly fy x fx times into a's shape: b is
// broadcast over [N, h, fy, w, fx, C] views of channels-last maps, so the upsampled map is never
// written (PP-OCRv3's top-down FPN adds). Other shapes and layouts fall back to Resize then Add.
torch::Tensor add_upsampled(const Step& s, const torch::Tensor& a, const torch::Tensor& b) {
  if (a.dim() == 4 && b.dim() == 4 && a.size(0) == b.size(0) && a.size(1) == b.size(1) && b.size(2) > 0 && b.size(3) > 0) {
    const int64_t N = a.size(0), C = a.size(1), H = a.size(2), W = a.size(3), h = b.size(2), w = b.size(3);
    const bool whole = H % h == 0 && W % w == 0;
    const bool target = s.sizes.empty() ? whole && s.scales[2] == double(H / h) && s.scales[3] == double(W / w)
                                        : s.sizes[2] == H && s.sizes[3] == W;
    const auto cl = at::MemoryFormat::ChannelsLast;
    if (whole && target && a.is_contiguous(cl) && b.is_contiguous(cl)) {  // [N, H, W, C] in memory
      const int64_t fy = H / h, fx = W / w;
      const torch::Tensor sum = at::add(a.permute({0, 2, 3, 1}).view({N, h, fy, w, fx, C}),
                                        b.permute({0, 2, 3, 1}).view({N, h, 1, w, 1, C}));
      return sum.view({N, H, W, C}).permute({0, 3, 1, 2});
    }
  }
  return at::add(a, resize_nearest(s, b));
}

torch::Tensor run_step(const Step& s, std::vector<torch::Tensor>& v) {
  const torch::Tensor& x = v[s.in.at(0)];
  switch (s.op) {
    case Op::Conv: {
      torch::Tensor in = s.pre_pad.empty() ? x : at::constant_pad_nd(x, s.pre_pad, 0);
      torch::Tensor y = conv2d(in, s.w, s.b, s.stride, s.pad, s.dil, s.group);
      return s.shuffle ? depth_to_space(y, s.shuffle) : y;
    }
    case Op::ConvT: return at::conv_transpose2d(x, s.w, s.b, s.stride, s.pad, s.out_pad, s.group, s.dil);
    case Op::BatchNorm: return at::addcmul(s.b, x, s.w);
    case Op::Relu: return s.inplace ? at::relu_(v[s.in[0]]) : at::relu(x);
    case Op::Sigmoid: return at::sigmoid(x);
    case Op::HardSigmoid: return (x * s.lo + s.hi).clamp_(0, 1);
    case Op::HardSwish: return at::hardswish(x);
    case Op::Clip: return at::clamp(x, s.lo, s.hi);
    case Op::Add: return at::add(x, v[s.in.at(1)]);
    case Op::Sub: return at::sub(x, v[s.in.at(1)]);
    case Op::Mul: return at::mul(x, v[s.in.at(1)]);
    case Op::Div: return at::div(x, v[s.in.at(1)]);
    case Op::GlobalAvgPool: return at::mean(x, {2, 3}, true);
    case Op::MaxPool: return at::max_pool2d(x, s.kernel, s.stride, s.pad, s.dil, s.ceil);
    case Op::Resize: return resize_nearest(s, x);
    case Op::Concat: {
      std::vector<torch::Tensor> parts;
      for (int i : s.in) parts.push_back(v[i]);
      return at::cat(parts, s.axis);
    }
    case Op::Reshape: {
      std::vector<int64_t> shape = s.shape;
      for (size_t i = 0; i < shape.size(); ++i)
        if (shape[i] == 0) shape[i] = x.size(int64_t(i));
      return x.reshape(shape);
    }
    case Op::Transpose: return x.permute(s.perm);
    case Op::Flatten: {
      const int64_t ax = s.axis < 0 ? s.axis + x.dim() : s.axis;
      int64_t left = 1;
      for (int64_t i = 0; i < ax; ++i) left *= x.size(i);
      return x.reshape({left, -1});
    }
    case Op::Identity: return x;
    case Op::ScaleResidual: return at::mul(x, v[s.in.at(1)] + 1);
    case Op::AddUpsampled: return add_upsampled(s, x, v[s.in.at(1)]);
  }
  throw mie::Error("unreachable");
}

}  // namespace

torch::Tensor nchw_view(const cv::Mat& hwc) {
  if (hwc.empty() || hwc.type() != CV_32FC3 || !hwc.isContinuous())
    throw mie::Error("nchw_view: expected a non-empty, continuous CV_32FC3 image");
  return torch::from_blob(const_cast<uchar*>(hwc.data), {1, hwc.rows, hwc.cols, 3}, torch::kFloat).permute({0, 3, 1, 2});
}

struct OnnxNet::Impl {
  std::string path;
  std::vector<torch::Tensor> consts;      // per slot; defined for compile-time values
  std::map<std::string, int> slot;        // value name -> slot
  int input_slot = -1;
  int64_t m_opset_ = 0;
  std::vector<Step> steps;
  std::vector<std::string> outputs;

  [[noreturn]] void fail(const OnnxNode& n, const std::string& msg) const {
    throw mie::Error(path + ": node '" + n.name + "' (" + n.op + "): " + msg);
  }
  int slot_of(const std::string& name) {
    auto it = slot.find(name);
    if (it != slot.end()) return it->second;
    slot[name] = int(consts.size());
    consts.emplace_back();
    return int(consts.size()) - 1;
  }
  bool is_const(const std::string& name) const {
    auto it = slot.find(name);
    return it != slot.end() && consts[it->second].defined();
  }
  const torch::Tensor& const_input(const OnnxNode& n, size_t i, const char* what) const {
    if (i >= n.inputs.size() || n.inputs[i].empty()) fail(n, std::string("missing ") + what);
    if (!is_const(n.inputs[i])) fail(n, std::string(what) + " must be a constant");
    return consts[slot.at(n.inputs[i])];
  }

  void compile(const OnnxModel& m);
  Step make_step(const OnnxNode& n, Op op);
  void fold_bias_add(const std::vector<int>& consumers);
  void fold_batchnorm(const std::vector<int>& consumers);
  void fuse_scale_residual(const std::vector<int>& consumers);
  void fuse_add_upsampled(const std::vector<int>& consumers);
  std::map<int, size_t> live_producers() const;  // slot -> the live step writing it
  template <class Fuse>
  void for_add_of(Op op, const std::vector<int>& consumers, Fuse fuse);
  void fuse_hardswish(const std::vector<int>& consumers);
  void flush_denormals();
  void plan_memory(const std::vector<int>& keep);
};

Step OnnxNet::Impl::make_step(const OnnxNode& n, Op op) {
  Step s;
  s.op = op;
  s.name = n.name;
  auto data_in = [&](size_t i) {
    if (i >= n.inputs.size() || n.inputs[i].empty()) fail(n, "missing input " + std::to_string(i));
    if (!slot.count(n.inputs[i])) fail(n, "input '" + n.inputs[i] + "' is not computed before it");
    s.in.push_back(slot.at(n.inputs[i]));
  };
  auto two_d = [&](std::vector<int64_t> v, int64_t dflt, const char* what) {
    if (v.empty()) v = {dflt, dflt};
    if (v.size() != 2) fail(n, std::string(what) + " must have 2 values (2-d only)");
    return v;
  };
  auto pads = [&]() {
    std::string ap = n.attr_s("auto_pad", "NOTSET");
    if (ap != "NOTSET" && ap != "VALID") fail(n, "auto_pad " + ap + " is not supported");
    std::vector<int64_t> p = n.attr_ints("pads");
    if (p.empty() || ap == "VALID") p = {0, 0, 0, 0};
    if (p.size() != 4) fail(n, "pads must have 4 values");
    return p;  // top, left, bottom, right
  };
  switch (op) {
    case Op::Conv:
    case Op::ConvT: {
      data_in(0);
      s.w = const_input(n, 1, "weight");
      if (s.w.dim() != 4) fail(n, "only 2-d convolutions are supported");
      if (n.inputs.size() > 2 && !n.inputs[2].empty()) s.b = const_input(n, 2, "bias");
      s.stride = two_d(n.attr_ints("strides"), 1, "strides");
      s.dil = two_d(n.attr_ints("dilations"), 1, "dilations");
      s.group = n.attr_i("group", 1);
      std::vector<int64_t> p = pads();
      if (op == Op::Conv && (p[0] != p[2] || p[1] != p[3])) {
        s.pre_pad = {p[1], p[3], p[0], p[2]};  // left, right, top, bottom
        s.pad = {0, 0};
      } else {
        if (p[0] != p[2] || p[1] != p[3]) fail(n, "asymmetric pads are not supported");
        s.pad = {p[0], p[1]};
      }
      if (op == Op::ConvT) {
        s.out_pad = two_d(n.attr_ints("output_padding"), 0, "output_padding");
        if (!n.attr_ints("output_shape").empty()) fail(n, "output_shape is not supported");
        // Kernel == stride, no padding: the output blocks do not overlap, so it is a 1x1 conv to
        // r*r*Cout channels and a depth-to-space (libtorch's transposed conv is ~10x slower here).
        // Weights [Cin, Cout, r, r] -> [r, r, Cout, Cin]: channel (i * r + j) * Cout + c.
        const int64_t r = s.stride[0];
        if (s.stride[1] == r && s.w.size(2) == r && s.w.size(3) == r && s.pad == std::vector<int64_t>{0, 0} &&
            s.out_pad == std::vector<int64_t>{0, 0} && s.dil == std::vector<int64_t>{1, 1} && s.group == 1) {
          s.op = Op::Conv;
          s.shuffle = r;
          s.w = s.w.permute({2, 3, 1, 0}).reshape({-1, s.w.size(0), 1, 1}).contiguous();
          if (s.b.defined()) s.b = s.b.repeat({r * r});
          s.stride = {1, 1};
        }
      }
      break;
    }
    case Op::BatchNorm: {
      data_in(0);
      const double eps = n.attr_f("epsilon", 1e-5f);
      torch::Tensor scale = const_input(n, 1, "scale"), bias = const_input(n, 2, "B");
      torch::Tensor mean = const_input(n, 3, "mean"), var = const_input(n, 4, "var");
      torch::Tensor k = scale / torch::sqrt(var + eps);
      s.w = k.view({1, -1, 1, 1});
      s.b = (bias - mean * k).view({1, -1, 1, 1});
      break;
    }
    case Op::Clip: {
      data_in(0);
      s.lo = -INFINITY;
      s.hi = INFINITY;
      if (n.attr("min")) s.lo = n.attr_f("min", 0);
      if (n.attr("max")) s.hi = n.attr_f("max", 0);
      if (n.inputs.size() > 1 && !n.inputs[1].empty()) s.lo = const_input(n, 1, "min").item<double>();
      if (n.inputs.size() > 2 && !n.inputs[2].empty()) s.hi = const_input(n, 2, "max").item<double>();
      break;
    }
    case Op::HardSigmoid:
      data_in(0);
      s.lo = n.attr_f("alpha", 0.2f);
      s.hi = n.attr_f("beta", 0.5f);
      break;
    case Op::Add: case Op::Sub: case Op::Mul: case Op::Div:
      data_in(0);
      data_in(1);
      break;
    case Op::MaxPool: {
      data_in(0);
      s.kernel = two_d(n.attr_ints("kernel_shape"), 0, "kernel_shape");
      s.stride = two_d(n.attr_ints("strides"), 1, "strides");
      s.dil = two_d(n.attr_ints("dilations"), 1, "dilations");
      std::vector<int64_t> p = pads();
      if (p[0] != p[2] || p[1] != p[3]) fail(n, "asymmetric pads are not supported");
      s.pad = {p[0], p[1]};
      s.ceil = n.attr_i("ceil_mode", 0) != 0;
      if (n.outputs.size() > 1 && !n.outputs[1].empty()) fail(n, "the Indices output is not supported");
      break;
    }
    case Op::Resize: {
      data_in(0);
      if (n.attr_s("mode", "nearest") != "nearest") fail(n, "only mode 'nearest' is supported");
      const std::string ctm = n.attr_s("coordinate_transformation_mode", n.op == "Upsample" ? "asymmetric" : "half_pixel");
      if (ctm != "asymmetric") fail(n, "only coordinate_transformation_mode 'asymmetric' is supported");
      const std::string nm = n.attr_s("nearest_mode", "round_prefer_floor");
      const size_t scales_at = (n.op == "Upsample" || m_opset_ < 11) ? 1 : 2;
      if (n.inputs.size() > 3 && !n.inputs[3].empty()) s.sizes = ints_of(const_input(n, 3, "sizes"));
      else if (n.attr("scales")) s.scales.assign(n.attr("scales")->floats.begin(), n.attr("scales")->floats.end());
      else s.scales = doubles_of(const_input(n, scales_at, "scales"));
      if (s.scales.empty() && s.sizes.size() != 4) fail(n, "needs 4 scales or 4 sizes (NCHW)");
      if (!s.scales.empty()) {
        if (s.scales.size() != 4 || s.scales[0] != 1 || s.scales[1] != 1) fail(n, "only H and W may be scaled");
        const bool integral = s.scales[2] == std::floor(s.scales[2]) && s.scales[3] == std::floor(s.scales[3]);
        if (nm != "floor" && !integral) fail(n, "nearest_mode " + nm + " needs integer scales");
      } else if (nm != "floor") {
        fail(n, "nearest_mode " + nm + " with explicit sizes is not supported");
      }
      break;
    }
    case Op::Concat:
      for (size_t i = 0; i < n.inputs.size(); ++i) data_in(i);
      s.axis = n.attr_i("axis", 0);
      break;
    case Op::Reshape:
      data_in(0);
      s.shape = ints_of(const_input(n, 1, "shape"));
      if (n.attr_i("allowzero", 0) != 0) fail(n, "allowzero is not supported");
      break;
    case Op::Transpose:
      data_in(0);
      s.perm = n.attr_ints("perm");
      if (s.perm.empty()) fail(n, "perm is required");
      break;
    case Op::Flatten:
      data_in(0);
      s.axis = n.attr_i("axis", 1);
      break;
    default:
      data_in(0);
  }
  if (n.outputs.empty() || n.outputs[0].empty()) fail(n, "has no output");
  s.out = slot_of(n.outputs[0]);
  return s;
}

void OnnxNet::Impl::compile(const OnnxModel& m) {
  m_opset_ = m.opset;
  for (const auto& [name, t] : m.initializers) consts[slot_of(name)] = to_torch(t);
  if (m.inputs.size() != 1) throw mie::Error(path + ": expected one graph input, found " + std::to_string(m.inputs.size()));
  input_slot = slot_of(m.inputs[0]);
  std::set<std::string> unsupported;
  for (const OnnxNode& n : m.nodes)
    if (n.op != "Constant" && !op_table().count(n.op)) unsupported.insert(n.op);
  if (!unsupported.empty()) {
    std::string list;
    for (const auto& u : unsupported) list += (list.empty() ? "" : ", ") + u;
    throw mie::Error(path + ": unsupported ONNX operators: " + list);
  }
  for (const OnnxNode& n : m.nodes) {
    if (n.op == "Constant") {
      const OnnxAttr* a = n.attr("value");
      if (!a || a->t.empty()) fail(n, "only tensor-valued Constant nodes are supported");
      if (n.outputs.empty()) fail(n, "has no output");
      consts[slot_of(n.outputs[0])] = to_torch(a->t[0]);
      continue;
    }
    Step s = make_step(n, op_table().at(n.op));
    bool all_const = true;
    for (int i : s.in) all_const = all_const && consts[i].defined();
    if (all_const) {  // fold: run it now
      consts[s.out] = run_step(s, consts);
      continue;
    }
    steps.push_back(std::move(s));
  }
  std::vector<int> keep;
  for (const auto& o : m.outputs) {
    if (!slot.count(o)) throw mie::Error(path + ": graph output '" + o + "' is never computed");
    keep.push_back(slot.at(o));
    outputs.push_back(o);
  }
  std::vector<int> consumers(consts.size(), 0);
  for (const Step& s : steps)
    for (int i : s.in) ++consumers[i];
  for (int k : keep) ++consumers[k];
  fold_bias_add(consumers);
  fold_batchnorm(consumers);
  fuse_hardswish(consumers);
  fuse_scale_residual(consumers);
  fuse_add_upsampled(consumers);
  for (Step& s : steps)
    if (s.op == Op::Relu && consumers[s.in[0]] == 1 && !consts[s.in[0]].defined() && s.in[0] != input_slot) s.inplace = true;
  std::erase_if(steps, [](const Step& s) { return s.dead; });
  flush_denormals();
  plan_memory(keep);
}

// Weights and constants smaller than FLT_MIN (denormals) become 0. PP-OCRv3 has 50 dead channels
// in some batch norms of its last MobileNetV3 stage (scale and shift ~1e-39); their denormal
// outputs made the next 1x1 convolution ~20x slower (x86 computes on denormals in microcode):
// 13 of PP-OCRv3's ~95 ms at 736x736. The outputs change by less than 1e-37 per such weight.
void OnnxNet::Impl::flush_denormals() {
  auto flush = [](torch::Tensor& t) {
    if (t.defined() && t.scalar_type() == torch::kFloat)
      t.masked_fill_(t.abs() < std::numeric_limits<float>::min(), 0.f);
  };
  for (torch::Tensor& c : consts) flush(c);
  for (Step& s : steps) {
    flush(s.w);
    flush(s.b);
  }
}

// Conv -> Add of a constant that is per channel ([C,1,1] or [1,C,1,1]) or a scalar, the conv's output
// used by the Add only (Paddle exports a ConvTranspose's bias so): the constant joins the conv's
// bias. PP-OCRv3's DB head then folds ConvTranspose -> Add -> BatchNormalization into one conv.
void OnnxNet::Impl::fold_bias_add(const std::vector<int>& consumers) {
  std::map<int, size_t> producer = live_producers();
  for (Step& add : steps) {
    if (add.op != Op::Add) continue;
    for (int side = 0; side < 2; ++side) {
      const int x = add.in[side];
      const torch::Tensor& c = consts[add.in[1 - side]];
      auto it = producer.find(x);
      if (!c.defined() || c.scalar_type() != torch::kFloat || it == producer.end() || consumers[x] != 1) continue;
      Step& conv = steps[it->second];
      if (conv.op != Op::Conv || conv.dead) continue;
      const int64_t copies = conv.shuffle ? conv.shuffle * conv.shuffle : 1;  // DCR: (i * r + j) * C + c
      const int64_t C = conv.w.size(0) / copies;
      const bool scalar = c.numel() == 1 && c.dim() <= 4;
      const bool per_channel = c.numel() == C && (c.dim() == 3 || (c.dim() == 4 && c.size(0) == 1)) &&
                               c.size(-1) == 1 && c.size(-2) == 1;
      if (!scalar && !per_channel) continue;
      const torch::Tensor shift = c.reshape({-1}).expand({C}).repeat({copies});
      conv.b = conv.b.defined() ? conv.b + shift : shift.clone();
      conv.out = add.out;
      producer[add.out] = it->second;
      add.dead = true;
      break;
    }
  }
}

// Conv -> BatchNormalization, the conv's output used by the BN only: scale the weights, shift the bias.
void OnnxNet::Impl::fold_batchnorm(const std::vector<int>& consumers) {
  std::map<int, size_t> producer = live_producers();
  for (Step& bn : steps) {
    if (bn.op != Op::BatchNorm) continue;
    auto it = producer.find(bn.in[0]);
    if (it == producer.end() || consumers[bn.in[0]] != 1) continue;
    Step& conv = steps[it->second];
    if (conv.op != Op::Conv) continue;
    torch::Tensor k = bn.w.view({-1}), shift = bn.b.view({-1});
    if (conv.shuffle) {  // output channel c comes from conv channels (i * r + j) * Cout + c
      k = k.repeat({conv.shuffle * conv.shuffle});
      shift = shift.repeat({conv.shuffle * conv.shuffle});
    }
    if (k.size(0) != conv.w.size(0)) continue;
    conv.w = conv.w * k.view({-1, 1, 1, 1});
    conv.b = conv.b.defined() ? conv.b * k + shift : shift.clone();
    conv.out = bn.out;
    producer[bn.out] = it->second;
    bn.dead = true;
  }
}

// x * clip(x + 3, 0, 6) / 6 (Paddle's export of hard_swish) -> one HardSwish op.
void OnnxNet::Impl::fuse_hardswish(const std::vector<int>& consumers) {
  std::map<int, size_t> producer = live_producers();
  auto scalar = [&](int slot, double want) {
    const torch::Tensor& c = consts[slot];
    return c.defined() && c.numel() == 1 && std::abs(c.item<double>() - want) < 1e-6;
  };
  auto made_by = [&](int slot, Op op) -> Step* {
    auto it = producer.find(slot);
    if (it == producer.end() || consumers[slot] != 1 || steps[it->second].op != op) return nullptr;
    return &steps[it->second];
  };
  for (Step& div : steps) {
    if (div.dead || div.op != Op::Div || !scalar(div.in[1], 6)) continue;
    Step* mul = made_by(div.in[0], Op::Mul);
    if (!mul) continue;
    for (int side = 0; side < 2; ++side) {
      const int x = mul->in[side], c = mul->in[1 - side];
      Step* clip = made_by(c, Op::Clip);
      if (!clip || clip->lo != 0 || clip->hi != 6) continue;
      Step* add = made_by(clip->in[0], Op::Add);
      if (!add) continue;
      const bool plus3 = (add->in[0] == x && scalar(add->in[1], 3)) || (add->in[1] == x && scalar(add->in[0], 3));
      if (!plus3) continue;
      add->dead = clip->dead = div.dead = true;
      mul->op = Op::HardSwish;
      mul->in = {x};
      mul->out = div.out;
      break;
    }
  }
}

std::map<int, size_t> OnnxNet::Impl::live_producers() const {
  std::map<int, size_t> producer;
  for (size_t i = 0; i < steps.size(); ++i)
    if (!steps[i].dead) producer[steps[i].out] = i;
  return producer;
}

// Each live Add, one of whose inputs is made by a live `op` step used by that Add only and the other
// is computed (not a constant): fuse(add, that step, the other input) until it returns true.
template <class Fuse>
void OnnxNet::Impl::for_add_of(Op op, const std::vector<int>& consumers, Fuse fuse) {
  const std::map<int, size_t> producer = live_producers();
  for (Step& add : steps) {
    if (add.dead || add.op != Op::Add) continue;
    for (int side = 0; side < 2; ++side) {
      const int made = add.in[side], other = add.in[1 - side];
      auto it = producer.find(made);
      if (it == producer.end() || consumers[made] != 1 || consts[other].defined()) continue;
      Step& p = steps[it->second];
      if (!p.dead && p.op == op && fuse(add, p, other)) break;
    }
  }
}

// a + a * s, the product used by the sum only (the residual squeeze-excitation of PP-OCRv3's
// neck) -> one ScaleResidual op, a * (1 + s): one pass over the map instead of two.
void OnnxNet::Impl::fuse_scale_residual(const std::vector<int>& consumers) {
  for_add_of(Op::Mul, consumers, [](Step& add, Step& mul, int a) {
    const int s = mul.in[0] == a ? mul.in[1] : mul.in[1] == a ? mul.in[0] : -1;
    if (s < 0 || s == a) return false;
    mul.dead = true;
    add.op = Op::ScaleResidual;
    add.in = {a, s};
    return true;
  });
}

// a + Resize(b), the resized map used by the sum only -> one AddUpsampled op (see add_upsampled).
void OnnxNet::Impl::fuse_add_upsampled(const std::vector<int>& consumers) {
  for_add_of(Op::Resize, consumers, [](Step& add, Step& resize, int a) {
    resize.dead = true;
    add.op = Op::AddUpsampled;
    add.in = {a, resize.in[0]};
    add.scales = resize.scales;
    add.sizes = resize.sizes;
    return true;
  });
}

void OnnxNet::Impl::plan_memory(const std::vector<int>& keep) {
  std::vector<int> last(consts.size(), -1);
  for (size_t i = 0; i < steps.size(); ++i)
    for (int s : steps[i].in) last[s] = int(i);
  for (int k : keep) last[k] = int(steps.size());
  for (size_t s = 0; s < last.size(); ++s)
    if (last[s] >= 0 && last[s] < int(steps.size()) && !consts[s].defined()) steps[last[s]].release.push_back(int(s));
}

OnnxNet::OnnxNet(const std::string& onnx_path, const std::string& what) : impl_(std::make_unique<Impl>()) {
  impl_->path = onnx_path;
  try {
    OnnxModel m = read_onnx(onnx_path);
    c10::InferenceMode guard;
    impl_->compile(m);
  } catch (const c10::Error& e) {
    throw mie::Error("cannot load " + what + ": " + onnx_path + ": cannot compile the ONNX graph: " + e.what_without_backtrace());
  } catch (const mie::Error& e) {
    throw mie::Error("cannot load " + what + ": " + e.what());
  }
}

OnnxNet::~OnnxNet() = default;
OnnxNet::OnnxNet(OnnxNet&&) noexcept = default;
OnnxNet& OnnxNet::operator=(OnnxNet&&) noexcept = default;

std::vector<torch::Tensor> OnnxNet::forward(const torch::Tensor& input, const std::vector<std::string>& outputs) const {
  const Impl& m = *impl_;
  c10::InferenceMode guard;
  std::vector<torch::Tensor> v = m.consts;
  // Channels-last (NHWC): oneDNN's native layout, no reorder around each convolution (~2x faster here).
  torch::Tensor x = input.to(torch::kFloat);
  v[m.input_slot] = x.dim() == 4 ? x.contiguous(at::MemoryFormat::ChannelsLast) : x.contiguous();
  std::vector<int> want;
  for (const auto& name : outputs.empty() ? m.outputs : outputs) {
    auto it = m.slot.find(name);
    if (it == m.slot.end() || std::find(m.outputs.begin(), m.outputs.end(), name) == m.outputs.end())
      throw mie::Error(m.path + ": '" + name + "' is not an output of this graph");
    want.push_back(it->second);
  }
  for (const Step& s : m.steps) {
    try {
      v[s.out] = run_step(s, v);
    } catch (const c10::Error& e) {
      throw mie::Error(m.path + ": node '" + s.name + "' failed on input " + std::to_string(input.size(-2)) + "x" +
                       std::to_string(input.size(-1)) + ": " + e.what_without_backtrace());
    }
    for (int r : s.release) v[r] = torch::Tensor();
  }
  std::vector<torch::Tensor> res;
  for (int w : want) res.push_back(v[w]);
  return res;
}

const std::vector<std::string>& OnnxNet::output_names() const { return impl_->outputs; }
const std::string& OnnxNet::path() const { return impl_->path; }
size_t OnnxNet::num_steps() const { return impl_->steps.size(); }

}  // namespace mie::vision
