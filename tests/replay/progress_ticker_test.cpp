#include "optscale/replay/progress_ticker.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace optscale::replay {
namespace {

using Clock = ProgressTicker::Clock;
using std::chrono::milliseconds;

TEST(ProgressTicker, QuietDuringTheFirstIntervalThenOneLinePerInterval) {
  std::vector<std::string> lines;
  ProgressTicker ticker(10, [&](const std::string& line) { lines.push_back(line); }, milliseconds(1000));
  const Clock::time_point start = Clock::now();
  ticker.tick_at(start + milliseconds(100));
  ticker.tick_at(start + milliseconds(900));
  EXPECT_TRUE(lines.empty());
  ticker.tick_at(start + milliseconds(2000));  // 3 of 10 after 2 s: 4.7 s left
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].substr(0, 35), "replayed 3/10 problems (30%), 2.0 s");
  EXPECT_NE(lines[0].find("about 4.7 s left"), std::string::npos) << lines[0];
  ticker.tick_at(start + milliseconds(2500));  // within the interval of the last line
  EXPECT_EQ(lines.size(), 1u);
  ticker.tick_at(start + milliseconds(3100));
  EXPECT_EQ(lines.size(), 2u);
}

TEST(ProgressTicker, TheLastUnitPrintsNothing) {
  std::vector<std::string> lines;
  ProgressTicker ticker(1, [&](const std::string& line) { lines.push_back(line); }, milliseconds(1));
  ticker.tick_at(Clock::now() + std::chrono::seconds(5));
  EXPECT_TRUE(lines.empty());  // the job prints its own closing line
}

TEST(ProgressTicker, WithoutASinkItIsSilent) {
  ProgressTicker ticker(3, {});
  ticker.tick();  // must not crash
  SUCCEED();
}

}  // namespace
}  // namespace optscale::replay
