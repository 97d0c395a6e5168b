#include "mie/core/model_file.h"

#include <cstdio>
#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

#include "mie/core/files.h"
#include "mie/core/error.h"

namespace mie {

namespace {
constexpr char kMagic[4] = {'M', 'I', 'E', '1'};
constexpr char kEndMagic[4] = {'1', 'E', 'I', 'M'};
constexpr size_t kPrefix = 4 + 4 + 8;
constexpr size_t kTrailer = 8 + 8 + 4;

template <class T>
void put(std::string& out, T v) {
  char buf[sizeof(T)];
  std::memcpy(buf, &v, sizeof(T));  // little-endian hosts only (x86-64, aarch64)
  out.append(buf, sizeof(T));
}
template <class T>
T get(const std::string& in, size_t pos) {
  T v;
  std::memcpy(&v, in.data() + pos, sizeof(T));
  return v;
}
int64_t product(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) throw Error("negative tensor dimension");
    n *= d;
  }
  return n;
}
}  // namespace

uint64_t fnv1a64(const void* data, size_t n, uint64_t h) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 1099511628211ULL;
  }
  return h;
}

std::string file_hash(const std::string& path) {
  std::ifstream in = mie::open_file(path, "file for hashing");
  uint64_t h = 1469598103934665603ULL;
  std::vector<char> buf(1 << 16);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    h = fnv1a64(buf.data(), static_cast<size_t>(in.gcount()), h);
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

int64_t TensorData::numel() const { return product(shape); }

TensorData& ModelSection::add_tensor(const std::string& tensor_name, std::vector<int64_t> shape,
                                     std::vector<float> data) {
  if (find_tensor(tensor_name)) throw Error("model section '" + name + "': duplicate tensor '" + tensor_name + "'");
  if (product(shape) != static_cast<int64_t>(data.size()))
    throw Error("model section '" + name + "': tensor '" + tensor_name + "' has " +
                std::to_string(data.size()) + " values, shape needs " + std::to_string(product(shape)));
  tensors.push_back({tensor_name, std::move(shape), std::move(data)});
  return tensors.back();
}

const TensorData* ModelSection::find_tensor(const std::string& tensor_name) const {
  for (const auto& t : tensors)
    if (t.name == tensor_name) return &t;
  return nullptr;
}

const TensorData& ModelSection::tensor(const std::string& tensor_name) const {
  if (const auto* t = find_tensor(tensor_name)) return *t;
  throw Error("model section '" + name + "' has no tensor '" + tensor_name + "'");
}

ModelSection& ModelFile::add_section(const std::string& name) {
  if (find_section(name)) throw Error("model file already has a section '" + name + "'");
  sections_.push_back({});
  sections_.back().name = name;
  return sections_.back();
}

ModelSection& ModelFile::set_section(ModelSection s) {
  for (auto& old : sections_)
    if (old.name == s.name) return old = std::move(s);
  sections_.push_back(std::move(s));
  return sections_.back();
}

const ModelSection* ModelFile::find_section(const std::string& name) const {
  for (const auto& s : sections_)
    if (s.name == name) return &s;
  return nullptr;
}

const ModelSection& ModelFile::section(const std::string& name) const {
  if (const auto* s = find_section(name)) return *s;
  std::string have;
  for (const auto& s : sections_) have += (have.empty() ? "" : ", ") + s.name;
  throw Error((path_.empty() ? std::string("model") : path_) + ": no '" + name +
              "' section (sections: " + (have.empty() ? "none" : have) + ")");
}

std::vector<std::string> ModelFile::section_names() const {
  std::vector<std::string> names;
  for (const auto& s : sections_) names.push_back(s.name);
  return names;
}

std::vector<std::string> ModelFile::stage_order() const {
  std::vector<std::string> order;
  if (meta.contains("stages") && meta["stages"].is_array())
    for (const auto& n : meta["stages"])
      if (n.is_string() && find_section(n.get<std::string>()) &&
          std::find(order.begin(), order.end(), n.get<std::string>()) == order.end())
        order.push_back(n.get<std::string>());
  for (const auto& s : sections_)
    if (std::find(order.begin(), order.end(), s.name) == order.end()) order.push_back(s.name);
  return order;
}

std::string ModelFile::to_bytes() const {
  nlohmann::json h;
  h["format"] = "mie-model";
  h["version"] = kModelFormatVersion;
  h["meta"] = meta;
  h["meta"]["stages"] = stage_order();
  h["sections"] = nlohmann::json::array();
  int64_t offset = 0;
  for (const auto& s : sections_) {
    nlohmann::json js{{"name", s.name}, {"header", s.header}, {"tensors", nlohmann::json::array()}};
    for (const auto& t : s.tensors) {
      js["tensors"].push_back({{"name", t.name}, {"dtype", "f32"}, {"shape", t.shape}, {"offset", offset},
                               {"count", static_cast<int64_t>(t.data.size())}});
      offset += static_cast<int64_t>(t.data.size());
    }
    h["sections"].push_back(std::move(js));
  }
  std::string header = h.dump();
  std::string out;
  out.reserve(kPrefix + header.size() + static_cast<size_t>(offset) * 4 + kTrailer);
  out.append(kMagic, 4);
  put<uint32_t>(out, kModelFormatVersion);
  put<uint64_t>(out, header.size());
  out += header;
  for (const auto& s : sections_)
    for (const auto& t : s.tensors) out.append(reinterpret_cast<const char*>(t.data.data()), t.data.size() * 4);
  put<uint64_t>(out, out.size() + kTrailer);
  put<uint64_t>(out, fnv1a64(out.data(), out.size()));
  out.append(kEndMagic, 4);
  return out;
}

ModelFile ModelFile::from_bytes(const std::string& b, const std::string& name) {
  auto fail = [&](const std::string& msg) { return Error(name + ": " + msg); };
  if (b.size() < 4 || std::memcmp(b.data(), kMagic, 4) != 0)
    throw fail("not a mie model file (missing \"MIE1\" magic)");
  if (b.size() < kPrefix) throw fail("truncated model file (" + std::to_string(b.size()) + " bytes)");
  uint32_t version = get<uint32_t>(b, 4);
  if (version != kModelFormatVersion)
    throw fail("model file format version " + std::to_string(version) + ", this mie reads version " +
               std::to_string(kModelFormatVersion) + "; retrain or convert the model");
  if (b.size() < kPrefix + kTrailer || std::memcmp(b.data() + b.size() - 4, kEndMagic, 4) != 0)
    throw fail("truncated model file (" + std::to_string(b.size()) + " bytes, no end marker)");
  uint64_t total = get<uint64_t>(b, b.size() - kTrailer);
  if (total != b.size())
    throw fail("truncated or padded model file: " + std::to_string(b.size()) + " bytes, expected " +
               std::to_string(total));
  uint64_t sum = get<uint64_t>(b, b.size() - 12);
  if (sum != fnv1a64(b.data(), b.size() - 12)) throw fail("model file checksum mismatch (corrupted file)");
  uint64_t hlen = get<uint64_t>(b, 8);
  if (hlen > b.size() - kPrefix - kTrailer) throw fail("corrupted model header length");
  nlohmann::json h;
  try {
    h = nlohmann::json::parse(b.begin() + kPrefix, b.begin() + static_cast<std::ptrdiff_t>(kPrefix + hlen));
  } catch (const nlohmann::json::exception& e) {
    throw fail(std::string("corrupted model header: ") + e.what());
  }
  if (h.value("format", "") != "mie-model") throw fail("not a mie model file (header format field)");
  const size_t data_begin = kPrefix + hlen;
  const size_t data_floats = (b.size() - kTrailer - data_begin) / 4;
  ModelFile mf;
  mf.path_ = name;
  try {
    mf.meta = h.value("meta", nlohmann::json::object());
    for (const auto& js : h.at("sections")) {
      ModelSection s;
      s.name = js.at("name").get<std::string>();
      s.header = js.at("header");
      for (const auto& jt : js.at("tensors")) {
        if (jt.at("dtype").get<std::string>() != "f32")
          throw fail("tensor dtype " + jt.at("dtype").dump() + " is not supported");
        auto shape = jt.at("shape").get<std::vector<int64_t>>();
        auto off = jt.at("offset").get<uint64_t>();
        auto count = jt.at("count").get<uint64_t>();
        if (off + count > data_floats || static_cast<int64_t>(count) != product(shape))
          throw fail("tensor '" + jt.at("name").get<std::string>() + "' lies outside the data");
        std::vector<float> data(count);
        std::memcpy(data.data(), b.data() + data_begin + off * 4, count * 4);
        s.tensors.push_back({jt.at("name").get<std::string>(), std::move(shape), std::move(data)});
      }
      if (mf.find_section(s.name)) throw fail("duplicate section '" + s.name + "'");
      mf.sections_.push_back(std::move(s));
    }
  } catch (const nlohmann::json::exception& e) {
    throw fail(std::string("malformed model header: ") + e.what());
  }
  return mf;
}

void ModelFile::save(const std::string& path) const {
  std::string bytes = to_bytes();
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(path + ": cannot write model file");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw Error(path + ": write failed");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) throw Error(path + ": cannot rename " + tmp);
}

ModelFile ModelFile::load(const std::string& path) {
  std::ifstream in = mie::open_file(path, "model file");
  std::string bytes;  // read in one piece (a stringstream would copy it twice more)
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) throw Error(path + ": cannot read model file");
  bytes.resize(static_cast<size_t>(size));
  in.seekg(0);
  if (!in.read(bytes.data(), size)) throw Error(path + ": cannot read model file");
  return from_bytes(bytes, path);
}

}  // namespace mie
