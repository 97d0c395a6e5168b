#include "mie/io/aux.h"

#include <gtest/gtest.h>

#include "mie/io/conll.h"
#include "mie/io/test_util.h"

using namespace mie;
using namespace mie::io;

TEST(Aux, ReadsAndAttaches) {
  const std::string p = test::temp_file("caps.jsonl",
                                        "{\"image\": \"1.jpg\", \"caption\": \"a dog\"}\r\n\n"
                                        "{\"image\": \"dir/2.png\", \"caption\": \"a cat\"}\n{\"image\": \"1.jpg\", \"caption\": \"a dog\"}\n");
  AuxMap caps = read_captions(p);
  ASSERT_EQ(caps.size(), 2u);
  EXPECT_EQ(caps.at("1"), "a dog");
  EXPECT_EQ(caps.at("2"), "a cat");
  std::vector<Post> ps(3);
  ps[0].id = "1";
  ps[1].id = "x";
  ps[1].image = ImageRef{"imgs/2.jpg", 0, 0};
  ps[2].id = "3";
  AuxAttachStats st = attach_aux(ps, caps, {{"3", "knows"}});
  EXPECT_EQ(ps[0].caption, "a dog");
  EXPECT_EQ(ps[1].caption, "a cat");
  EXPECT_EQ(ps[2].knowledge, "knows");
  EXPECT_EQ(st.captions, 2);
  EXPECT_EQ(st.missing_caption, 1);
  EXPECT_EQ(st.knowledge, 1);
  EXPECT_EQ(st.missing_knowledge, 2);
  EXPECT_EQ(image_key("a/b/575705.jpg"), "575705");
}

TEST(Aux, Errors) {
  const std::string a = test::temp_file("a1.jsonl", "{\"image\": \"1.jpg\", \"caption\": \"x\"}\n{\"image\": \"1.jpg\", \"caption\": \"y\"}\n");
  EXPECT_PARSE_ERROR(read_captions(a), a, 2, "different caption");
  const std::string b = test::temp_file("a2.jsonl", "{\"image\": \"1.jpg\", \"caption\": \"x\"}\n{\"image\": 3}\n");
  EXPECT_PARSE_ERROR(read_captions(b), b, 2, "string \"image\"");
  const std::string c = test::temp_file("a3.jsonl", "{\"image\": \"1.jpg\", \"knowledge\": \"x\"}\n");
  EXPECT_PARSE_ERROR(read_captions(c), c, 1, "missing string field \"caption\"");
  const std::string d = test::temp_file("a4.jsonl", "{\"image\": \"1.jpg\", \"caption\": \"x\"}\n{oops\n");
  EXPECT_PARSE_ERROR(read_captions(d), d, 2, "invalid JSON");
}

TEST(AuxReal, CoversGmnerPosts) {
  const std::string k = test::data("aux/gmner-llm-knowledge.jsonl"), c = test::data("aux/captions-blip2.jsonl");
  const std::string o = test::data("aux/captions-owl.jsonl"), dev = test::data("gmner/dev.txt");
  SKIP_WITHOUT(k);
  AuxMap know = read_knowledge(k), blip = read_captions(c), owl = read_captions(o);
  EXPECT_EQ(know.size(), 10000u);
  EXPECT_EQ(blip.size(), 13106u);  // 13,107 lines, one image listed twice with the same caption
  EXPECT_EQ(owl.size(), 9997u);
  for (const char* split : {"gmner/train.txt", "gmner/dev.txt"}) {
    auto ps = read_conll(test::data(split));
    AuxAttachStats st = attach_aux(ps, blip, know);
    EXPECT_EQ(st.missing_knowledge, 0) << split;
    EXPECT_EQ(st.missing_caption, 0) << split;
    EXPECT_FALSE(ps[0].knowledge.empty());
    AuxAttachStats so = attach_aux(ps, owl, {});
    std::cerr << split << ": " << so.missing_caption << " posts without an mPLUG-Owl caption\n";
  }
}
