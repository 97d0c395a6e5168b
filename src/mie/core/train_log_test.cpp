// core/train_log.h: lines formatted and sent to the callback, or to stderr without one.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mie/core/train_log.h"

TEST(TrainLog, LinesGoToTheCallback) {
  std::vector<std::string> got;
  const mie::TrainLog log = [&](const std::string& l) { got.push_back(l); };
  mie::say(log, mie::strprintf("%5d %7.2f %s", 3, 75.456, "*"));
  mie::say(log, mie::strprintf("%s", std::string(300, 'x').c_str()));  // longer than any fixed buffer
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], "    3   75.46 *");
  EXPECT_EQ(got[1].size(), 300u);
  testing::internal::CaptureStderr();
  mie::say(mie::TrainLog{}, "to stderr");
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "to stderr\n");
}
