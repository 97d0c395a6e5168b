#include "mie/io/voc.h"

#include <gtest/gtest.h>

#include "mie/io/conll.h"
#include "mie/io/test_util.h"

using namespace mie;
using namespace mie::io;

namespace {
std::string xml_obj(const std::string& name, int x1, int y1, int x2, int y2) {
  return "<object><name>" + name + "</name><bndbox><xmin>" + std::to_string(x1) + "</xmin><ymin>" + std::to_string(y1) +
         "</ymin><xmax>" + std::to_string(x2) + "</xmax><ymax>" + std::to_string(y2) + "</ymax></bndbox></object>";
}
std::string xml(const std::string& objs) {
  return "<annotation>\n<filename>7.jpg</filename>\n<size><width>600</width><height>300</height><depth>3</depth></size>\n" +
         objs + "\n</annotation>\n";
}
}  // namespace

TEST(Voc, ReadsRealSample) {
  const std::string p = test::data("gmner/xml/1953977.xml");
  SKIP_WITHOUT(p);
  VocAnnotation a = read_voc(p);
  EXPECT_EQ(a.filename, "1953977.jpg");
  EXPECT_EQ(a.width, 600);
  EXPECT_EQ(a.height, 300);
  ASSERT_EQ(a.objects.size(), 2u);
  EXPECT_EQ(a.objects[0].name, "Angelina Jolie");
  EXPECT_EQ(a.objects[0].box, (Box{14, 2, 285, 300}));
  EXPECT_EQ(a.objects[1].box, (Box{298, 18, 574, 300}));
}

TEST(Voc, AttachSharesBoxesByNameAndCountsUnmatched) {
  const std::string dir = test::temp_dir() + "/voc_attach";
  std::filesystem::create_directories(dir);
  test::temp_file("voc_attach/7.xml", xml(xml_obj("Ted Cruz", 1, 2, 3, 4) + xml_obj("Ted Cruz", 5, 6, 7, 8) +
                                          xml_obj("Nobody", 0, 0, 1, 1)));
  Post p;
  p.id = "7";
  p.tokens = {"Ted", "Cruz", "and", "Ted", "Cruz", "in", "Texas"};
  p.entities = {test::ent(0, 2, "PER"), test::ent(3, 5, "PER"), test::ent(6, 7, "LOC")};
  Post q;
  q.id = "8";  // no XML
  q.tokens = {"x"};
  q.entities = {test::ent(0, 1, "PER")};
  std::vector<Post> ps = {p, q};
  VocAttachStats st = attach_voc_boxes(ps, dir, false);
  EXPECT_EQ(st.posts_with_xml, 1);
  EXPECT_EQ(st.objects, 3);
  EXPECT_EQ(st.unmatched_objects, 1);
  ASSERT_EQ(st.unmatched.size(), 1u);
  EXPECT_EQ(st.unmatched[0], "7: Nobody");
  EXPECT_EQ(st.groundable_entities, 2);
  EXPECT_EQ(ps[0].entities[0].boxes.size(), 2u);
  EXPECT_EQ(ps[0].entities[1].boxes, ps[0].entities[0].boxes);
  EXPECT_TRUE(ps[0].entities[1].groundable);
  EXPECT_FALSE(ps[0].entities[2].groundable);
  ASSERT_TRUE(ps[0].image.has_value());
  EXPECT_EQ(ps[0].image->path, "7.jpg");
  EXPECT_EQ(ps[0].image->width, 600);
  EXPECT_FALSE(ps[1].entities[0].groundable);
  EXPECT_EQ(ps[1].image->width, 0);
}

TEST(Voc, MalformedXmlNamesFileAndLine) {
  const std::string a = test::temp_file("bad1.xml", "<annotation>\n<object>\n<name>x</name>\n</annotation>\n");
  EXPECT_PARSE_ERROR(read_voc(a), a, 4, "XML error");
  const std::string b = test::temp_file("bad2.xml", xml("<object><name>x</name>\n<bndbox><xmin>1</xmin><ymin>a</ymin>"
                                                         "<xmax>2</xmax><ymax>3</ymax></bndbox></object>"));
  EXPECT_PARSE_ERROR(read_voc(b), b, 5, "not a number");
  const std::string c = test::temp_file("bad3.xml", xml("<object><name>x</name></object>"));
  EXPECT_PARSE_ERROR(read_voc(c), c, 4, "without <bndbox>");
  const std::string d = test::temp_file("bad4.xml", "<root/>");
  EXPECT_PARSE_ERROR(read_voc(d), d, 0, "no <annotation>");
  EXPECT_THROW(read_voc(test::temp_dir() + "/none.xml"), Error);
}

class VocReal : public testing::TestWithParam<std::pair<const char*, long>> {};

TEST_P(VocReal, GroundableCounts) {
  const std::string txt = test::data(GetParam().first), dir = test::data("gmner/xml");
  SKIP_WITHOUT(txt);
  SKIP_WITHOUT(dir);
  auto ps = read_conll(txt);
  VocAttachStats st = attach_voc_boxes(ps, dir, false);
  long g = 0;
  for (const auto& p : ps)
    for (const auto& e : p.entities) {
      g += e.groundable;
      EXPECT_EQ(e.groundable, !e.boxes.empty());
    }
  EXPECT_EQ(g, GetParam().second);
  EXPECT_EQ(st.groundable_entities, GetParam().second);
  std::cerr << GetParam().first << ": " << st.posts_with_xml << " posts with XML, " << st.objects << " objects, "
            << st.unmatched_objects << " unmatched\n";
  for (size_t i = 0; i < st.unmatched.size() && i < 5; ++i) std::cerr << "  unmatched " << st.unmatched[i] << "\n";
}

INSTANTIATE_TEST_SUITE_P(Data, VocReal,
                         testing::Values(std::make_pair("gmner/dev.txt", 991L), std::make_pair("gmner/train.txt", 4733L)));
