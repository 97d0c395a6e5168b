#include "mie/io/conll.h"

#include <gtest/gtest.h>

#include <sstream>

#include "mie/io/lines.h"
#include "mie/io/test_util.h"

using namespace mie;
using namespace mie::io;

namespace {
std::vector<Post> parse(const std::string& s, const ConllOptions& o = {}) {
  std::istringstream in(s);
  return read_conll(in, "mem.txt", o);
}
long count_entities(const std::vector<Post>& ps) {
  long n = 0;
  for (const auto& p : ps) n += static_cast<long>(p.entities.size());
  return n;
}
}  // namespace

TEST(Conll, ReadsBasicPost) {
  auto ps = parse("IMGID:575705\nRT\tO\nWebber\tB-PER\nMS\tI-PER\nwins\tO\n\nIMGID:2\nParis\tB-LOC\n\n");
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(ps[0].id, "575705");
  EXPECT_EQ(ps[0].tokens, (std::vector<std::string>{"RT", "Webber", "MS", "wins"}));
  ASSERT_EQ(ps[0].entities.size(), 1u);
  EXPECT_EQ(ps[0].entities[0].start, 1);
  EXPECT_EQ(ps[0].entities[0].end, 3);
  EXPECT_EQ(ps[0].entities[0].type, "PER");
  EXPECT_EQ(span_text(ps[0], ps[0].entities[0]), "Webber MS");
  EXPECT_EQ(ps[1].entities[0].type, "LOC");
}

TEST(Conll, CrlfTrailingWhitespaceAndMissingFinalBlank) {
  auto ps = parse("IMGID:1\r\nA\tB-ORG  \r\nb\tO\t\r\n   \r\nIMGID:2\r\nc\tB-PER");
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(ps[0].tokens, (std::vector<std::string>{"A", "b"}));
  EXPECT_EQ(ps[0].entities[0].type, "ORG");
  EXPECT_EQ(ps[1].tokens.size(), 1u);
  EXPECT_EQ(ps[1].entities.size(), 1u);
}

TEST(Conll, ImgidWithoutBlankLineStartsNewPost) {
  auto ps = parse("IMGID:1\nA\tO\nIMGID:2\nB\tO\n");
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(ps[1].id, "2");
}

TEST(Conll, EmptyTokenKeepsAlignment) {
  auto ps = parse("IMGID:1\n\tO\nParis\tB-LOC\n");
  ASSERT_EQ(ps[0].tokens.size(), 2u);
  EXPECT_EQ(ps[0].tokens[0], "");
  EXPECT_EQ(ps[0].entities[0].start, 1);
}

TEST(Conll, SpaceSeparatedAndMiscMapping) {
  auto ps = parse("IMGID:1\nFest B-MISC\nof I-MISC\n");
  EXPECT_EQ(ps[0].entities[0].type, "OTHER");
  EXPECT_EQ(ps[0].entities[0].end, 2);
  ConllOptions keep;
  keep.map_misc_to_other = false;
  EXPECT_EQ(parse("IMGID:1\nFest\tB-MISC\n", keep)[0].entities[0].type, "MISC");
}

TEST(Conll, ConllevalDecoding) {
  // I- without B- starts a chunk; I-X after B-Y starts a new chunk; B-X after I-X too.
  auto e = decode_bio({"I-PER", "I-PER", "O", "B-LOC", "I-PER", "B-PER", "I-PER", "B-PER"});
  ASSERT_EQ(e.size(), 5u);
  EXPECT_EQ(e[0].start, 0);
  EXPECT_EQ(e[0].end, 2);
  EXPECT_EQ(e[1].type, "LOC");
  EXPECT_EQ(e[1].end, 4);
  EXPECT_EQ(e[2].type, "PER");
  EXPECT_EQ(e[2].start, 4);
  EXPECT_EQ(e[2].end, 5);
  EXPECT_EQ(e[3].start, 5);
  EXPECT_EQ(e[3].end, 7);
  EXPECT_EQ(e[4].start, 7);
  EXPECT_THROW(decode_bio({"X-PER"}), Error);
  EXPECT_THROW(decode_bio({"B-"}), Error);
}

TEST(Conll, EncodeBioOverlapAndRange) {
  std::vector<Entity> es = {test::ent(1, 3, "PER"), test::ent(0, 2, "LOC")};
  EXPECT_EQ(encode_bio(es, 4), (std::vector<std::string>{"B-LOC", "I-LOC", "O", "O"}));
  EXPECT_THROW(encode_bio({test::ent(2, 5, "PER")}, 4), Error);
}

