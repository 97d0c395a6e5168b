#include "mie/vision/onnx.h"

#include <cstring>
#include <fstream>
#include <iterator>
#include <set>

#include "mie/core/error.h"
#include "mie/core/files.h"

namespace mie::vision {
namespace {

// One protobuf message's bytes [p, end) with the reader's position; errors name the file and offset.
class Wire {
 public:
  Wire(const std::string& what, const char* base, size_t begin, size_t end) : what_(what), base_(base), p_(begin), end_(end) {}
  bool done() const { return p_ >= end_; }
  [[noreturn]] void fail(const std::string& msg) const {
    throw mie::Error(what_ + ": malformed ONNX file at byte " + std::to_string(p_) + ": " + msg);
  }
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ >= end_) fail("truncated varint");
      uint8_t b = uint8_t(base_[p_++]);
      v |= uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    fail("varint longer than 10 bytes");
  }
  // Reads a key; returns false at the end of the message.
  bool key(int& field, int& wire) {
    if (done()) return false;
    uint64_t k = varint();
    field = int(k >> 3);
    wire = int(k & 7);
    return true;
  }
  // A length-delimited field as a sub-reader.
  Wire sub() {
    uint64_t n = varint();
    if (n > end_ - p_) fail("length " + std::to_string(n) + " runs past the end of its message");
    Wire w(what_, base_, p_, p_ + n);
    p_ += n;
    return w;
  }
  std::string bytes() {
    Wire w = sub();
    return std::string(base_ + w.p_, w.end_ - w.p_);
  }
  uint32_t fixed32() {
    if (end_ - p_ < 4) fail("truncated fixed32");
    uint32_t v;
    std::memcpy(&v, base_ + p_, 4);
    p_ += 4;
    return v;
  }
  float f32() {
    uint32_t u = fixed32();
    float f;
    std::memcpy(&f, &u, 4);
    return f;
  }
  void skip(int wire) {
    switch (wire) {
      case 0: varint(); break;
      case 1: if (end_ - p_ < 8) fail("truncated fixed64"); p_ += 8; break;
      case 2: sub(); break;
      case 5: fixed32(); break;
      default: fail("unsupported wire type " + std::to_string(wire));
    }
  }
  // Repeated scalars, packed (wire 2) or one per key.
  void ints(int wire, std::vector<int64_t>& out) {
    if (wire == 0) { out.push_back(int64_t(varint())); return; }
    if (wire != 2) fail("repeated integer field with wire type " + std::to_string(wire));
    Wire w = sub();
    while (!w.done()) out.push_back(int64_t(w.varint()));
  }
  void floats(int wire, std::vector<float>& out) {
    if (wire == 5) { out.push_back(f32()); return; }
    if (wire != 2) fail("repeated float field with wire type " + std::to_string(wire));
    Wire w = sub();
    while (!w.done()) out.push_back(w.f32());
  }
  const std::string& what() const { return what_; }

 private:
  const std::string& what_;
  const char* base_;
  size_t p_, end_;
};

void expect_wire(Wire& w, int wire, int want, const char* field) {
  if (wire != want) w.fail(std::string("field ") + field + " has wire type " + std::to_string(wire));
}

OnnxTensor read_tensor(Wire w) {
  OnnxTensor t;
  std::string raw;
  std::vector<int64_t> int32s;
  int f, wire;
  bool external = false;
  while (w.key(f, wire)) {
    switch (f) {
      case 1: w.ints(wire, t.dims); break;
      case 2: expect_wire(w, wire, 0, "data_type"); t.data_type = int(w.varint()); break;
      case 4: w.floats(wire, t.floats); break;
      case 5: w.ints(wire, int32s); break;
      case 7: w.ints(wire, t.ints); break;
      case 8: expect_wire(w, wire, 2, "name"); t.name = w.bytes(); break;
      case 9: expect_wire(w, wire, 2, "raw_data"); raw = w.bytes(); break;
      case 13: external = true; w.skip(wire); break;
      case 14: if (wire == 0 && w.varint() == 1) external = true; break;  // data_location EXTERNAL
      default: w.skip(wire);
    }
  }
  if (external) w.fail("tensor '" + t.name + "' keeps its data in an external file (not supported)");
  for (int64_t v : int32s) t.ints.push_back(int32_t(v));
  const int64_t n = t.numel();
  if (!raw.empty()) {
    auto need = [&](size_t bytes_per) {
      if (raw.size() != size_t(n) * bytes_per)
        w.fail("tensor '" + t.name + "' has " + std::to_string(raw.size()) + " bytes of data for " + std::to_string(n) +
               " values");
    };
    switch (t.data_type) {
      case 1: need(4); t.floats.resize(n); std::memcpy(t.floats.data(), raw.data(), raw.size()); break;
      case 7: need(8); t.ints.resize(n); std::memcpy(t.ints.data(), raw.data(), raw.size()); break;
      case 6: {
        need(4);
        std::vector<int32_t> v(n);
        std::memcpy(v.data(), raw.data(), raw.size());
        t.ints.assign(v.begin(), v.end());
        break;
      }
      case 9: case 2: case 3: need(1); for (char c : raw) t.ints.push_back(t.data_type == 3 ? int8_t(c) : uint8_t(c)); break;
      default: w.fail("tensor '" + t.name + "' has unsupported data type " + std::to_string(t.data_type));
    }
  }
  const size_t have = t.data_type == 1 ? t.floats.size() : t.ints.size();
  if (int64_t(have) != n)
    w.fail("tensor '" + t.name + "' has " + std::to_string(have) + " values, its dims say " + std::to_string(n));
  return t;
}

