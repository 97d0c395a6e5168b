#include "mie/vision/darknet.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "mie/vision/onnx_net.h"

#include "mie/core/error.h"
#include "mie/core/files.h"

namespace mie::vision {
namespace {

struct Section {
  std::string type;
  long line = 0;
  std::map<std::string, std::string> kv;
};

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r"), b = s.find_last_not_of(" \t\r");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

std::vector<Section> read_cfg(const std::string& path) {
  std::ifstream in = mie::open_file(path, "the Darknet cfg file");
  std::vector<Section> secs;
  std::string line;
  long no = 0;
  while (std::getline(in, line)) {
    ++no;
    line = trim(line.substr(0, line.find('#')));
    if (line.empty() || line[0] == ';') continue;
    if (line[0] == '[') {
      if (line.back() != ']') throw mie::ParseError(path, no, "unterminated section header '" + line + "'");
      secs.push_back({trim(line.substr(1, line.size() - 2)), no, {}});
      continue;
    }
    size_t eq = line.find('=');
    if (eq == std::string::npos) throw mie::ParseError(path, no, "expected key=value, got '" + line + "'");
    if (secs.empty()) throw mie::ParseError(path, no, "key=value before the first [section]");
    secs.back().kv[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
  }
  if (secs.empty() || secs[0].type != "net") throw mie::ParseError(path, secs.empty() ? 0 : secs[0].line, "the cfg must start with [net]");
  return secs;
}

enum class Kind { Conv, MaxPool, Route, Shortcut, Upsample, Identity, Yolo };

struct Layer {
  Kind kind;
  torch::Tensor w, b;               // conv (bn folded)
  int64_t stride = 1, pad = 0, groups = 1, size = 1;
  bool leaky = false, relu = false;
  std::vector<int> from;            // route/shortcut: absolute layer indices
  std::vector<float> anchors;       // yolo: (w, h) pairs of this layer's mask, in input pixels
  int classes = 0;
};

}  // namespace

struct DarknetNet::Impl {
  std::string cfg, weights;
  int width = 0, height = 0, channels = 3, classes = 0;
  std::vector<Layer> layers;
  std::vector<bool> keep;  // output needed by a later route/shortcut
};

namespace {

class Params {
 public:
  Params(Section& s, const std::string& path) : s_(s), path_(path) {}
  int64_t i(const std::string& k, int64_t dflt) {
    auto it = s_.kv.find(k);
    if (it == s_.kv.end()) return dflt;
    try {
      size_t pos = 0;
      int64_t v = std::stoll(it->second, &pos);
      if (pos != it->second.size()) throw std::invalid_argument("trailing");
      return v;
    } catch (const std::exception&) {
      throw mie::ParseError(path_, s_.line, "[" + s_.type + "] " + k + "=" + it->second + " is not an integer");
    }
  }
  std::string str(const std::string& k, const std::string& dflt) {
    auto it = s_.kv.find(k);
    if (it == s_.kv.end()) return dflt;
    return it->second;
  }
  std::vector<double> list(const std::string& k) {
    std::vector<double> v;
    std::stringstream ss(str(k, ""));
    std::string item;
    while (std::getline(ss, item, ',')) {
      item = trim(item);
      if (item.empty()) continue;
      try {
        v.push_back(std::stod(item));
      } catch (const std::exception&) {
        throw mie::ParseError(path_, s_.line, "[" + s_.type + "] " + k + ": '" + item + "' is not a number");
      }
    }
    return v;
  }
  [[noreturn]] void fail(const std::string& msg) const { throw mie::ParseError(path_, s_.line, "[" + s_.type + "] " + msg); }

 private:
  Section& s_;
  const std::string& path_;
};

// Reads n floats of the weights file or fails naming it.
class Weights {
 public:
  explicit Weights(const std::string& path) : path_(path), in_(mie::open_file(path, "the Darknet weights file")) {
    int32_t ver[3];
    if (!in_.read(reinterpret_cast<char*>(ver), sizeof ver)) fail("shorter than its header");
    const bool seen64 = (ver[0] * 10 + ver[1]) >= 2 && ver[0] < 1000 && ver[1] < 1000;
    char seen[8];
    if (!in_.read(seen, seen64 ? 8 : 4)) fail("shorter than its header");
  }
  torch::Tensor take(int64_t n) {
    torch::Tensor t = torch::empty({n}, torch::kFloat);
    if (!in_.read(reinterpret_cast<char*>(t.data_ptr<float>()), std::streamsize(n) * 4))
      fail("ends before the weights the cfg describes (wrong cfg or truncated file?)");
    return t;
  }
  void expect_end() {
    if (in_.peek() != std::char_traits<char>::eof())
      fail("has more weights than the cfg describes (wrong cfg for these weights?)");
  }

