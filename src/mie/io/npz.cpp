#include "mie/io/npz.h"

#include <zip.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <numeric>

#include "mie/core/error.h"
#include "mie/io/pyliteral.h"

namespace mie::io {
namespace {

struct Dtype {
  char kind = 0;  // b i u f U S
  size_t item = 0;
};

Dtype parse_dtype(const std::string& d, const std::string& name) {
  if (d.size() >= 2 && d[1] == 'O')
    throw Error(name + ": object arrays (dtype '" + d + "') hold pickled Python objects and are not supported");
  if (d.size() < 3) throw Error(name + ": unsupported dtype '" + d + "'");
  const char order = d[0], kind = d[1];
  if (kind == 'O') throw Error(name + ": object arrays (dtype '" + d + "') hold pickled Python objects and are not supported");
  if (order == '>') throw Error(name + ": big-endian dtype '" + d + "' is not supported");
  if (order != '<' && order != '|' && order != '=') throw Error(name + ": unsupported dtype '" + d + "'");
  size_t n = 0;
  for (size_t i = 2; i < d.size(); ++i) {
    if (d[i] < '0' || d[i] > '9' || n > 100000000) throw Error(name + ": unsupported dtype '" + d + "'");
    n = n * 10 + (d[i] - '0');
  }
  Dtype t{kind, n};
  switch (kind) {
    case 'b': if (n == 1) return t; break;
    case 'i': case 'u': if (n == 1 || n == 2 || n == 4 || n == 8) return t; break;
    case 'f': if (n == 2 || n == 4 || n == 8) return t; break;
    case 'U': if (n > 0) return t.item = 4 * n, t; break;
    case 'S': if (n > 0) return t; break;
  }
  throw Error(name + ": unsupported dtype '" + d + "'");
}

template <class T>
T load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

float half_to_float(uint16_t h) {
  const uint32_t sign = (h & 0x8000u) << 16, exp = (h >> 10) & 0x1F, mant = h & 0x3FF;
  uint32_t bits;
  if (exp == 0) {
    if (mant == 0) bits = sign;
    else {
      float f = std::ldexp(static_cast<float>(mant), -24);
      return sign ? -f : f;
    }
  } else if (exp == 31) bits = sign | 0x7F800000u | (mant << 13);
  else bits = sign | ((exp + 112) << 23) | (mant << 13);
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) out += static_cast<char>(cp);
  else if (cp < 0x800) out += static_cast<char>(0xC0 | (cp >> 6)), out += static_cast<char>(0x80 | (cp & 0x3F));
  else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

int64_t NpyArray::size() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::vector<float> NpyArray::as_float() const {
  const Dtype t = parse_dtype(dtype, "array");
  if (t.kind == 'U' || t.kind == 'S') throw Error("as_float: dtype '" + dtype + "' holds strings");
  const int64_t n = size();
  if (static_cast<size_t>(n) * t.item > data.size()) throw Error("as_float: data shorter than the shape needs");
  std::vector<float> out(n);
  const uint8_t* p = data.data();
  for (int64_t i = 0; i < n; ++i, p += t.item) {
    float v = 0;
    switch (t.kind) {
      case 'b': v = *p ? 1.f : 0.f; break;
      case 'f': v = t.item == 4 ? load<float>(p) : t.item == 8 ? static_cast<float>(load<double>(p)) : half_to_float(load<uint16_t>(p)); break;
      case 'i':
        v = t.item == 1 ? static_cast<float>(load<int8_t>(p)) : t.item == 2 ? static_cast<float>(load<int16_t>(p))
          : t.item == 4 ? static_cast<float>(load<int32_t>(p)) : static_cast<float>(load<int64_t>(p));
        break;
      case 'u':
        v = t.item == 1 ? static_cast<float>(*p) : t.item == 2 ? static_cast<float>(load<uint16_t>(p))
          : t.item == 4 ? static_cast<float>(load<uint32_t>(p)) : static_cast<float>(load<uint64_t>(p));
        break;
    }
    out[i] = v;
  }
  return out;
}

std::vector<std::string> NpyArray::as_strings() const {
  const Dtype t = parse_dtype(dtype, "array");
  if (t.kind != 'U' && t.kind != 'S') throw Error("as_strings: dtype '" + dtype + "' is not a string type");
  const int64_t n = size();
  if (static_cast<size_t>(n) * t.item > data.size()) throw Error("as_strings: data shorter than the shape needs");
  std::vector<std::string> out;
  out.reserve(n);
  for (int64_t i = 0; i < n; ++i) {
    const uint8_t* p = data.data() + i * t.item;
    std::string s;
    if (t.kind == 'S') {
      s.assign(reinterpret_cast<const char*>(p), t.item);
      s.erase(std::find(s.begin(), s.end(), '\0'), s.end());
    } else {
      for (size_t k = 0; k < t.item / 4; ++k) {
        uint32_t cp = load<uint32_t>(p + 4 * k);
        if (cp == 0) break;
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) throw Error("as_strings: invalid code point in '<U' data");
        append_utf8(s, cp);
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

NpyArray parse_npy(const std::vector<uint8_t>& b, const std::string& name) {
  static const uint8_t magic[] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  if (b.size() < 10 || std::memcmp(b.data(), magic, 6) != 0) throw Error(name + ": not a .npy array (bad magic)");
  const int major = b[6];
  size_t hlen, hstart;
  if (major == 1) hlen = b[8] | (b[9] << 8), hstart = 10;
  else if (major == 2 || major == 3) {
    if (b.size() < 12) throw Error(name + ": truncated .npy header");
    hlen = b[8] | (b[9] << 8) | (b[10] << 16) | (static_cast<size_t>(b[11]) << 24), hstart = 12;
  } else throw Error(name + ": unsupported .npy format version " + std::to_string(major));
  if (hstart + hlen > b.size()) throw Error(name + ": truncated .npy header");
  std::string header(reinterpret_cast<const char*>(b.data() + hstart), hlen);
  if (major < 3 && std::any_of(header.begin(), header.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
    throw Error(name + ": non-ASCII .npy header in format version " + std::to_string(major));
  nlohmann::json h;
  try {
    h = parse_py_literal(header);
  } catch (const Error& e) {
    throw Error(name + ": bad .npy header: " + e.what());
  }
  if (!h.is_object() || !h.contains("descr") || !h.contains("fortran_order") || !h.contains("shape"))
    throw Error(name + ": .npy header lacks descr, fortran_order or shape");
  if (!h["descr"].is_string()) throw Error(name + ": structured dtypes are not supported");
  NpyArray a;
  a.dtype = h["descr"].get<std::string>();
  const Dtype t = parse_dtype(a.dtype, name);
  nlohmann::json shape = h["shape"];
  if (shape.is_number_integer()) shape = nlohmann::json::array({shape});
  if (!shape.is_array()) throw Error(name + ": .npy shape must be a tuple");
  size_t count = 1;
  for (const auto& d : shape) {
    if (!d.is_number_integer() || d.get<int64_t>() < 0) throw Error(name + ": bad .npy shape " + shape.dump());
    const auto v = static_cast<size_t>(d.get<int64_t>());
    if (v && count > (size_t{1} << 40) / v) throw Error(name + ": .npy shape too large " + shape.dump());
    count *= v;
    a.shape.push_back(d.get<int64_t>());
  }
  if (!h["fortran_order"].is_boolean()) throw Error(name + ": fortran_order must be True or False");
  if (h["fortran_order"].get<bool>() && a.shape.size() > 1)
    throw Error(name + ": Fortran-order arrays are not supported");
  const size_t need = count * t.item, have = b.size() - hstart - hlen;
  if (have < need)
    throw Error(name + ": truncated .npy data: shape " + shape.dump() + " needs " + std::to_string(need) +
                " bytes, file has " + std::to_string(have));
  a.data.assign(b.begin() + hstart + hlen, b.begin() + hstart + hlen + need);
  return a;
}

std::map<std::string, NpyArray> read_npz(const std::string& path) {
  int err = 0;
  std::unique_ptr<zip_t, decltype(&zip_discard)> z(zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &err), &zip_discard);
  if (!z) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, err);
    std::string msg = zip_error_strerror(&ze);
    zip_error_fini(&ze);
    throw Error(path + ": cannot open as .npz (zip): " + msg);
  }
  std::map<std::string, NpyArray> out;
  const zip_int64_t n = zip_get_num_entries(z.get(), 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    if (zip_stat_index(z.get(), i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME) || !(st.valid & ZIP_STAT_SIZE))
      throw Error(path + ": cannot stat zip member " + std::to_string(i));
    std::string member = st.name;
    if (st.size > (zip_uint64_t{1} << 34)) throw Error(path + ": member " + member + " is too large");
    std::unique_ptr<zip_file_t, decltype(&zip_fclose)> f(zip_fopen_index(z.get(), i, 0), &zip_fclose);
    if (!f) throw Error(path + ": cannot read member " + member + ": " + zip_strerror(z.get()));
    std::vector<uint8_t> bytes(st.size);
    zip_int64_t got = st.size ? zip_fread(f.get(), bytes.data(), st.size) : 0;
    if (got < 0) throw Error(path + ": corrupt member " + member + ": " + zip_file_strerror(f.get()));
    if (static_cast<zip_uint64_t>(got) != st.size)
      throw Error(path + ": truncated member " + member + " (" + std::to_string(got) + " of " + std::to_string(st.size) + " bytes)");
    char probe;
    if (zip_fread(f.get(), &probe, 1) < 0)  // forces the CRC check at end of member
      throw Error(path + ": corrupt member " + member + ": " + zip_file_strerror(f.get()));
    std::string key = member.size() > 4 && member.ends_with(".npy") ? member.substr(0, member.size() - 4) : member;
    out[key] = parse_npy(bytes, path + ":" + member);
  }
  return out;
}

VinvlRegions read_vinvl(const std::string& path, int top_k) {
  std::map<std::string, NpyArray> a = read_npz(path);
  auto need = [&](const char* k) -> const NpyArray& {
    auto it = a.find(k);
    if (it == a.end()) throw Error(path + ": VinVL file lacks '" + k + "'");
    return it->second;
  };
  auto scalar = [&](const char* k) {
    std::vector<float> v = need(k).as_float();
    if (v.size() != 1) throw Error(path + ": '" + k + "' must be a scalar");
    return static_cast<int>(v[0]);
  };
  VinvlRegions r;
  r.image_h = scalar("image_h");
  r.image_w = scalar("image_w");
  const NpyArray& bb = need("bounding_boxes");
  if (bb.shape.size() != 2 || bb.shape[1] != 4) throw Error(path + ": bounding_boxes must have shape (N,4)");
  const int64_t n = bb.shape[0];
  std::vector<float> b = bb.as_float(), s = need("scores").as_float();
  std::vector<std::string> obj = need("objects").as_strings(), attr;
  if (static_cast<int64_t>(s.size()) != n || static_cast<int64_t>(obj.size()) != n)
    throw Error(path + ": scores/objects do not have N=" + std::to_string(n) + " entries");
  if (a.count("attr_obj")) {
    attr = a["attr_obj"].as_strings();
    if (static_cast<int64_t>(attr.size()) != n) throw Error(path + ": attr_obj does not have N entries");
  }
  std::vector<float> feat;
  int dim = 0;
  if (a.count("box_features")) {
    const NpyArray& f = a["box_features"];
    if (f.shape.size() != 2 || f.shape[0] != n) throw Error(path + ": box_features must have shape (N,D)");
    dim = static_cast<int>(f.shape[1]);
    feat = f.as_float();
  }
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return s[x] > s[y]; });
  const size_t keep = top_k > 0 ? std::min<size_t>(top_k, n) : n;
  for (size_t k = 0; k < keep; ++k) {
    const size_t i = order[k];
    r.boxes.push_back({b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]});
    r.scores.push_back(s[i]);
    r.objects.push_back(obj[i]);
    if (!attr.empty()) r.attributes.push_back(attr[i]);
    if (dim) r.features.insert(r.features.end(), feat.begin() + i * dim, feat.begin() + (i + 1) * dim);
  }
  r.feature_dim = dim;
  return r;
}

}  // namespace mie::io
