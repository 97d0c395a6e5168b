#include "mie/core/post.h"

#include <gtest/gtest.h>

#include "mie/core/error.h"

TEST(Post, IouIsContinuousWithoutPlusOne) {
  mie::Box a{0, 0, 10, 10}, b{5, 0, 15, 10};
  EXPECT_FLOAT_EQ(mie::iou(a, b), 50.f / 150.f);
  EXPECT_FLOAT_EQ(mie::iou(a, a), 1.f);
  EXPECT_FLOAT_EQ(mie::iou(a, mie::Box{20, 20, 30, 30}), 0.f);
  EXPECT_FLOAT_EQ(mie::iou(mie::Box{}, mie::Box{}), 0.f);
}

TEST(Post, SpanTextJoinsWithSingleSpaces) {
  mie::Post p;
  p.tokens = {"RT", "Webber", "MS", "wins"};
  mie::Entity e{.start = 1, .end = 3, .type = "PER"};
  EXPECT_EQ(mie::span_text(p, e), "Webber MS");
}

TEST(Error, ParseErrorNamesFileAndLine) {
  mie::ParseError e("dev.txt", 17, "bad tag");
  EXPECT_STREQ(e.what(), "dev.txt:17: bad tag");
  EXPECT_EQ(e.line(), 17);
}
