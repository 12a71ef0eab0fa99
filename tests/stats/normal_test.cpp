#include "optscale/stats/normal.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>

#include "reference_table.hpp"

namespace optscale::stats {
namespace {

// Independent reference for log Phi in the far lower tail: Laplace's continued
// fraction for the Mills ratio, evaluated in long double (backward recursion).
long double log_phi_continued_fraction(long double x) {
  long double t = 0.0L;
  for (int k = 200; k >= 1; --k) t = k / (-x + t);
  const long double mills = 1.0L / (-x + t);
  return -0.5L * x * x - 0.918938533204672741780329736406L + std::log(mills);
}

TEST(LogNormalCdf, MatchesErfcInTheBody) {
  for (double x = -19.5; x <= 8.0; x += 0.25) {
    const long double xl = x;
    // log1p of the upper tail above 0, so the reference keeps its own digits.
    const long double ref = x > 0 ? std::log1p(-0.5L * std::erfc(xl / std::sqrt(2.0L)))
                                  : std::log(0.5L * std::erfc(-xl / std::sqrt(2.0L)));
    EXPECT_NEAR(log_normal_cdf(x), static_cast<double>(ref),
                1e-14 * std::fabs(static_cast<double>(ref)) + 1e-300)
        << "x=" << x;
  }
}

TEST(LogNormalCdf, MatchesContinuedFractionInTheFarTail) {
  for (double x : {-20.0, -25.0, -38.0, -40.0, -100.0, -1e3, -1e5, -1e8}) {
    const double ref = static_cast<double>(log_phi_continued_fraction(x));
    EXPECT_NEAR(log_normal_cdf(x), ref, 2e-15 * std::fabs(ref)) << "x=" << x;
  }
}

TEST(LogNormalInterval, TinyIntervalsAndTails) {
  // Straddling zero, width 1e-12: Phi(y)-Phi(x) ~ phi(0) * width.
  EXPECT_NEAR(log_normal_interval(-0.5e-12, 0.5e-12), std::log(0.3989422804014327 * 1e-12), 1e-10);
  // Upper tail: Phi(41) - Phi(40) = Phi(-40) - Phi(-41) ~ Phi(-40).
  EXPECT_NEAR(log_normal_interval(40.0, 41.0), log_normal_cdf(-40.0), 1e-12 * 800);
  EXPECT_EQ(log_normal_interval(1.0, 1.0), kNegInf);
  EXPECT_TRUE(std::isnan(log_normal_interval(2.0, 1.0)));
}

TEST(NormalQuantileFromLog, InvertsLogCdf) {
  for (double x = -1000.0; x <= 8.0; x += (x < -40 ? 37.0 : 0.37)) {
    const double lp = log_normal_cdf(x);
    EXPECT_NEAR(normal_quantile_from_log(lp), x, 1e-12 * (1.0 + std::fabs(x))) << "x=" << x;
  }
}

TEST(LogNormalCdf, MatchesMpmath) {
  // tests/data table: log Phi and log R = log(Phi/phi) from 60-digit mpmath,
  // x from -1e8 to 20. Relative error of the log.
  double worst_cdf = 0, worst_mills = 0;
  for (const auto& row : testing::reference_rows("normal")) {
    const double x = row.number(0);
    const double e_cdf = testing::relative_error(log_normal_cdf(x), row.number(1));
    const double e_mills = testing::relative_error(log_mills_ratio(x), row.number(2), 1.0);
    EXPECT_LE(e_cdf, 2e-15) << "log_normal_cdf(" << x << ")";
    EXPECT_LE(e_mills, 2e-15) << "log_mills_ratio(" << x << ")";
    worst_cdf = std::max(worst_cdf, e_cdf);
    worst_mills = std::max(worst_mills, e_mills);
  }
  std::cout << "worst relative error: log_normal_cdf " << worst_cdf << ", log_mills_ratio "
            << worst_mills << "\n";
}

TEST(LogNormalInterval, MatchesMpmath) {
  double worst = 0;
  for (const auto& row : testing::reference_rows("interval")) {
    const double x = row.number(0), y = row.number(1);
    const double e = testing::relative_error(log_normal_interval(x, y), row.number(2), 1.0);
    EXPECT_LE(e, 4e-15) << "log_normal_interval(" << x << ", " << y << ")";
    worst = std::max(worst, e);
  }
  std::cout << "worst relative error: log_normal_interval " << worst << "\n";
}

TEST(LogNormalMassScaled, StaysExactFarOut) {
  // The mass of [b - 1e-3, b] against phi(b) at b = -5e7: Phi(b) underflows and
  // its log (~ -1.25e15) has an ulp of 0.25, yet the ratio is
  // (1 - exp(-|b| 1e-3)) R(b) to first order, here 1/|b| (1 - e^-5e4).
  const double b = -5e7, width = 1e-3;
  const double got = log_normal_mass_scaled(b - width, b, b, width, -width, 0.0);
  EXPECT_NEAR(got, log_mills_ratio(b), 1e-15 * 20);
  // Narrow interval: 2h phi(m) to first order.
  const double narrow = log_normal_mass_scaled(b - 1e-12, b, b, 1e-12, -1e-12, 0.0);
  EXPECT_NEAR(narrow,
              std::log(1e-12) - 0.5 * (-0.5e-12) * (2 * b - 0.5e-12) +
                  std::log1p((b * b - 1) * 0.25e-24 / 6),
              1e-12);
  EXPECT_EQ(log_normal_mass_scaled(1.0, 1.0, 0.0, 0.0, 1.0, 1.0), kNegInf);
  EXPECT_TRUE(std::isnan(log_normal_mass_scaled(2.0, 1.0, 0.0, -1.0, 2.0, 1.0)));
}

TEST(Log1mExp, BothBranches) {
  EXPECT_NEAR(log1m_exp(-1e-20), std::log(1e-20), 1e-12);
  EXPECT_NEAR(log1m_exp(-50.0), -std::exp(-50.0), 1e-30);
  EXPECT_EQ(log1m_exp(0.0), kNegInf);
}

}  // namespace
}  // namespace optscale::stats
