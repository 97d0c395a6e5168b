#include "mie/text/embeddings.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unordered_set>

#include "mie/core/error.h"
#include "mie/core/paths.h"

namespace mie::text {
namespace {

constexpr char kMagic[8] = {'M', 'I', 'E', 'G', 'L', 'O', 'V', 'E'};
constexpr uint32_t kEndianTag = 0x01020304u;
constexpr size_t kHeaderBytes = 64;

struct Header {
  char magic[8];
  uint32_t version;
  uint32_t endian;
  uint32_t dim;
  uint32_t zero0;
  uint64_t vocab;
  uint64_t table_size;
  uint64_t blob_bytes;
  uint64_t total_bytes;
  uint64_t zero1;
};
static_assert(sizeof(Header) == kHeaderBytes);

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

size_t align64(size_t n) { return (n + 63) & ~size_t{63}; }

struct Layout {
  size_t offsets_at, table_at, blob_at, matrix_at, total;
};

Layout layout(uint64_t vocab, uint64_t table_size, uint64_t blob_bytes, uint32_t dim) {
  Layout l{};
  l.offsets_at = kHeaderBytes;
  l.table_at = align64(l.offsets_at + (vocab + 1) * sizeof(uint64_t));
  l.blob_at = align64(l.table_at + table_size * sizeof(uint32_t));
  l.matrix_at = align64(l.blob_at + blob_bytes);
  l.total = l.matrix_at + vocab * dim * sizeof(float);
  return l;
}

size_t table_size_for(size_t vocab) {
  size_t t = 16;
  while (t < vocab * 2) t <<= 1;
  return t;
}

}  // namespace

struct Embeddings::Mapping {
  void* addr = nullptr;
  size_t len = 0;
  ~Mapping() {
    if (addr) munmap(addr, len);
  }
};

Embeddings Embeddings::load(const std::string& path) {
  auto fail = [&](const std::string& msg) { return mie::Error(path + ": " + msg); };
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw fail(std::string("cannot open embeddings file: ") + std::strerror(errno) +
               " (run scripts/setup.sh or `mie convert-glove`)");
  }
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    ::close(fd);
    throw fail("cannot stat embeddings file");
  }
  const size_t len = static_cast<size_t>(st.st_size);
  if (len < kHeaderBytes) {
    ::close(fd);
    throw fail("not a mie embeddings file (too short: " + std::to_string(len) + " bytes)");
  }
  void* addr = mmap(nullptr, len, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (addr == MAP_FAILED) throw fail(std::string("mmap failed: ") + std::strerror(errno));
  auto map = std::make_shared<Mapping>();
  map->addr = addr;
  map->len = len;

  const char* base = static_cast<const char*>(addr);
  Header h;
  std::memcpy(&h, base, sizeof h);
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0)
    throw fail("not a mie embeddings file (bad magic; convert with `mie convert-glove`)");
  if (h.endian != kEndianTag) throw fail("embeddings file has the wrong byte order");
  if (h.version != kEmbeddingsFormatVersion)
    throw fail("embeddings format version " + std::to_string(h.version) + ", expected " +
               std::to_string(kEmbeddingsFormatVersion) + " (re-run `mie convert-glove`)");
  if (h.dim == 0 || h.dim > 100000 || h.vocab > (1ull << 31) || h.table_size < h.vocab ||
      (h.table_size & (h.table_size - 1)) != 0 || h.blob_bytes > len)
    throw fail("corrupt embeddings header");
  const Layout l = layout(h.vocab, h.table_size, h.blob_bytes, h.dim);
  if (h.total_bytes != l.total || len != l.total)
    throw fail("truncated or corrupt embeddings file: " + std::to_string(len) + " bytes, expected " +
               std::to_string(l.total));

  Embeddings e;
  e.map_ = map;
  e.path_ = path;
  e.dim_ = static_cast<int>(h.dim);
  e.vocab_ = h.vocab;
  e.table_size_ = h.table_size;
  e.offsets_ = reinterpret_cast<const uint64_t*>(base + l.offsets_at);
  e.table_ = reinterpret_cast<const uint32_t*>(base + l.table_at);
  e.blob_ = base + l.blob_at;
  e.matrix_ = reinterpret_cast<const float*>(base + l.matrix_at);
  // Cheap structural checks so a corrupt index can never read out of bounds.
  if (e.offsets_[0] != 0 || e.offsets_[h.vocab] != h.blob_bytes)
    throw fail("corrupt embeddings word index");
  for (size_t i = 0; i < h.vocab; ++i)
    if (e.offsets_[i] > e.offsets_[i + 1]) throw fail("corrupt embeddings word index");
  for (size_t i = 0; i < h.table_size; ++i)
    if (e.table_[i] > h.vocab) throw fail("corrupt embeddings hash table");
  return e;
}