OnnxAttr read_attr(Wire w) {
  OnnxAttr a;
  int f, wire;
  while (w.key(f, wire)) {
    switch (f) {
      case 1: expect_wire(w, wire, 2, "attribute name"); a.name = w.bytes(); break;
      case 2: expect_wire(w, wire, 5, "attribute f"); a.f = w.f32(); break;
      case 3: expect_wire(w, wire, 0, "attribute i"); a.i = int64_t(w.varint()); break;
      case 4: expect_wire(w, wire, 2, "attribute s"); a.s = w.bytes(); break;
      case 5: expect_wire(w, wire, 2, "attribute t"); a.t.push_back(read_tensor(w.sub())); break;
      case 7: w.floats(wire, a.floats); break;
      case 8: w.ints(wire, a.ints); break;
      default: w.skip(wire);
    }
  }
  return a;
}

OnnxNode read_node(Wire w) {
  OnnxNode n;
  std::string domain;
  int f, wire;
  while (w.key(f, wire)) {
    switch (f) {
      case 1: expect_wire(w, wire, 2, "node input"); n.inputs.push_back(w.bytes()); break;
      case 2: expect_wire(w, wire, 2, "node output"); n.outputs.push_back(w.bytes()); break;
      case 3: expect_wire(w, wire, 2, "node name"); n.name = w.bytes(); break;
      case 4: expect_wire(w, wire, 2, "op_type"); n.op = w.bytes(); break;
      case 5: expect_wire(w, wire, 2, "attribute"); n.attrs.push_back(read_attr(w.sub())); break;
      case 7: expect_wire(w, wire, 2, "domain"); domain = w.bytes(); break;
      default: w.skip(wire);
    }
  }
  if (!domain.empty() && domain != "ai.onnx") w.fail("node '" + n.name + "' is in operator domain '" + domain + "'");
  if (n.op.empty()) w.fail("node '" + n.name + "' has no op_type");
  return n;
}

// ValueInfoProto: only the name.
std::string read_value_name(Wire w) {
  std::string name;
  int f, wire;
  while (w.key(f, wire)) {
    if (f == 1 && wire == 2) name = w.bytes();
    else w.skip(wire);
  }
  return name;
}

void read_graph(Wire w, OnnxModel& m) {
  std::vector<std::string> inputs;
  int f, wire;
  while (w.key(f, wire)) {
    switch (f) {
      case 1: expect_wire(w, wire, 2, "node"); m.nodes.push_back(read_node(w.sub())); break;
      case 5: {
        expect_wire(w, wire, 2, "initializer");
        OnnxTensor t = read_tensor(w.sub());
        std::string name = t.name;
        m.initializers[name] = std::move(t);
        break;
      }
      case 11: expect_wire(w, wire, 2, "input"); inputs.push_back(read_value_name(w.sub())); break;
      case 12: expect_wire(w, wire, 2, "output"); m.outputs.push_back(read_value_name(w.sub())); break;
      default: w.skip(wire);
    }
  }
  for (auto& i : inputs)
    if (!m.initializers.count(i)) m.inputs.push_back(i);
}

}  // namespace

int64_t OnnxTensor::numel() const {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

const OnnxAttr* OnnxNode::attr(const std::string& n) const {
  for (const auto& a : attrs)
    if (a.name == n) return &a;
  return nullptr;
}
int64_t OnnxNode::attr_i(const std::string& n, int64_t dflt) const {
  const OnnxAttr* a = attr(n);
  return a ? a->i : dflt;
}
float OnnxNode::attr_f(const std::string& n, float dflt) const {
  const OnnxAttr* a = attr(n);
  return a ? a->f : dflt;
}
std::vector<int64_t> OnnxNode::attr_ints(const std::string& n) const {
  const OnnxAttr* a = attr(n);
  return a ? a->ints : std::vector<int64_t>{};
}
std::string OnnxNode::attr_s(const std::string& n, const std::string& dflt) const {
  const OnnxAttr* a = attr(n);
  return a ? a->s : dflt;
}

OnnxModel parse_onnx(const std::string& bytes, const std::string& what) {
  OnnxModel m;
  Wire w(what, bytes.data(), 0, bytes.size());
  bool graph = false;
  int f, wire;
  while (w.key(f, wire)) {
    if (f == 7 && wire == 2) {
      read_graph(w.sub(), m);
      graph = true;
    } else if (f == 8 && wire == 2) {  // OperatorSetIdProto {1: domain, 2: version}
      Wire o = w.sub();
      std::string domain;
      int64_t version = 0;
      int g, gw;
      while (o.key(g, gw)) {
        if (g == 1 && gw == 2) domain = o.bytes();
        else if (g == 2 && gw == 0) version = int64_t(o.varint());
        else o.skip(gw);
      }
      if (domain.empty() || domain == "ai.onnx") m.opset = version;
    } else {
      w.skip(wire);
    }
  }
  if (!graph || m.nodes.empty()) throw mie::Error(what + ": not an ONNX model (no graph with nodes)");
  if (m.outputs.empty()) throw mie::Error(what + ": ONNX graph declares no outputs");
  return m;
}

OnnxModel read_onnx(const std::string& path) {
  std::ifstream in = mie::open_file(path, "the ONNX model");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse_onnx(bytes, path);
}

}  // namespace mie::vision
