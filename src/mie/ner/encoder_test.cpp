#include "mie/ner/encoder.h"

#include <gtest/gtest.h>

namespace {
using namespace mie::ner;

TEST(Knowledge, ParsesTheRiVEGListFormat) {
  auto ents = parse_knowledge(
      "Named entities:1. Ketan Shah (person)2. KPMG (company)3. Tanzania (location)4. Data Lake Foundation "
      "(organization/project) 5. Menhla (concept/religious figure)Reasoning:The sentence mentions 2. Nothing (x).");
  ASSERT_EQ(ents.size(), 5u);
  EXPECT_EQ(ents[0].keys, (std::vector<std::string>{"ketan", "shah"}));
  EXPECT_EQ(ents[0].type, 0);
  EXPECT_EQ(ents[1].keys, (std::vector<std::string>{"kpmg"}));
  EXPECT_EQ(ents[1].type, 2);
  EXPECT_EQ(ents[2].type, 1);
  EXPECT_EQ(ents[3].keys.size(), 3u);
  EXPECT_EQ(ents[3].type, 2);
  EXPECT_EQ(ents[4].type, 3);
  EXPECT_TRUE(parse_knowledge("Named entities may not be present in this sentence.").empty());
  EXPECT_TRUE(parse_knowledge("").empty());
}

}  // namespace
