#include "mie/io/npz.h"

#include <gtest/gtest.h>
#include <zip.h>

#include <cstring>
#include <fstream>
#include <random>

#include "mie/io/test_util.h"

using namespace mie;
using namespace mie::io;

namespace {

std::vector<uint8_t> make_npy(const std::string& descr, const std::string& shape, const std::vector<uint8_t>& data,
                              int version = 1, bool fortran = false) {
  std::string h = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }";
  const size_t pre = version == 1 ? 10 : 12;
  while ((pre + h.size() + 1) % 64) h += ' ';
  h += '\n';
  std::vector<uint8_t> b = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<uint8_t>(version), 0};
  const size_t n = h.size();
  b.push_back(n & 0xFF);
  b.push_back((n >> 8) & 0xFF);
  if (version != 1) b.push_back((n >> 16) & 0xFF), b.push_back((n >> 24) & 0xFF);
  b.insert(b.end(), h.begin(), h.end());
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

template <class T>
std::vector<uint8_t> bytes_of(const std::vector<T>& v) {
  std::vector<uint8_t> b(v.size() * sizeof(T));
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

std::string write_npz(const std::string& name, const std::vector<std::pair<std::string, std::vector<uint8_t>>>& members) {
  const std::string path = test::temp_dir() + "/" + name;
  std::remove(path.c_str());
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  EXPECT_NE(z, nullptr);
  std::vector<std::vector<uint8_t>> keep;
  for (const auto& [n, b] : members) {
    zip_source_t* s = zip_source_buffer(z, b.data(), b.size(), 0);
    zip_int64_t idx = zip_file_add(z, n.c_str(), s, ZIP_FL_OVERWRITE);
    zip_set_file_compression(z, idx, ZIP_CM_STORE, 0);
  }
  EXPECT_EQ(zip_close(z), 0);
  return path;
}

std::vector<uint8_t> slurp(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string spit(const std::string& name, const std::vector<uint8_t>& b) {
  return test::temp_file(name, std::string(b.begin(), b.end()));
}

// Width/height from a PNG or JPEG header (content-sniffed, like the data README advises).
std::pair<int, int> image_size(const std::string& p) {
  auto b = slurp(p);
  if (b.size() > 24 && b[0] == 0x89 && b[1] == 'P')
    return {(b[16] << 24) | (b[17] << 16) | (b[18] << 8) | b[19], (b[20] << 24) | (b[21] << 16) | (b[22] << 8) | b[23]};
  for (size_t i = 2; i + 9 < b.size();) {
    if (b[i] != 0xFF) return {0, 0};
    const uint8_t m = b[i + 1];
    const size_t len = (b[i + 2] << 8) | b[i + 3];
    if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC)
      return {(b[i + 7] << 8) | b[i + 8], (b[i + 5] << 8) | b[i + 6]};
    i += 2 + len;
  }
  return {0, 0};
}

void expect_error_naming(const std::function<void()>& f, const std::string& needle) {
  try {
    f();
    ADD_FAILURE() << "expected mie::Error mentioning " << needle;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

}  // namespace

TEST(Npy, ParsesDtypesAndVersions) {
  auto f4 = parse_npy(make_npy("<f4", "(2, 2)", bytes_of<float>({1, 2, 3, 4.5f})), "a");
  EXPECT_EQ(f4.shape, (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(f4.size(), 4);
  EXPECT_EQ(f4.as_float(), (std::vector<float>{1, 2, 3, 4.5f}));
  EXPECT_EQ(parse_npy(make_npy("<f8", "(2,)", bytes_of<double>({0.25, -1}), 2), "b").as_float(), (std::vector<float>{0.25f, -1}));
  EXPECT_EQ(parse_npy(make_npy("<i4", "(3,)", bytes_of<int32_t>({-1, 0, 7}), 3), "c").as_float(), (std::vector<float>{-1, 0, 7}));
  auto i8 = parse_npy(make_npy("<i8", "()", bytes_of<int64_t>({600})), "d");
  EXPECT_TRUE(i8.shape.empty());
  EXPECT_EQ(i8.as_float(), (std::vector<float>{600}));
  EXPECT_EQ(parse_npy(make_npy("|u1", "(2,)", {200, 3}), "e").as_float(), (std::vector<float>{200, 3}));
  std::vector<uint32_t> u = {'m', 'a', 'n', 0, 0xE9, 0, 0, 0};
  EXPECT_EQ(parse_npy(make_npy("<U4", "(2,)", bytes_of(u)), "f").as_strings(), (std::vector<std::string>{"man", "\xC3\xA9"}));
  EXPECT_EQ(parse_npy(make_npy("|S3", "(2,)", {'a', 'b', 'c', 'x', 0, 0}), "g").as_strings(), (std::vector<std::string>{"abc", "x"}));
  EXPECT_THROW(parse_npy(make_npy("|S3", "(1,)", {'a', 'b', 'c'}), "g").as_float(), Error);
  EXPECT_THROW(f4.as_strings(), Error);
}

TEST(Npy, RejectsBadInputWithClearErrors) {
  expect_error_naming([] { parse_npy(make_npy("|O", "(2,)", std::vector<uint8_t>(16)), "obj.npy"); }, "object arrays");
  expect_error_naming([] { parse_npy(make_npy(">f4", "(1,)", std::vector<uint8_t>(4)), "be.npy"); }, "big-endian");
  expect_error_naming([] { parse_npy(make_npy("<c8", "(1,)", std::vector<uint8_t>(8)), "c.npy"); }, "unsupported dtype");
  expect_error_naming([] { parse_npy(make_npy("<f4", "(3, 4)", std::vector<uint8_t>(40)), "t.npy"); }, "t.npy: truncated .npy data");
  expect_error_naming([] { parse_npy(make_npy("<f4", "(2, 2)", std::vector<uint8_t>(16), 1, true), "fo.npy"); }, "Fortran");
  expect_error_naming([] { parse_npy(make_npy("<f4", "(-1,)", {}), "neg.npy"); }, "bad .npy shape");
  expect_error_naming([] { parse_npy(make_npy("<f4", "(4294967296, 4294967296)", {}), "big.npy"); }, "too large");
  expect_error_naming([] { parse_npy({1, 2, 3}, "m.npy"); }, "bad magic");
  auto b = make_npy("<f4", "(1,)", bytes_of<float>({1}));
  b[6] = 9;
  expect_error_naming([&] { parse_npy(b, "v.npy"); }, "format version 9");
  b = make_npy("<f4", "(1,)", bytes_of<float>({1}));
  b[8] = 0xFF, b[9] = 0xFF;
  expect_error_naming([&] { parse_npy(b, "h.npy"); }, "truncated .npy header");
  b = make_npy("<f4", "(1,)", bytes_of<float>({1}));
  b[10] = '[';
  expect_error_naming([&] { parse_npy(b, "hdr.npy"); }, "bad .npy header");
}

TEST(Npz, ReadsGeneratedArchive) {
  const std::string p = write_npz("gen.npz", {{"a.npy", make_npy("<f4", "(2,)", bytes_of<float>({1, 2}))},
                                              {"names.npy", make_npy("<U2", "(1,)", bytes_of<uint32_t>({'o', 'k'}))}});
  auto m = read_npz(p);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m.at("a").as_float(), (std::vector<float>{1, 2}));
  EXPECT_EQ(m.at("names").as_strings(), (std::vector<std::string>{"ok"}));
}

TEST(Npz, CorruptAndTruncatedFilesThrowNamingTheFile) {
  const std::string p = write_npz("obj.npz", {{"o.npy", make_npy("|O", "(1,)", std::vector<uint8_t>(8))}});
  expect_error_naming([&] { read_npz(p); }, p + ":o.npy: object arrays");
  const std::string junk = test::temp_file("junk.npz", "this is not a zip file at all");
  expect_error_naming([&] { read_npz(junk); }, junk);
  expect_error_naming([&] { read_npz(test::temp_dir() + "/absent.npz"); }, "absent.npz");
  const std::string real = test::data("samples/70560.jpg.npz");
  SKIP_WITHOUT(real);
  const auto bytes = slurp(real);
  // Truncations at many points: always mie::Error with the path, never a crash.
  for (size_t cut : {size_t{0}, size_t{10}, size_t{200}, bytes.size() / 3, bytes.size() / 2, bytes.size() - 30, bytes.size() - 1}) {
    const std::string t = spit("trunc.npz", std::vector<uint8_t>(bytes.begin(), bytes.begin() + cut));
    expect_error_naming([&] { read_vinvl(t); }, t);
  }
  // A flipped byte inside box_features' data: the zip CRC check catches it.
  auto flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x5A;
  const std::string fl = spit("flip.npz", flipped);
  expect_error_naming([&] { read_npz(fl); }, fl);
  // Random byte corruption: either parses or throws mie::Error, never crashes.
  std::mt19937 rng(7);
  for (int k = 0; k < 60; ++k) {
    auto c = bytes;
    for (int j = 0; j < 4; ++j) c[rng() % c.size()] = static_cast<uint8_t>(rng());
    const std::string cp = spit("fuzz.npz", c);
    try {
      read_vinvl(cp);
    } catch (const Error&) {
    }
  }
}

class VinvlReal : public testing::TestWithParam<const char*> {};

TEST_P(VinvlReal, SampleFeatures) {
  const std::string img = test::data(std::string("samples/") + GetParam());
  const std::string npz = img + ".npz";
  SKIP_WITHOUT(npz);
  auto raw = read_npz(npz);
  const NpyArray& bb = raw.at("bounding_boxes");
  EXPECT_EQ(bb.dtype, "<f4");
  ASSERT_EQ(bb.shape.size(), 2u);
  EXPECT_EQ(bb.shape[1], 4);
  const int64_t n = bb.shape[0];
  EXPECT_GT(n, 0);
  EXPECT_LE(n, 36);
  EXPECT_EQ(raw.at("box_features").shape, (std::vector<int64_t>{n, 2048}));
  EXPECT_EQ(raw.at("box_features").dtype, "<f4");
  std::vector<float> s = raw.at("scores").as_float();
  EXPECT_TRUE(std::is_sorted(s.rbegin(), s.rend()));
  EXPECT_EQ(raw.at("num_boxes").as_float()[0], static_cast<float>(n));

  VinvlRegions r = read_vinvl(npz);
  auto [w, h] = image_size(img);
  EXPECT_EQ(r.image_w, w);
  EXPECT_EQ(r.image_h, h);
  ASSERT_EQ(static_cast<int64_t>(r.boxes.size()), n);
  EXPECT_EQ(r.feature_dim, 2048);
  EXPECT_EQ(r.features.size(), static_cast<size_t>(n) * 2048);
  EXPECT_EQ(r.objects.size(), r.boxes.size());
  EXPECT_EQ(r.attributes.size(), r.boxes.size());
  for (const auto& o : r.objects) EXPECT_FALSE(o.empty());
  for (const Box& b : r.boxes) {
    EXPECT_LE(b.x1, b.x2);
    EXPECT_LE(b.y1, b.y2);
    EXPECT_GE(b.x1, -1.f);
    EXPECT_LE(b.x2, w + 1.f);
    EXPECT_LE(b.y2, h + 1.f);
  }
  VinvlRegions top = read_vinvl(npz, 16);
  ASSERT_EQ(top.boxes.size(), 16u);
  EXPECT_EQ(top.boxes[3], r.boxes[3]);
  EXPECT_EQ(top.features.size(), 16u * 2048);
  EXPECT_TRUE(std::equal(top.features.begin(), top.features.end(), r.features.begin()));
  std::cerr << GetParam() << ": " << n << " regions, top object '" << r.objects[0] << "' score " << r.scores[0] << "\n";
}

INSTANTIATE_TEST_SUITE_P(Data, VinvlReal, testing::Values("1953977.jpg", "70560.jpg"));