TEST(Conll, RoundTrip) {
  const std::string src = "IMGID:1\nRT\tO\nWebber\tB-PER\nMS\tI-PER\n\nIMGID:2\nx\tB-OTHER\ny\tB-OTHER\n\n";
  auto ps = parse(src);
  std::ostringstream out;
  write_conll(out, ps);
  EXPECT_EQ(out.str(), src);
  EXPECT_EQ(parse(out.str()), ps);
}

TEST(Conll, OptionsForAnyTypeAndExtraColumns) {
  ConllOptions o;
  o.allowed_types.clear();
  o.extra_columns = true;
  auto ps = parse("IMGID:1\nCR7\tB-person\tB-athlete\nscores\tO\tO\n\n", o);
  ASSERT_EQ(ps.size(), 1u);
  ASSERT_EQ(ps[0].entities.size(), 1u);
  EXPECT_EQ(ps[0].entities[0].type, "person");  // the second column; later ones are ignored
  EXPECT_PARSE_ERROR(parse("IMGID:1\nAlone\n", o), "mem.txt", 2, "1 column");
}

TEST(Conll, ErrorsNameFileAndLine) {
  const std::string f = "mem.txt";
  EXPECT_PARSE_ERROR(parse("IMGID:1\nA\tO\nB\tB-PERSON\n"), f, 3, "unknown entity type");
  EXPECT_PARSE_ERROR(parse("IMGID:1\nA\tO\nB\tX-PER\n"), f, 3, "bad BIO tag");
  EXPECT_PARSE_ERROR(parse("IMGID:1\nA\tO\tO\n"), f, 2, "3 column");
  EXPECT_PARSE_ERROR(parse("IMGID:1\nAlone\n"), f, 2, "1 column");
  EXPECT_PARSE_ERROR(parse("IMGID:1\nA\tO\nb\xff\xfe\tO\n"), f, 3, "invalid UTF-8");
  EXPECT_PARSE_ERROR(parse("IMGID:1\nA\tO\n\xC0\xAF\tO\n"), f, 3, "invalid UTF-8");  // overlong
  EXPECT_PARSE_ERROR(parse("IMGID:\nA\tO\n"), f, 1, "empty IMGID");
  const std::string p = test::temp_file("bad.conll", "IMGID:1\nA\tO\n\nIMGID:2\nB\tI-\n");
  EXPECT_PARSE_ERROR(read_conll(p), p, 5, "bad BIO tag");
  EXPECT_THROW(read_conll(test::temp_dir() + "/missing.txt"), Error);
}

TEST(Conll, Utf8Validator) {
  EXPECT_EQ(find_invalid_utf8("caf\xC3\xA9 \xF0\x9F\x98\x80"), std::string::npos);
  EXPECT_EQ(find_invalid_utf8("ab\xED\xA0\x80"), 2u);  // surrogate
  EXPECT_EQ(find_invalid_utf8("ab\xE2\x82"), 2u);      // truncated
}

struct RealCounts {
  const char* file;
  size_t posts;
  long entities;
};

class ConllReal : public testing::TestWithParam<RealCounts> {};

TEST_P(ConllReal, CountsMatchTheRelease) {
  const std::string p = test::data(GetParam().file);
  SKIP_WITHOUT(p);
  auto ps = read_conll(p);
  EXPECT_EQ(ps.size(), GetParam().posts);
  EXPECT_EQ(count_entities(ps), GetParam().entities);
  for (const auto& post : ps) {
    EXPECT_FALSE(post.id.empty());
    for (const auto& e : post.entities) EXPECT_TRUE(e.type == "PER" || e.type == "LOC" || e.type == "ORG" || e.type == "OTHER");
  }
  // Writing and re-reading keeps every post (conlleval-decoded files re-encode as B-/I-).
  std::stringstream ss;
  write_conll(ss, ps);
  EXPECT_EQ(read_conll(ss, "rt"), ps);
}

INSTANTIATE_TEST_SUITE_P(Data, ConllReal,
                         testing::Values(RealCounts{"gmner/train.txt", 7000, 11779}, RealCounts{"gmner/dev.txt", 1500, 2450},
                                         RealCounts{"twitter2015/train.txt", 4000, 6352},
                                         RealCounts{"twitter2015/valid.txt", 1000, 1594},
                                         RealCounts{"twitter2017/train.txt", 3373, 6049},
                                         RealCounts{"twitter2017/valid.txt", 723, 1324}));
