#include "optscale/predict/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "optscale/util/error.hpp"

namespace optscale::predict {
namespace {

TEST(AverageRanks, TiesShareTheirMeanRank) {
  const std::vector<double> v{10, 20, 20, 5, 20};
  EXPECT_EQ(average_ranks(v), (std::vector<double>{2, 4, 4, 1, 4}));
}

TEST(Spearman, MonotoneIsOneReversedIsMinusOne) {
  const std::vector<double> a{1, 2, 3, 4, 5}, b{1, 4, 9, 16, 25}, c{5, 4, 3, 2, 1};
  EXPECT_NEAR(spearman(a, b), 1.0, 1e-15);
  EXPECT_NEAR(spearman(a, c), -1.0, 1e-15);
}

TEST(Spearman, MatchesTheRankFormulaWithoutTies) {
  // 1 - 6 sum d^2 / (n (n^2 - 1)) with d = rank differences (0, 1, -1, 1, -1).
  const std::vector<double> a{0.1, 0.2, 0.3, 0.4, 0.5}, b{0.1, 0.3, 0.2, 0.5, 0.4};
  EXPECT_NEAR(spearman(a, b), 1.0 - 6.0 * 4.0 / (5.0 * 24.0), 1e-14);
}

TEST(Spearman, ConstantSideGivesZero) {
  const std::vector<double> a{1, 2, 3}, b{7, 7, 7};
  EXPECT_EQ(spearman(a, b), 0.0);
}

TEST(RegressionMetrics, MaeRmseAndSpearman) {
  const std::vector<double> predicted{1.0, 2.0, 4.0}, truth{1.5, 2.0, 3.0};
  const auto m = regression_metrics(predicted, truth);
  EXPECT_NEAR(m.mae, 0.5, 1e-15);
  EXPECT_NEAR(m.rmse, std::sqrt((0.25 + 0.0 + 1.0) / 3.0), 1e-15);
  EXPECT_NEAR(m.spearman, 1.0, 1e-15);
}

TEST(RegressionMetrics, RejectsBadInput) {
  const std::vector<double> two{1, 2}, three{1, 2, 3}, empty;
  EXPECT_THROW(regression_metrics(two, three), Error);
  EXPECT_THROW(regression_metrics(empty, empty), Error);
  const std::vector<double> with_nan{1, std::numeric_limits<double>::quiet_NaN()};
  EXPECT_THROW(regression_metrics(with_nan, two), Error);
}

}  // namespace
}  // namespace optscale::predict
