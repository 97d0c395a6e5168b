// ctest-labels: data
// Unit tests of the torch-free parts: schema, encoding, pairs, image features (sample images).
#include <gtest/gtest.h>

#include <cmath>

#include "mie/core/error.h"
#include "mie/core/paths.h"
#include "mie/relation/example.h"
#include "mie/relation/features.h"
#include "mie/relation/image_signals.h"
#include "mie/relation/schema.h"
#include "mie/vision/proposer.h"

using namespace mie::relation;

TEST(RelationSchema, SignatureAndTypes) {
  auto s = label_signature("/per/org/member_of");
  EXPECT_EQ(s.head, kPer);
  EXPECT_EQ(s.tail, kOrg);
  EXPECT_EQ(label_signature("None").head, -1);
  EXPECT_EQ(label_signature("/foo/bar/baz").head, -1);
  EXPECT_EQ(label_signature("/misc/loc/held_on").tail, kLoc);
  EXPECT_EQ(arg_type_from_ner("PER"), kPer);
  EXPECT_EQ(arg_type_from_ner("OTHER"), kMisc);
  EXPECT_EQ(arg_type_from_ner("location"), kLoc);
  EXPECT_EQ(arg_type_from_ner(""), -1);
  EXPECT_TRUE(compatible(s, kPer, -1));
  EXPECT_FALSE(compatible(s, kLoc, -1));
  EXPECT_FALSE(compatible(s, -1, kPer));
  EXPECT_TRUE(compatible(label_signature("None"), kLoc, kLoc));
  EXPECT_EQ(mnre_labels().size(), 23u);
  for (const auto& l : mnre_labels())
    if (l != kNoneLabel) {
      EXPECT_GE(label_signature(l).head, 0) << l;
    }
}

namespace {
RelExample cosby() {
  RelExample ex;
  ex.id = "0";
  ex.tokens = {"RT", "@WLWT", ":", "Bill", "Cosby", "'s", "star", "on", "Hollywood", "Walk", "of", "Fame"};
  ex.head = {3, 5, -1};
  ex.tail = {8, 12, -1};
  ex.label = "/per/misc/present_in";
  return ex;
}
}  // namespace

TEST(RelationFeatures, MarkersPositionsAndVocab) {
  RelExample ex = cosby();
  Vocab v = build_vocab({ex, ex}, nullptr, 0, 2);
  Encoded e = encode(v, ex);
  ASSERT_EQ(e.length, 12 + 4);
  EXPECT_EQ(e.words[e.head_marker], kHeadOpen);
  EXPECT_EQ(e.words[e.tail_marker], kTailOpen);
  EXPECT_EQ(e.head_marker, 3);
  EXPECT_EQ(e.words[6], kHeadClose);
  EXPECT_EQ(e.tail_marker, 10);
  EXPECT_EQ(e.words[15], kTailClose);
  EXPECT_EQ(e.head_start, 4);
  EXPECT_EQ(e.head_end, 6);
  EXPECT_EQ(e.tail_start, 11);
  EXPECT_EQ(e.tail_end, 15);
  EXPECT_EQ(e.pos_head[4], kMaxDist);       // "Bill" is inside the head
  EXPECT_EQ(e.pos_head[0], kMaxDist - 3);   // "RT" is 3 before it
  EXPECT_EQ(e.seg[11], 2);                  // "Hollywood" is tail
  EXPECT_EQ(e.words[4], v.word_id("bill"));
  EXPECT_GE(v.word_id("bill"), kFirstWord);
  EXPECT_EQ(v.word_id("never-seen"), kUnkWord);
  EXPECT_EQ(e.chars[4 * kMaxChars], static_cast<unsigned char>('B') + 1);
  EXPECT_EQ(static_cast<int>(e.image.size()), kImageDim);
  // Vocabulary round trip.
  Vocab back = Vocab::from_json(v.to_json());
  EXPECT_EQ(back.words, v.words);
  EXPECT_EQ(back.word_id("cosby"), v.word_id("cosby"));
  EXPECT_THROW(Vocab::from_json(nlohmann::json{{"words", 3}}), mie::Error);
}

TEST(RelationFeatures, NestedAndBadSpans) {
  RelExample ex = cosby();
  ex.head = {8, 12, -1};
  ex.tail = {8, 9, -1};  // tail inside head, same start
  Encoded e = encode(build_vocab({ex}, nullptr, 0, 1), ex);
  EXPECT_EQ(e.length, 16);
  EXPECT_LT(e.head_marker, e.tail_marker);
  EXPECT_LE(e.head_start, e.tail_start);
  RelExample bad = cosby();
  bad.tail = {10, 13, -1};
  EXPECT_THROW(validate(bad), mie::Error);
  bad.tail = {5, 5, -1};
  EXPECT_THROW(validate(bad), mie::Error);
  bad = cosby();
  bad.image = {1.f, 2.f};
  EXPECT_THROW(encode(build_vocab({cosby()}, nullptr, 0, 1), bad), mie::Error);
}

