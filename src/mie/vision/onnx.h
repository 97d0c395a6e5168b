// mie/vision/onnx.h — a minimal ONNX model reader: the graph's nodes, attributes, initializers,
// inputs and outputs, decoded straight from the protobuf wire format (no protobuf dependency).
//
//   mie::vision::OnnxModel m = mie::vision::read_onnx("ppocr-det/en_PP-OCRv3_det_cv46.onnx");
//   for (const auto& n : m.nodes) std::cout << n.op << " " << n.outputs[0] << "\n";
//   const mie::vision::OnnxTensor& w = m.initializers.at(m.nodes[0].inputs[1]);
//
// Only what an inference graph needs is kept: float and integer tensors (raw_data or the typed
// fields), attributes of kind float, int, string, tensor, floats and ints. Anything malformed
// (a truncated field, a length past the end, a tensor whose data does not match its dims) throws
// mie::Error naming the file and the byte offset. Tensors in external files are refused.
// Thread safety: read_onnx is reentrant; an OnnxModel is a plain value.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mie::vision {

struct OnnxTensor {
  std::string name;
  std::vector<int64_t> dims;
  int data_type = 0;            // ONNX TensorProto.DataType: 1 float, 6 int32, 7 int64, ...
  std::vector<float> floats;    // data_type 1
  std::vector<int64_t> ints;    // integer types
  int64_t numel() const;
};

struct OnnxAttr {
  std::string name;
  float f = 0;
  int64_t i = 0;
  std::string s;
  std::vector<float> floats;
  std::vector<int64_t> ints;
  std::vector<OnnxTensor> t;    // empty or one tensor
};

struct OnnxNode {
  std::string name, op;
  std::vector<std::string> inputs, outputs;
  std::vector<OnnxAttr> attrs;
  const OnnxAttr* attr(const std::string& name) const;  // null when absent
  int64_t attr_i(const std::string& name, int64_t dflt) const;
  float attr_f(const std::string& name, float dflt) const;
  std::vector<int64_t> attr_ints(const std::string& name) const;  // empty when absent
  std::string attr_s(const std::string& name, const std::string& dflt = "") const;
};

struct OnnxModel {
  int64_t opset = 0;                               // of the default domain
  std::vector<OnnxNode> nodes;                     // in the file's (topological) order
  std::map<std::string, OnnxTensor> initializers;
  std::vector<std::string> inputs;                 // graph inputs that are not initializers
  std::vector<std::string> outputs;
};

OnnxModel read_onnx(const std::string& path);
// The same from bytes already in memory; `what` names the source in errors.
OnnxModel parse_onnx(const std::string& bytes, const std::string& what);

}  // namespace mie::vision
