// kg/graph.h: names, the merge rule, and one post written in each RDF format.
#include <gtest/gtest.h>

#include <sstream>

#include "mie/core/error.h"
#include "mie/kg/graph.h"
#include "mie/kg/neo4j.h"

namespace {

mie::Post post() {
  mie::Post p;
  p.id = "7 x";
  p.tokens = {"@", "Messi", "\"quoted\"", "Barcelona"};
  p.image = mie::ImageRef{"a b.jpg", 640, 480, nullptr};
  mie::Entity e{.start = 1, .end = 2, .type = "PER", .score = 0.5f, .groundable = true};
  e.boxes.push_back({10.4f, 20.6f, 110.5f, 220.f});
  p.entities = {e, mie::Entity{.start = 2, .end = 4, .type = "ORG"}};
  p.relations = {{0, 1, "/per/org/member_of", 0.75f}};
  return p;
}

TEST(Kg, NamesAndTheMergeRule) {
  EXPECT_EQ(mie::kg::normalise_name("@Messi ."), "messi");
  EXPECT_EQ(mie::kg::normalise_name("  Lionel   MESSI "), "lionel messi");
  EXPECT_EQ(mie::kg::normalise_name("#CruzCrew"), "cruzcrew");
  EXPECT_EQ(mie::kg::normalise_name("Café"), "café");  // non-ASCII kept as is
  EXPECT_EQ(mie::kg::iri_escape("a b/é"), "a%20b%2F%C3%A9");
  EXPECT_EQ(mie::kg::iri_escape("a b/c", true), "a%20b/c");
  EXPECT_EQ(mie::kg::region_iri("file:///x.jpg", {10.4f, 20.6f, 110.5f, 220.f}), "file:///x.jpg#xywh=10,21,101,199");
  EXPECT_EQ(mie::kg::relation_property("/per/org/member_of"), "https://mie.invalid/ns/rel/per/org/member_of");
  EXPECT_EQ(mie::kg::neo4j_type("/per/org/member_of"), "PER_ORG_MEMBER_OF");
  mie::kg::GraphOptions o;
  EXPECT_EQ(mie::kg::image_iri(o, "/d/1.jpg"), "file:///d/1.jpg");
  EXPECT_EQ(mie::kg::image_iri(o, "upload"), "");
  o.image_base = "http://img.example/";
  EXPECT_EQ(mie::kg::image_iri(o, "x/1.jpg"), "http://img.example/x/1.jpg");
}

TEST(Kg, EachFormatWritesTheSameTriples) {
  long counts[3];
  std::string text[3];
  const mie::kg::RdfFormat formats[] = {mie::kg::RdfFormat::kNTriples, mie::kg::RdfFormat::kTurtle,
                                        mie::kg::RdfFormat::kJsonLd};
  for (int i = 0; i < 3; ++i) {
    std::ostringstream out;
    mie::kg::RdfWriter w(out, formats[i]);
    w.add(post());
    w.add(post());  // the same entities again: typed and named once
    counts[i] = w.finish();
    text[i] = out.str();
  }
  EXPECT_EQ(counts[0], counts[1]);
  EXPECT_EQ(counts[0], counts[2]);
  EXPECT_NE(text[0].find("\"\\\"quoted\\\" Barcelona\""), std::string::npos);  // escaped literal
  EXPECT_NE(text[0].find("<https://mie.invalid/data/image/a%20b.jpg#xywh=10,21,101,199>"), std::string::npos);
  EXPECT_NE(text[1].find("@prefix mie: <https://mie.invalid/ns/> ."), std::string::npos);
  EXPECT_EQ(text[2].front(), '[');
  size_t names = 0;
  for (size_t at = 0; (at = text[0].find("<https://schema.org/name>", at)) != std::string::npos; ++at) ++names;
  EXPECT_EQ(names, 2u);  // two entities, each named once over both posts
  EXPECT_THROW(mie::kg::parse_rdf_format("xml"), mie::Error);
}

}  // namespace
