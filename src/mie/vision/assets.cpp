#include "mie/vision/assets.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>

#include "mie/core/files.h"
#include "mie/core/error.h"

namespace mie::vision {
namespace {

constexpr std::array<uint32_t, 64> kK = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

inline uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

class Sha256 {
 public:
  void update(const uint8_t* p, size_t n) {
    total_ += n;
    while (n > 0) {
      size_t take = std::min(n, size_t(64) - fill_);
      std::memcpy(buf_ + fill_, p, take);
      fill_ += take;
      p += take;
      n -= take;
      if (fill_ == 64) {
        block(buf_);
        fill_ = 0;
      }
    }
  }
  std::string hex() {
    uint64_t bits = total_ * 8;
    uint8_t pad = 0x80;
    update(&pad, 1);
    uint8_t zero = 0;
    while (fill_ != 56) update(&zero, 1);
    uint8_t len[8];
    for (int i = 0; i < 8; ++i) len[i] = uint8_t(bits >> (56 - 8 * i));
    update(len, 8);
    static const char* d = "0123456789abcdef";
    std::string s;
    for (uint32_t v : h_)
      for (int i = 7; i >= 0; --i) s += d[(v >> (4 * i)) & 15];
    return s;
  }

 private:
  void block(const uint8_t* p) {
    uint32_t w[64];
    for (int i = 0; i < 16; ++i) w[i] = (uint32_t(p[4 * i]) << 24) | (p[4 * i + 1] << 16) | (p[4 * i + 2] << 8) | p[4 * i + 3];
    for (int i = 16; i < 64; ++i) {
      uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h_[0], b = h_[1], c = h_[2], d = h_[3], e = h_[4], f = h_[5], g = h_[6], h = h_[7];
    for (int i = 0; i < 64; ++i) {
      uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + kK[i] + w[i];
      uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h_[0] += a; h_[1] += b; h_[2] += c; h_[3] += d; h_[4] += e; h_[5] += f; h_[6] += g; h_[7] += h;
  }
  uint32_t h_[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  uint8_t buf_[64];
  size_t fill_ = 0;
  uint64_t total_ = 0;
};

std::mutex g_mu;
std::set<std::string> g_verified;  // "path|size|mtime"

}  // namespace

std::string sha256_hex(const void* data, size_t n) {
  Sha256 s;
  s.update(static_cast<const uint8_t*>(data), n);
  return s.hex();
}

std::string sha256_file(const std::string& path) {
  std::ifstream in = mie::open_file(path, "file");
  Sha256 s;
  std::vector<char> buf(1 << 16);
  while (in) {
    in.read(buf.data(), std::streamsize(buf.size()));
    s.update(reinterpret_cast<const uint8_t*>(buf.data()), size_t(in.gcount()));
  }
  if (in.bad()) throw mie::Error(path + ": read error");
  return s.hex();
}

std::map<std::string, std::string> read_sha256sums(const std::string& dir) {
  std::map<std::string, std::string> sums;
  const std::string path = dir + "/SHA256SUMS";
  std::ifstream in(path);
  if (!in) return sums;
  std::string line;
  long no = 0;
  while (std::getline(in, line)) {
    ++no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    if (line.size() < 67 || line[64] != ' ' || (line[65] != ' ' && line[65] != '*'))
      throw mie::ParseError(path, no, "expected '<64 hex digits>  <path>'");
    std::string hex = line.substr(0, 64);
    for (char& c : hex) {
      if (!std::isxdigit(static_cast<unsigned char>(c))) throw mie::ParseError(path, no, "hash is not hexadecimal");
      c = char(std::tolower(static_cast<unsigned char>(c)));
    }
    std::string rel = line.substr(66);
    if (rel.rfind("./", 0) == 0) rel = rel.substr(2);
    sums[rel] = hex;
  }
  return sums;
}

std::string require_asset(const std::string& dir, const std::string& rel, const std::string& what, bool verify) {
  const std::string path = dir + "/" + rel;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw mie::Error(path + ": " + what + " model file not found (assets directory " + dir +
                     "; set MIE_ASSETS or see ../shared/models/README.md)");
  if (!verify) return path;
  auto sums = read_sha256sums(dir);
  auto it = sums.find(rel);
  if (it == sums.end()) return path;  // not listed: nothing to check against
  auto size = std::filesystem::file_size(path, ec);
  auto mtime = std::filesystem::last_write_time(path, ec).time_since_epoch().count();
  const std::string key = path + "|" + std::to_string(size) + "|" + std::to_string(mtime) + "|" + it->second;
  {
    std::lock_guard<std::mutex> lk(g_mu);
    if (g_verified.count(key)) return path;
  }
  std::string got = sha256_file(path);
  if (got != it->second)
    throw mie::Error(path + ": wrong " + what + " model file: sha256 " + got + " but " + dir + "/SHA256SUMS expects " +
                     it->second);
  std::lock_guard<std::mutex> lk(g_mu);
  g_verified.insert(key);
  return path;
}

}  // namespace mie::vision
