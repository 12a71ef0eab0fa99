#include "optscale/stats/normal.hpp"

#include <gtest/gtest.h>

#include <cmath>

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
    EXPECT_NEAR(log_normal_cdf(x), static_cast<double>(ref), 1e-14 * std::fabs(static_cast<double>(ref)) + 1e-300)
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

TEST(Log1mExp, BothBranches) {
  EXPECT_NEAR(log1m_exp(-1e-20), std::log(1e-20), 1e-12);
  EXPECT_NEAR(log1m_exp(-50.0), -std::exp(-50.0), 1e-30);
  EXPECT_EQ(log1m_exp(0.0), kNegInf);
}

}  // namespace
}  // namespace optscale::stats
