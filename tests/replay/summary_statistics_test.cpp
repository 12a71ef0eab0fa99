#include "optscale/replay/summary_statistics.hpp"
#include "optscale/replay/figure.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "optscale/util/error.hpp"

namespace optscale::replay {
namespace {

TEST(StudentT, CriticalValuesMatchPublishedTables) {
  // 97.5% quantiles (two-sided 95%), computed to 30 digits with mpmath
  // (root of 1 - I_{df/(df+t^2)}(df/2, 1/2) / 2 = 0.975).
  const std::vector<std::pair<int, double>> table = {
      {1, 12.706204736174705}, {2, 4.3026527297494639}, {3, 3.1824463052837096},
      {5, 2.5705818356363155}, {10, 2.2281388519862747}, {30, 2.0422724563012383},
      {100, 1.9839715185235523}, {499, 1.9647293909876891}, {4999, 1.9604386466615249}};
  for (const auto& [df, expected] : table)
    EXPECT_NEAR(student_t_critical(0.95, df), expected, 1e-9 * expected) << "df=" << df;
  // 99% two-sided, df = 4 (same method).
  EXPECT_NEAR(student_t_critical(0.99, 4), 4.6040948713499932, 1e-9);
}

TEST(StudentT, TwoSidedMassClosedForms) {
  // df = 1 is Cauchy: P(|T| <= t) = 2 atan(t) / pi.
  EXPECT_NEAR(student_t_two_sided_mass(1.0, 1), 0.5, 1e-15);
  // df = 2: P(|T| <= t) = t / sqrt(t^2 + 2).
  for (double t : {0.3, 1.0, 4.0, 30.0})
    EXPECT_NEAR(student_t_two_sided_mass(t, 2), t / std::sqrt(t * t + 2.0), 1e-15) << t;
  EXPECT_DOUBLE_EQ(student_t_two_sided_mass(0.0, 7), 0.0);
  EXPECT_DOUBLE_EQ(student_t_two_sided_mass(-1.5, 7), student_t_two_sided_mass(1.5, 7));
  EXPECT_DOUBLE_EQ(student_t_two_sided_mass(INFINITY, 3), 1.0);
}

TEST(StudentT, RejectsBadArguments) {
  EXPECT_THROW(student_t_critical(1.0, 5), Error);
  EXPECT_THROW(student_t_critical(0.0, 5), Error);
  EXPECT_THROW(student_t_critical(0.95, 0), Error);
  EXPECT_THROW(student_t_two_sided_mass(1.0, 0), Error);
}

TEST(MeanInterval, HandComputedExample) {
  // values 1, 2, 3, 4: mean 2.5, s = sqrt(5/3), t(0.975, 3) = 3.1824463052837096.
  const std::vector<double> values = {1, 2, 3, 4};
  const MeanInterval interval = mean_with_t_interval(values);
  const double half = 3.1824463052837096 * std::sqrt(5.0 / 3.0) / 2.0;
  EXPECT_DOUBLE_EQ(interval.mean, 2.5);
  ASSERT_TRUE(interval.lo && interval.hi);
  EXPECT_NEAR(*interval.lo, 2.5 - half, 1e-12);
  EXPECT_NEAR(*interval.hi, 2.5 + half, 1e-12);
}

TEST(MeanInterval, SingleValueHasNoIntervalAndConstantValuesAZeroWidthOne) {
  const std::vector<double> one = {0.7};
  const MeanInterval single = mean_with_t_interval(one);
  EXPECT_DOUBLE_EQ(single.mean, 0.7);
  EXPECT_FALSE(single.lo.has_value());
  const std::vector<double> same = {1, 1, 1};
  const MeanInterval constant = mean_with_t_interval(same);
  EXPECT_DOUBLE_EQ(*constant.lo, 1.0);
  EXPECT_DOUBLE_EQ(*constant.hi, 1.0);
}

TEST(MeanInterval, EmptyInputIsAnError) {
  EXPECT_THROW(mean_of(std::vector<double>{}), Error);
  EXPECT_THROW(mean_with_t_interval(std::vector<double>{}), Error);
}

// The standard error the recommendation's one-standard-error rule reads.
TEST(Figure, CarriesTheStandardErrorOfTheMeanOverProblems) {
  const std::vector<double> accuracy = {1.0, 0.0, 1.0, 1.0};  // sample std 0.5
  const Figure figure = summarize_figure(accuracy, 0.95, FigureRange::fraction);
  EXPECT_DOUBLE_EQ(figure.mean, 0.75);
  EXPECT_DOUBLE_EQ(figure.se, 0.25);
  const std::vector<double> one = {1.0};
  EXPECT_EQ(summarize_figure(one, 0.95, FigureRange::fraction).se, 0.0);
}

TEST(SampleStd, UsesNMinusOne) {
  EXPECT_DOUBLE_EQ(sample_std(std::vector<double>{2, 4, 4, 4, 5, 5, 7, 9}), std::sqrt(32.0 / 7.0));
  EXPECT_DOUBLE_EQ(sample_std(std::vector<double>{3}), 0.0);
}

TEST(Mean, CompensatedSumKeepsSmallTerms) {
  std::vector<double> values(1001, 1.0);
  values[0] = 1e16;
  // Naive left-to-right summation loses every 1.0 next to 1e16.
  EXPECT_DOUBLE_EQ(mean_of(values), (1e16 + 1000.0) / 1001.0);
}

}  // namespace
}  // namespace optscale::replay

#include "optscale/replay/figure.hpp"

namespace optscale::replay {
namespace {

TEST(SummarizeFigure, IntervalsStayInsideTheFiguresRange) {
  // Wide intervals from three values: t(0.975, 2) = 4.30.
  const std::vector<double> tokens = {10, 1000, 10};
  const Figure t = summarize_figure(tokens, 0.95, FigureRange::nonnegative);
  EXPECT_DOUBLE_EQ(t.mean, 340.0);
  EXPECT_DOUBLE_EQ(*t.ci_lo, 0.0);
  EXPECT_GT(*t.ci_hi, 1000.0);
  const std::vector<double> accuracy = {1, 1, 0};
  const Figure a = summarize_figure(accuracy, 0.95, FigureRange::fraction);
  EXPECT_DOUBLE_EQ(*a.ci_lo, 0.0);
  EXPECT_DOUBLE_EQ(*a.ci_hi, 1.0);
  // Inside the range nothing is clipped: {0.4, 0.6} x 5 has mean 0.5,
  // s = sqrt(0.1 / 9), t(0.975, 9) = 2.2621571627982055 (mpmath).
  const std::vector<double> mid = {0.4, 0.6, 0.4, 0.6, 0.4, 0.6, 0.4, 0.6, 0.4, 0.6};
  const Figure m = summarize_figure(mid, 0.95, FigureRange::fraction);
  const double half = 2.2621571627982055 * std::sqrt(0.1 / 9.0) / std::sqrt(10.0);
  EXPECT_NEAR(*m.ci_lo, 0.5 - half, 1e-12);
  EXPECT_NEAR(*m.ci_hi, 0.5 + half, 1e-12);
  EXPECT_FALSE(summarize_figure(std::vector<double>{0.3}, 0.95, FigureRange::fraction).ci_lo.has_value());
}

}  // namespace
}  // namespace optscale::replay