 private:
  [[noreturn]] void fail(const std::string& m) const { throw mie::Error(path_ + ": Darknet weights file " + m); }
  std::string path_;
  std::ifstream in_;
};

torch::Tensor yolo_rows(const torch::Tensor& x, const Layer& l, int64_t in_h, int64_t in_w) {
  const int64_t A = int64_t(l.anchors.size() / 2), C = l.classes, H = x.size(2), W = x.size(3);
  torch::Tensor t = x.reshape({A, 5 + C, H, W}).permute({2, 3, 0, 1}).contiguous();  // H, W, A, 5+C
  torch::Tensor col = torch::arange(W, torch::kFloat).view({1, W, 1});
  torch::Tensor row = torch::arange(H, torch::kFloat).view({H, 1, 1});
  torch::Tensor anc = torch::from_blob(const_cast<float*>(l.anchors.data()), {A, 2}, torch::kFloat);
  torch::Tensor out = torch::empty_like(t);
  out.select(3, 0).copy_((torch::sigmoid(t.select(3, 0)) + col) / double(W));
  out.select(3, 1).copy_((torch::sigmoid(t.select(3, 1)) + row) / double(H));
  out.select(3, 2).copy_(torch::exp(t.select(3, 2)) * anc.select(1, 0).view({1, 1, A}) / double(in_w));
  out.select(3, 3).copy_(torch::exp(t.select(3, 3)) * anc.select(1, 1).view({1, 1, A}) / double(in_h));
  torch::Tensor obj = torch::sigmoid(t.select(3, 4));
  out.select(3, 4).copy_(obj);
  torch::Tensor cls = torch::sigmoid(t.narrow(3, 5, C)) * obj.unsqueeze(3);
  out.narrow(3, 5, C).copy_(cls.masked_fill(cls <= 0.2, 0));
  return out.view({H * W * A, 5 + C});
}

}  // namespace

DarknetNet::DarknetNet(const std::string& cfg_path, const std::string& weights_path) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.cfg = cfg_path;
  m.weights = weights_path;
  std::vector<Section> secs = read_cfg(cfg_path);
  {
    Params net(secs[0], cfg_path);
    m.width = int(net.i("width", 0));
    m.height = int(net.i("height", 0));
    m.channels = int(net.i("channels", 3));
    if (m.width <= 0 || m.height <= 0 || m.channels <= 0) net.fail("width, height and channels must be positive");
  }
  Weights wf(weights_path);
  c10::InferenceMode guard;
  std::vector<int64_t> chans;  // output channels of each layer
  for (size_t li = 1; li < secs.size(); ++li) {
    Section& s = secs[li];
    Params p(s, cfg_path);
    const int idx = int(m.layers.size());
    const int64_t in_c = idx == 0 ? m.channels : chans.back();
    Layer l;
    auto layer_ref = [&](int64_t r) {
      const int64_t a = r < 0 ? idx + r : r;
      if (a < 0 || a >= idx) p.fail("refers to layer " + std::to_string(r) + ", outside 0.." + std::to_string(idx - 1));
      return int(a);
    };
    if (s.type == "convolutional") {
      l.kind = Kind::Conv;
      const int64_t filters = p.i("filters", 1), size = p.i("size", 1);
      l.stride = p.i("stride", 1);
      l.groups = p.i("groups", 1);
      l.pad = p.i("pad", 0) ? size / 2 : p.i("padding", 0);
      const bool bn = p.i("batch_normalize", 0) != 0;
      const std::string act = p.str("activation", "logistic");
      if (act == "leaky") l.leaky = true;
      else if (act == "relu") l.relu = true;
      else if (act != "linear") p.fail("activation=" + act + " is not supported");
      if (filters <= 0 || size <= 0 || l.stride <= 0 || l.groups <= 0 || in_c % l.groups || filters % l.groups)
        p.fail("filters, size, stride and groups must be positive, groups dividing the channels");
      torch::Tensor bias = wf.take(filters);
      torch::Tensor w;
      if (bn) {
        torch::Tensor scale = wf.take(filters), mean = wf.take(filters), var = wf.take(filters);
        w = wf.take(filters * (in_c / l.groups) * size * size).view({filters, in_c / l.groups, size, size});
        torch::Tensor k = scale / (torch::sqrt(var) + 1e-6);  // darknet's normalize_cpu
        l.w = w * k.view({-1, 1, 1, 1});
        l.b = bias - mean * k;
      } else {
        l.w = wf.take(filters * (in_c / l.groups) * size * size).view({filters, in_c / l.groups, size, size});
        l.b = bias;
      }
      l.size = size;
      chans.push_back(filters);
    } else if (s.type == "maxpool") {
      l.kind = Kind::MaxPool;
      l.size = p.i("size", 2);
      l.stride = p.i("stride", l.size);
      l.pad = p.i("padding", l.size - 1);
      if (l.stride != 1 || l.pad != l.size - 1 || l.size % 2 == 0)
        p.fail("only stride-1 maxpools of odd size with default padding are supported");
      l.pad /= 2;
      chans.push_back(in_c);
    } else if (s.type == "route") {
      l.kind = Kind::Route;
      if (p.i("groups", 1) != 1) p.fail("groups is not supported");
      int64_t c = 0;
      for (double r : p.list("layers")) {
        l.from.push_back(layer_ref(int64_t(r)));
        c += chans[l.from.back()];
      }
      if (l.from.empty()) p.fail("layers is empty");
      chans.push_back(c);
    } else if (s.type == "shortcut") {
      l.kind = Kind::Shortcut;
      l.from = {layer_ref(p.i("from", 0))};
      if (p.str("activation", "linear") != "linear") p.fail("only activation=linear is supported");
      if (chans[l.from[0]] != in_c) p.fail("adds layers with different channel counts");
      chans.push_back(in_c);
    } else if (s.type == "upsample") {
      l.kind = Kind::Upsample;
      l.stride = p.i("stride", 2);
      if (l.stride <= 0) p.fail("stride must be positive");
      chans.push_back(in_c);
    } else if (s.type == "dropout") {
      l.kind = Kind::Identity;
      p.str("probability", "");
      chans.push_back(in_c);
    } else if (s.type == "yolo") {
      l.kind = Kind::Yolo;
      l.classes = int(p.i("classes", 20));
      std::vector<double> anchors = p.list("anchors"), mask = p.list("mask");
      const std::vector<double> sxy = p.list("scale_x_y");
      if (!sxy.empty() && sxy[0] != 1.0) p.fail("scale_x_y other than 1 is not supported");
      if (anchors.size() % 2) p.fail("anchors must come in (w, h) pairs");
      for (double k : mask) {
        if (k < 0 || 2 * size_t(k) + 1 >= anchors.size()) p.fail("mask index " + std::to_string(int(k)) + " has no anchor");
        l.anchors.push_back(float(anchors[2 * size_t(k)]));
        l.anchors.push_back(float(anchors[2 * size_t(k) + 1]));
      }
      if (l.anchors.empty()) p.fail("mask is empty");
      if (in_c != int64_t(l.anchors.size() / 2) * (5 + l.classes))
        p.fail("expects " + std::to_string(l.anchors.size() / 2 * (5 + l.classes)) + " input channels, the layer before has " +
               std::to_string(in_c));
      if (m.classes && m.classes != l.classes) p.fail("YOLO layers disagree on the number of classes");
      m.classes = l.classes;
      chans.push_back(in_c);
    } else {
      throw mie::ParseError(cfg_path, s.line, "section [" + s.type + "] is not supported");
    }
    m.layers.push_back(std::move(l));
  }
  wf.expect_end();
  if (!m.classes) throw mie::Error(cfg_path + ": no [yolo] layer");
  m.keep.assign(m.layers.size(), false);
  for (const Layer& l : m.layers)
    for (int f : l.from) m.keep[f] = true;
  for (Layer& l : m.layers)
    if (l.kind == Kind::Conv) l.w = l.w.contiguous(at::MemoryFormat::ChannelsLast);
}

DarknetNet::~DarknetNet() = default;
DarknetNet::DarknetNet(DarknetNet&&) noexcept = default;
DarknetNet& DarknetNet::operator=(DarknetNet&&) noexcept = default;

int DarknetNet::classes() const { return impl_->classes; }
int DarknetNet::input_width() const { return impl_->width; }
int DarknetNet::input_height() const { return impl_->height; }

torch::Tensor DarknetNet::forward(const torch::Tensor& input) const {
  const Impl& m = *impl_;
  if (input.dim() != 4 || input.size(0) != 1 || input.size(1) != m.channels)
    throw mie::Error(m.weights + ": Darknet input must be [1, " + std::to_string(m.channels) + ", H, W]");
  c10::InferenceMode guard;
  std::vector<torch::Tensor> kept(m.layers.size());
  std::vector<torch::Tensor> rows;
  torch::Tensor x = input.to(torch::kFloat).contiguous(at::MemoryFormat::ChannelsLast);
  const int64_t in_h = input.size(2), in_w = input.size(3);
  try {
    for (size_t i = 0; i < m.layers.size(); ++i) {
      const Layer& l = m.layers[i];
      switch (l.kind) {
        case Kind::Conv:
          x = conv2d(x, l.w, l.b, l.stride, l.pad, 1, l.groups);
          if (l.leaky) x = at::leaky_relu_(x, 0.1);
          if (l.relu) x = at::relu_(x);
          break;
        case Kind::MaxPool: x = at::max_pool2d(x, l.size, 1, l.pad); break;
        case Kind::Route: {
          std::vector<torch::Tensor> parts;
          for (int f : l.from) parts.push_back(kept[f]);
          x = parts.size() == 1 ? parts[0] : at::cat(parts, 1);
          break;
        }
        case Kind::Shortcut: x = at::add(x, kept[l.from[0]]); break;
        case Kind::Upsample: x = at::upsample_nearest2d(x, {x.size(2) * l.stride, x.size(3) * l.stride}); break;
        case Kind::Identity: break;
        case Kind::Yolo: rows.push_back(yolo_rows(x, l, in_h, in_w)); break;
      }
      if (m.keep[i]) kept[i] = x;
    }
  } catch (const c10::Error& e) {
    throw mie::Error(m.weights + ": Darknet forward failed on a " + std::to_string(in_h) + "x" + std::to_string(in_w) +
                     " input: " + e.what_without_backtrace());
  }
  return at::cat(rows, 0);
}

}  // namespace mie::vision
