// core/progress.h: the line it draws, and that it draws nothing when stderr is not a terminal.
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "mie/core/progress.h"

namespace {

TEST(Progress, LineShowsCountRateBarAndEta) {
  EXPECT_EQ(mie::Progress::line("predict", 500, 250, 1000, 10.0),
            "predict: [######..................]  25% 500 posts, 50 posts/s, ETA 0:30");
  EXPECT_EQ(mie::Progress::line("export", 1200, 0, 0, 2.0), "export: 1200 posts, 600 posts/s");
}

TEST(Progress, DrawsOnlyWhenEnabled) {
  std::ostringstream off, on;
  setenv("MIE_PROGRESS", "0", 1);
  {
    mie::Progress bar("x", 10, &off);
    bar.update(5);
  }
  setenv("MIE_PROGRESS", "1", 1);
  {
    mie::Progress bar("x", 10, &on);
    bar.update(5);
  }
  unsetenv("MIE_PROGRESS");
  EXPECT_EQ(off.str(), "");
  EXPECT_NE(on.str().find("x: [############............]  50% 5 posts"), std::string::npos);
  EXPECT_EQ(on.str().substr(on.str().size() - 4), "\r\033[K");  // cleared at the end
}

}  // namespace
