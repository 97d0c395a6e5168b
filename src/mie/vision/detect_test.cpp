// ctest-labels: data model
// Detectors on real photos and a synthetic text image. Needs the models in mie::assets_dir()
// (../shared/models); skipped when they are absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <barrier>
#include <filesystem>
#include <fstream>
#include <thread>

#include <opencv2/imgproc.hpp>

#include "mie/core/error.h"
#include "mie/core/paths.h"
#include "mie/io/voc.h"
#include "mie/vision/image.h"
#include "mie/vision/proposer.h"
#include "mie/core/test_tmp.h"
#include "mie/vision/test_photos.h"

namespace mie::vision {
namespace {

namespace fs = std::filesystem;

using test::have_models;
using test::kAstronaut;
using test::kMessi;

#define REQUIRE_MODELS() \
  if (have_models()) {                                                            \
  } else                                                                          \
    GTEST_SKIP() << "detector models not in " << mie::assets_dir()

RegionProposer& shared_proposer() {
  static RegionProposer p;  // all sources, OCR on
  return p;
}

std::vector<Candidate> of(const std::vector<Candidate>& cs, const std::string& source, const std::string& label = "") {
  std::vector<Candidate> r;
  for (const auto& c : cs)
    if (c.source == source && (label.empty() || c.label == label)) r.push_back(c);
  return r;
}

float best_iou(const std::vector<Candidate>& cs, const mie::Box& b) {
  float best = 0;
  for (const auto& c : cs) best = std::max(best, mie::iou(c.box, b));
  return best;
}

// Fraction of a's area inside b.
float inside(const mie::Box& a, const mie::Box& b) {
  mie::Box i{std::max(a.x1, b.x1), std::max(a.y1, b.y1), std::min(a.x2, b.x2), std::min(a.y2, b.y2)};
  return a.area() > 0 ? i.area() / a.area() : 0.f;
}


TEST(Detect, MessiPersonFaceAndBall) {
  REQUIRE_MODELS();
  if (!mie::file_exists(kMessi)) GTEST_SKIP() << kMessi << " missing (apt install opencv-doc)";
  cv::Mat img = load_image(kMessi);
  ASSERT_EQ(img.size(), cv::Size(548, 342));
  auto cs = shared_proposer().propose(img);
  // Annotated by hand: left fingertips to right boot tip, hair to the lower boot.
  const mie::Box messi{68, 62, 458, 336};
  auto people = of(cs, "object", "person");
  ASSERT_FALSE(people.empty());
  // The highest-scoring person is Messi.
  EXPECT_GE(mie::iou(people.front().box, messi), 0.5f);
  auto faces = of(cs, "face");
  ASSERT_FALSE(faces.empty());
  const mie::Box messi_face{210, 75, 262, 140};  // by hand
  EXPECT_GE(best_iou(faces, messi_face), 0.3f);
  EXPECT_GE(best_iou(of(cs, "object", "sports ball"), mie::Box{337, 288, 388, 337}), 0.5f);
  ASSERT_FALSE(of(cs, "image").empty());
  EXPECT_EQ(of(cs, "image")[0].box, (mie::Box{0, 0, 548, 342}));
}

TEST(Detect, AstronautFaceAndPerson) {
  REQUIRE_MODELS();
  if (!mie::file_exists(kAstronaut)) GTEST_SKIP() << kAstronaut << " missing (apt install python3-skimage)";
  auto cs = shared_proposer().propose(load_image(kAstronaut));
  EXPECT_GE(best_iou(of(cs, "face"), mie::Box{180, 62, 268, 172}), 0.5f);     // by hand
  EXPECT_GE(best_iou(of(cs, "object", "person"), mie::Box{20, 15, 365, 512}), 0.5f);
  EXPECT_EQ(of(cs, "face").size(), 1u);
}

TEST(Detect, TweetAngelinaJolieBoxesFromGmner) {
  REQUIRE_MODELS();
  const std::string img_path = mie::data_dir() + "/samples/1953977.jpg";  // a PNG with alpha
  const std::string xml = mie::data_dir() + "/gmner/xml/1953977.xml";
  if (!mie::file_exists(img_path) || !mie::file_exists(xml)) GTEST_SKIP() << "GMNER sample missing";
  cv::Mat img = load_image(img_path);
  auto ann = mie::io::read_voc(xml);
  ASSERT_EQ(img.cols, ann.width);
  ASSERT_EQ(img.rows, ann.height);
  auto cs = shared_proposer().propose(img);
  auto people = of(cs, "object", "person");
  auto faces = of(cs, "face");
  int jolie = 0;
  for (const auto& o : ann.objects) {
    if (o.name != "Angelina Jolie") continue;
    ++jolie;
    EXPECT_GE(best_iou(people, o.box), 0.7f) << "person box for gold " << o.box.x1 << "," << o.box.y1;
    bool face_inside = std::any_of(faces.begin(), faces.end(), [&](const Candidate& f) { return inside(f.box, o.box) > 0.9f; });
    EXPECT_TRUE(face_inside) << "no face inside gold box " << o.box.x1 << "," << o.box.y1;
  }
  EXPECT_EQ(jolie, 2);
  EXPECT_EQ(faces.size(), 2u);
}

TEST(Detect, TweetRooftopDinnerHasSeveralPeople) {
  REQUIRE_MODELS();
  const std::string img_path = mie::data_dir() + "/samples/70560.jpg";
  if (!mie::file_exists(img_path)) GTEST_SKIP() << img_path << " missing";
  cv::Mat img = load_image(img_path);
  auto cs = shared_proposer().propose(img);
  auto faces = of(cs, "face");
  auto people = of(cs, "object", "person");
  EXPECT_GE(faces.size(), 3u);  // four small faces around the table (y ~ 285..315)
  EXPECT_GE(people.size(), 3u);
  for (const auto& f : faces) {
    EXPECT_GT(f.box.y1, 250.f);
    EXPECT_LT(f.box.y2, 340.f);
    // Each face sits inside the table area (x 150..470).
    EXPECT_GT(f.box.x1, 150.f);
    EXPECT_LT(f.box.x2, 470.f);
  }
}

// Renders each line and records the bounding box of its ink.
cv::Mat render(const std::vector<std::pair<std::string, cv::Point>>& lines, cv::Size size, cv::Scalar bg, cv::Scalar fg,
               std::vector<mie::Box>* boxes) {
  cv::Mat img(size, CV_8UC3, bg);
  for (const auto& [s, org] : lines) {
    cv::Mat ink = cv::Mat::zeros(size, CV_8U);
    cv::putText(ink, s, org, cv::FONT_HERSHEY_DUPLEX, 2.0, cv::Scalar(255), 4, cv::LINE_AA);
    cv::Rect r = cv::boundingRect(ink);
    boxes->push_back({float(r.x), float(r.y), float(r.x + r.width), float(r.y + r.height)});
    cv::putText(img, s, org, cv::FONT_HERSHEY_DUPLEX, 2.0, fg, 4, cv::LINE_AA);
  }
  return img;
}

TEST(Detect, SyntheticBrandNameIsDetectedAndRead) {
  REQUIRE_MODELS();
  std::vector<mie::Box> truth;
  cv::Mat img = render({{"STARBUCKS", {60, 120}}, {"NIKE", {380, 260}}}, {640, 320}, cv::Scalar(255, 255, 255),
                       cv::Scalar(30, 30, 30), &truth);
  auto& rp = shared_proposer();
  auto lines = rp.text()->detect(img);
  ASSERT_EQ(lines.size(), 2u);
  rp.ocr()->read_all(img, lines);
  // Reading order: STARBUCKS (top) first.
  // DB boxes hug the ink within a few pixels (the truth is the font's extent box: here the box is
  // 4 px inside it on each side, 84% of its area).
  EXPECT_GE(mie::iou(lines[0].box, truth[0]), 0.8f);
  EXPECT_GE(inside(truth[0], lines[0].box), 0.8f);
  EXPECT_EQ(lines[0].text, "STARBUCKS");
  EXPECT_GE(mie::iou(lines[1].box, truth[1]), 0.8f);
  EXPECT_EQ(lines[1].text, "NIKE");
}

// Two threads reading at once get one Tesseract instance each (the pool grows to 2) and the same
// readings as one thread alone.
TEST(Detect, OcrReadsInParallelThreads) {
  std::vector<mie::Box> truth;
  cv::Mat img = render({{"STARBUCKS", {60, 120}}, {"NIKE", {380, 260}}}, {640, 320}, cv::Scalar(255, 255, 255),
                       cv::Scalar(30, 30, 30), &truth);
  mie::vision::OcrReader ocr;
  EXPECT_EQ(ocr.engines(), 1u);
  const std::string alone = ocr.read(img, truth[0]).text;
  std::vector<std::string> got(2);
  std::barrier go(2);
  auto work = [&](int i) {
    go.arrive_and_wait();
    for (int k = 0; k < 5; ++k) got[static_cast<size_t>(i)] += ocr.read(img, truth[static_cast<size_t>(i)]).text + ";";
  };
  std::thread a(work, 0), b(work, 1);
  a.join();
  b.join();
  EXPECT_EQ(alone, "STARBUCKS");
  EXPECT_EQ(got[0], "STARBUCKS;STARBUCKS;STARBUCKS;STARBUCKS;STARBUCKS;");
  EXPECT_EQ(got[1], "NIKE;NIKE;NIKE;NIKE;NIKE;");
  EXPECT_EQ(ocr.engines(), 2u);  // 10 reads by 2 threads: they overlapped, each on its own instance
}

TEST(Detect, LightTextOnDarkBackground) {
  REQUIRE_MODELS();
  std::vector<mie::Box> truth;
  cv::Mat img = render({{"Coca-Cola", {40, 140}}}, {500, 240}, cv::Scalar(20, 20, 160), cv::Scalar(255, 255, 255), &truth);
  auto cs = shared_proposer().propose(img);
  auto text = of(cs, "text");
  ASSERT_EQ(text.size(), 1u);
  EXPECT_GE(mie::iou(text[0].box, truth[0]), 0.8f);
  EXPECT_EQ(text[0].text, "Coca-Cola");
  EXPECT_TRUE(of(cs, "face").empty());
}

TEST(Detect, SourcesAreConfigurable) {
  EXPECT_THROW(ProposerOptions::with_sources("face,cars"), mie::Error);
  ProposerOptions o = ProposerOptions::with_sources(" face , image");
  EXPECT_TRUE(o.face && o.image);
  EXPECT_FALSE(o.object || o.text);
  ProposerOptions all = ProposerOptions::with_sources("all");
  EXPECT_TRUE(all.face && all.object && all.text && all.image);
  RegionProposer none(ProposerOptions::with_sources("image"));  // loads no model
  auto cs = none.propose(cv::Mat(30, 40, CV_8UC3, cv::Scalar(1, 2, 3)));
  ASSERT_EQ(cs.size(), 1u);
  EXPECT_EQ(cs[0].box, (mie::Box{0, 0, 40, 30}));
  REQUIRE_MODELS();
  RegionProposer faces_only(ProposerOptions::with_sources("face"));
  EXPECT_EQ(faces_only.object(), nullptr);
  EXPECT_EQ(faces_only.text(), nullptr);
}

TEST(Detect, DegenerateImageSizesGiveTheWholeImage) {  // every detector on 1-pixel-wide strips
  REQUIRE_MODELS();
  RegionProposer all(ProposerOptions::with_sources("all"));
  for (cv::Size sz : {cv::Size(1, 1), cv::Size(3, 2), cv::Size(4000, 1), cv::Size(1, 4000), cv::Size(31, 33)}) {
    cv::Mat img(sz, CV_8UC3, cv::Scalar(200, 120, 40));
    std::vector<Candidate> cs;
    ASSERT_NO_THROW(cs = all.propose(img)) << sz;
    ASSERT_FALSE(cs.empty()) << sz;
    for (const auto& c : cs) {
      EXPECT_GE(c.box.x1, 0.f) << sz;
      EXPECT_LE(c.box.x2, float(sz.width)) << sz;
      EXPECT_LE(c.box.y2, float(sz.height)) << sz;
    }
  }
}

TEST(Detect, MissingOrWrongModelFilesThrowClearErrors) {
  mie::TestTempDir tmp;
  const fs::path& d = tmp.dir;
  fs::create_directories(d / "yunet");
  ProposerOptions o = ProposerOptions::with_sources("face");
  o.assets_dir = d.string();
  try {
    RegionProposer rp(o);
    FAIL();
  } catch (const mie::Error& e) {
    EXPECT_NE(std::string(e.what()).find("yunet_n_320_320.onnx: YuNet face detector model file not found"), std::string::npos)
        << e.what();
  }
  std::ofstream(d / kYunetFile) << "this is not an onnx file";
  try {
    RegionProposer rp(o);
    FAIL();
  } catch (const mie::Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot load the YuNet face model"), std::string::npos) << e.what();
  }
  std::ofstream(d / "SHA256SUMS") << "81dbde155e982455488235acb8ec2dec5d647edf7cf7080d33e4abb69b93a0d2  " << kYunetFile << "\n";
  try {
    RegionProposer rp(o);
    FAIL();
  } catch (const mie::Error& e) {
    EXPECT_NE(std::string(e.what()).find("wrong YuNet face detector model file: sha256"), std::string::npos) << e.what();
  }
  // A valid ONNX model of the wrong kind fails the warm-up check.
  if (have_models()) {
    fs::remove(d / "SHA256SUMS");
    fs::copy_file(mie::assets_dir() + "/" + kPpocrFile, d / kYunetFile, fs::copy_options::overwrite_existing);
    try {
      RegionProposer rp(o);
      FAIL();
    } catch (const mie::Error& e) {
      EXPECT_NE(std::string(e.what()).find("YuNet"), std::string::npos) << e.what();
    }
  }
  fs::remove_all(d);
}

TEST(Detect, ConcurrentCallsGiveTheSameAnswer) {
  REQUIRE_MODELS();
  if (!mie::file_exists(kMessi)) GTEST_SKIP();
  cv::Mat img = load_image(kMessi);
  auto& rp = shared_proposer();
  auto ref = rp.face()->detect(img);
  std::vector<std::vector<Candidate>> got(4);
  std::vector<std::thread> ts;
  for (int i = 0; i < 4; ++i) ts.emplace_back([&, i] { got[i] = rp.face()->detect(img); });
  for (auto& t : ts) t.join();
  for (const auto& g : got) {
    ASSERT_EQ(g.size(), ref.size());
    for (size_t k = 0; k < g.size(); ++k) EXPECT_EQ(g[k].box, ref[k].box);
  }
}

TEST(Vinvl, SampleFeaturesBecomeCandidates) {
  const std::string npz = mie::data_dir() + "/samples/70560.jpg.npz";
  if (!mie::file_exists(npz)) GTEST_SKIP() << npz << " missing";
  auto all = vinvl_candidates(npz);
  ASSERT_FALSE(all.empty());
  EXPECT_LE(all.size(), 36u);
  for (size_t i = 0; i < all.size(); ++i) {
    const auto& c = all[i];
    EXPECT_EQ(c.source, "vinvl");
    EXPECT_FALSE(c.label.empty());
    EXPECT_EQ(c.feature.size(), 2048u);
    EXPECT_GT(c.box.area(), 0.f);
    EXPECT_LE(c.box.x2, 600.f);
    EXPECT_LE(c.box.y2, 600.f);
    if (i > 0) {
      EXPECT_GE(all[i - 1].score, c.score);
    }
  }
  auto top = vinvl_candidates(npz, 5);
  ASSERT_EQ(top.size(), 5u);
  EXPECT_EQ(top[0].box, all[0].box);
  EXPECT_EQ(top[4].feature, all[4].feature);
  // Rescaled to a half-size copy of the image.
  auto half = vinvl_candidates(npz, 1, cv::Size(300, 300));
  EXPECT_NEAR(half[0].box.x2, all[0].box.x2 / 2, 0.01);
  // The Jolie sample has a person among its regions overlapping a gold box.
  const std::string npz2 = mie::data_dir() + "/samples/1953977.jpg.npz";
  if (mie::file_exists(npz2)) {
    auto r = vinvl_candidates(npz2);
    bool woman = std::any_of(r.begin(), r.end(), [](const Candidate& c) {
      return (c.label == "woman" || c.label == "girl" || c.label == "person" || c.label == "lady") &&
             mie::iou(c.box, mie::Box{298, 18, 574, 300}) > 0.5f;
    });
    EXPECT_TRUE(woman);
  }
}

}  // namespace
}  // namespace mie::vision