int Embeddings::find(std::string_view w) const {
  if (vocab_ == 0) return -1;
  const size_t mask = table_size_ - 1;
  for (size_t slot = fnv1a(w) & mask, n = 0; n < table_size_; slot = (slot + 1) & mask, ++n) {
    const uint32_t e = table_[slot];
    if (e == 0) return -1;
    if (word(static_cast<int>(e - 1)) == w) return static_cast<int>(e - 1);
  }
  return -1;
}

std::string_view Embeddings::word(int i) const {
  return std::string_view(blob_ + offsets_[i], offsets_[i + 1] - offsets_[i]);
}

std::string default_glove_path() { return mie::cache_dir() + "/glove100.bin"; }

void write_embeddings(const std::string& path, int dim, const std::vector<std::string>& words,
                      const std::vector<float>& matrix) {
  if (dim <= 0) throw mie::Error(path + ": embedding dimension must be positive");
  if (matrix.size() != words.size() * static_cast<size_t>(dim))
    throw mie::Error(path + ": matrix has " + std::to_string(matrix.size()) + " values, expected " +
                     std::to_string(words.size()) + " x " + std::to_string(dim));
  const size_t vocab = words.size();
  const size_t tsize = table_size_for(vocab);
  std::vector<uint64_t> offsets(vocab + 1, 0);
  std::vector<uint32_t> table(tsize, 0);
  std::string blob;
  for (size_t i = 0; i < vocab; ++i) {
    const std::string& w = words[i];
    if (w.empty()) throw mie::Error(path + ": empty word at row " + std::to_string(i));
    size_t slot = fnv1a(w) & (tsize - 1);
    while (table[slot] != 0) {
      const size_t j = table[slot] - 1;
      if (words[j] == w) throw mie::Error(path + ": duplicate word \"" + w + "\" at rows " +
                                          std::to_string(j) + " and " + std::to_string(i));
      slot = (slot + 1) & (tsize - 1);
    }
    table[slot] = static_cast<uint32_t>(i + 1);
    blob += w;
    offsets[i + 1] = blob.size();
  }
  const Layout l = layout(vocab, tsize, blob.size(), static_cast<uint32_t>(dim));
  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.version = kEmbeddingsFormatVersion;
  h.endian = kEndianTag;
  h.dim = static_cast<uint32_t>(dim);
  h.vocab = vocab;
  h.table_size = tsize;
  h.blob_bytes = blob.size();
  h.total_bytes = l.total;

  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw mie::Error(path + ": cannot write embeddings file");
  size_t pos = 0;
  auto put = [&](const void* p, size_t n) {
    out.write(static_cast<const char*>(p), static_cast<std::streamsize>(n));
    pos += n;
  };
  auto pad_to = [&](size_t at) {
    static const char zeros[64] = {};
    while (pos < at) put(zeros, std::min<size_t>(64, at - pos));
  };
  put(&h, sizeof h);
  put(offsets.data(), offsets.size() * sizeof(uint64_t));
  pad_to(l.table_at);
  put(table.data(), table.size() * sizeof(uint32_t));
  pad_to(l.blob_at);
  put(blob.data(), blob.size());
  pad_to(l.matrix_at);
  put(matrix.data(), matrix.size() * sizeof(float));
  out.flush();
  if (!out || pos != l.total) throw mie::Error(path + ": write failed (disk full?)");
}

}  // namespace mie::text