TEST(RelationPairs, JmerePairEnumeration) {
  mie::Post p;
  p.id = "p1";
  p.tokens = {"Messi", "joins", "Inter", "Miami", "in", "Florida"};
  p.entities = {{.start = 0, .end = 1, .type = "PER"}, {.start = 2, .end = 4, .type = "ORG"},
                {.start = 5, .end = 6, .type = "LOC"}};
  auto pairs = entity_pairs(p);
  ASSERT_EQ(pairs.size(), 6u);
  EXPECT_EQ(pairs[0], std::make_pair(0, 1));
  EXPECT_EQ(pairs[5], std::make_pair(2, 1));
  for (auto [h, t] : pairs) EXPECT_NE(h, t);
  RelExample ex = from_post(p, 0, 2);
  EXPECT_EQ(ex.head.type, kPer);
  EXPECT_EQ(ex.tail.type, kLoc);
  EXPECT_EQ(ex.tail.start, 5);
  EXPECT_THROW(from_post(p, 0, 3), mie::Error);
  p.entities.resize(1);
  EXPECT_TRUE(entity_pairs(p).empty());
}

TEST(RelationImage, ZerosMeanNoImage) {
  ImageSignals none;
  auto f = image_features(none, cosby(), {});
  ASSERT_EQ(static_cast<int>(f.size()), kImageDim);
  for (float x : f) EXPECT_EQ(x, 0.f);
}

TEST(RelationImage, HandMadeSignalsAndRelevance) {
  ImageSignals s;
  s.present = true;
  s.width = 100;
  s.height = 100;
  s.caption = "Bill Cosby star on the walk of fame";
  s.objects.push_back({.source = "face", .label = "face", .score = 0.9f, .box = {0, 0, 50, 50}});
  s.objects.push_back({.source = "object", .label = "person", .score = 0.8f, .box = {0, 0, 60, 100}});
  s.objects.push_back({.source = "text", .label = "text", .score = 0.7f, .box = {0, 0, 10, 10}, .text = "HOLLYWOOD"});
  const RelExample ex = cosby();
  const float rel = estimate_relevance(s, ex.tokens, {});  // word overlap without vectors
  EXPECT_GT(rel, 0.3f);
  EXPECT_LE(rel, 1.f);
  auto f = image_features(s, ex, {});
  EXPECT_EQ(f[0], 1.f);
  EXPECT_FLOAT_EQ(f[1], rel);
  EXPECT_NEAR(f[5], rel * std::log1p(1.f), 1e-6);  // one face
  EXPECT_GT(f[6], 0.f);                              // "bill cosby" in the caption
  EXPECT_GT(f[7], 0.f);                              // "hollywood walk of fame" in caption/OCR
  EXPECT_GT(f[8 + object_slot("person")], 0.f);
  EXPECT_EQ(object_slot("person"), 0);
  EXPECT_EQ(object_slot("face"), 80);
  EXPECT_EQ(object_slot("zeppelin"), 82);
  // A misaligned image (nothing in common with the text) counts less.
  ImageSignals other = s;
  other.caption = "bowl with soup";
  other.objects.resize(1);
  auto g = image_features(other, ex, {});
  EXPECT_EQ(g[0], 1.f);
  EXPECT_LT(g[1], f[1]);
  EXPECT_EQ(g[5], 0.f);  // relevance 0 -> all weighted features vanish
  // Given TMR score is used as is; target block for MORE.
  s.relevance = 0.5f;
  auto t = image_features(s, ex, {}, &s.objects[1]);
  EXPECT_EQ(t[1], 0.5f);
  EXPECT_EQ(t[kGlobalDim], 1.f);
  EXPECT_FLOAT_EQ(t[kGlobalDim + 3], 0.5f * 0.6f);  // x2 / width * relevance
  EXPECT_FLOAT_EQ(t[kGlobalDim + 7 + object_slot("person")], 0.5f);
}

TEST(RelationImage, SampleImagesThroughProposerAndVinvl) {
  const std::string dir = mie::data_dir() + "/samples/";
  mie::vision::RegionProposer rp(mie::vision::ProposerOptions::with_sources("face,object"));
  for (const std::string id : {"1953977", "70560"}) {
    ImageSignals s = signals_from_image(dir + id + ".jpg", rp, "people at an event");
    EXPECT_TRUE(s.present);
    EXPECT_GT(s.width, 0);
    EXPECT_FALSE(s.objects.empty()) << id;
    for (const auto& c : s.objects) EXPECT_NE(c.source, "image");
    RelExample ex = cosby();
    auto f = image_features(s, ex, {});
    EXPECT_EQ(f[0], 1.f);
    int nonzero = 0;
    for (int k = 0; k < kObjectSlots; ++k) nonzero += f[8 + k] != 0.f;
    EXPECT_GE(f[1], 0.f);
    if (f[1] > 0) {
      EXPECT_GT(nonzero, 0) << id;
    }
    // VinVL regions with 2048-d features feed the MORE target block.
    auto vin = mie::vision::vinvl_candidates(dir + id + ".jpg.npz", 4);
    ASSERT_FALSE(vin.empty());
    s.objects = vin;
    s.relevance = 1.f;
    auto t = image_features(s, ex, {}, &s.objects[0]);
    double pooled = 0;
    for (int k = 0; k < kRegionPool; ++k) pooled += std::fabs(t[kGlobalDim + 7 + kObjectSlots + k]);
    EXPECT_GT(pooled, 0.0) << id;
  }
  EXPECT_THROW(signals_from_image(dir + "missing.jpg", rp), mie::Error);
}
