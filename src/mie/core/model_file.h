// mie/core/model_file.h — one self-describing, versioned binary model file with named sections.
//
//   mie::ModelFile mf;
//   mie::ModelSection& s = mf.add_section("ner");
//   s.header = {{"arch", "bilstm-crf"}, {"labels", {"O", "B-PER"}}};
//   s.add_tensor("crf.trans", {2, 2}, {0.f, 1.f, 2.f, 3.f});
//   mf.save("models/gmner.mie");
//   mie::ModelFile back = mie::ModelFile::load("models/gmner.mie");
//   const mie::TensorData& t = back.section("ner").tensor("crf.trans");   // throws if missing
//
// Layout (little-endian):
//   "MIE1" | u32 format version | u64 header length | header JSON (UTF-8)
//   | tensor payload (f32, in header order) | u64 total file length | u64 FNV-1a-64 of all
//   preceding bytes | "1EIM"
// The header JSON holds the file-level `meta` object ("stages": section names in pipeline
// order, as stage_order() gives it, plus anything a trainer adds: data hash, command line) and, per section, its own JSON
// header and tensor index (name, dtype "f32", shape, offset, count). Loading a different format
// version, a truncated or corrupted file or a non-mie file throws mie::Error naming the file.
// Torch is deliberately absent: stages convert TensorData to torch tensors themselves.
// Thread safety: plain values; a const ModelFile may be read from many threads.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mie {

inline constexpr uint32_t kModelFormatVersion = 1;

struct TensorData {
  std::string name;
  std::vector<int64_t> shape;
  std::vector<float> data;  // row-major; data.size() == product(shape)
  int64_t numel() const;
};

struct ModelSection {
  std::string name;
  nlohmann::json header = nlohmann::json::object();  // architecture, hyper-parameters, labels...
  std::vector<TensorData> tensors;

  // Throws mie::Error when shape and data size disagree or the name is taken.
  TensorData& add_tensor(const std::string& tensor_name, std::vector<int64_t> shape, std::vector<float> data);
  const TensorData* find_tensor(const std::string& tensor_name) const;
  const TensorData& tensor(const std::string& tensor_name) const;  // throws mie::Error
};

class ModelFile {
 public:
  nlohmann::json meta = nlohmann::json::object();  // file-level information

  ModelSection& add_section(const std::string& name);  // throws if it exists
  // Replaces or appends a section (for adding a stage to an existing model file).
  ModelSection& set_section(ModelSection s);
  const ModelSection* find_section(const std::string& name) const;
  const ModelSection& section(const std::string& name) const;  // throws mie::Error naming the file
  const std::vector<ModelSection>& sections() const { return sections_; }
  std::vector<std::string> section_names() const;
  // The order the stages run in: meta "stages" (names of sections that exist, first mention
  // kept), then the sections it does not name, in file order. save() writes it as meta "stages".
  std::vector<std::string> stage_order() const;
  const std::string& path() const { return path_; }  // file it was loaded from, "" if built

  // Writes atomically (temp file + rename). Throws mie::Error on I/O failure.
  void save(const std::string& path) const;
  static ModelFile load(const std::string& path);
  // Serialise/parse in memory; `name` is used in error messages.
  std::string to_bytes() const;
  static ModelFile from_bytes(const std::string& bytes, const std::string& name);

 private:
  std::vector<ModelSection> sections_;
  std::string path_;
};

// FNV-1a 64-bit hash of bytes (used for the trailer checksum and training-data hashes).
uint64_t fnv1a64(const void* data, size_t n, uint64_t seed = 1469598103934665603ULL);
// Hash of a file's contents as 16 hex digits; throws mie::Error if unreadable.
std::string file_hash(const std::string& path);

}  // namespace mie
