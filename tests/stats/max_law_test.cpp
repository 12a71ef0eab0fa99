// The law of the maximum of N draws against the mpmath table (expected
// maximum and marginal gain by 60-digit tanh-sinh quadrature between
// quantiles; see tests/data/gen_truncated_normal_reference.py), plus its
// identities.
#include "optscale/stats/max_law.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <limits>

#include "optscale/util/error.hpp"
#include "reference_table.hpp"

namespace optscale::stats {
namespace {

using testing::reference_rows;

// E[M_N]: absolute error against the spread of M_N (its 10%-90% range) and
// two ulps of E itself, whichever is larger.
constexpr double kExpectedTolSpread = 1e-14;
// E[M_{N+1}] - E[M_N]: relative error, or a twentieth of the spacing of
// doubles at E[M_N] for laws piled within ~1e-14 of 1, whose gain is below
// the resolution any score has there (the quadrature nodes are doubles).
constexpr double kGainRelTol = 1e-12;
constexpr double kGainUlpFraction = 0.05;

TEST(MaxOfN, ExpectedAndMarginalGainMatchMpmath) {
  double worst_e = 0, worst_g = 0;
  for (const auto& row : reference_rows("maxlaw")) {
    const double mu = row.number(0), sigma = row.number(1);
    const int n = static_cast<int>(row.number(2));
    const long double want_e = row.long_number(3), want_g = row.long_number(4);
    const double spread = row.number(5);
    const TruncatedNormal law(mu, sigma);
    const double got_e = MaxOfN(law, n).expected();
    const double got_g = marginal_gain(law, n);
    const double ulp2 =
        2.0 * (std::nextafter(static_cast<double>(want_e), 2.0) - static_cast<double>(want_e));
    const double err_e = static_cast<double>(std::fabs(got_e - want_e));
    EXPECT_LE(err_e, std::max(kExpectedTolSpread * spread, ulp2))
        << "E[M_" << n << "] mu=" << mu << " sigma=" << sigma << " got " << got_e << " want "
        << row.text[3];
    const double err_g = static_cast<double>(std::fabs(got_g - want_g));
    const double spacing =
        std::nextafter(static_cast<double>(want_e), 2.0) - static_cast<double>(want_e);
    EXPECT_LE(err_g,
              std::max(kGainRelTol * static_cast<double>(want_g), kGainUlpFraction * spacing))
        << "gain at " << n << " mu=" << mu << " sigma=" << sigma << " got " << got_g << " want "
        << row.text[4];
    if (err_e > ulp2) worst_e = std::max(worst_e, err_e / spread);
    if (err_g > kGainUlpFraction * spacing) {
      worst_g = std::max(worst_g, static_cast<double>(err_g / want_g));
    }
  }
  std::cout << "worst E[M_N] error / spread (beyond 2 ulp of E): " << worst_e
            << "; worst gain relative error (beyond 1/20 ulp of E): " << worst_g << "\n";
}

TEST(MaxOfN, ExpectedOfOneDrawIsTheMeanOfTheLaw) {
  for (const auto& row : reference_rows("moments")) {
    const double mu = row.number(0), sigma = row.number(1);
    const long double mean = row.long_number(2), variance = row.long_number(3);
    const double got = MaxOfN(TruncatedNormal(mu, sigma), 1).expected();
    EXPECT_LE(static_cast<double>(std::fabs(got - mean)),
              std::max(1e-11 * std::sqrt(static_cast<double>(variance)), 2.3e-16))
        << "mu=" << mu << " sigma=" << sigma;
  }
}

TEST(MaxOfN, CdfIsThePowerOfTheLawsCdf) {
  const TruncatedNormal law(0.9, 0.05);
  const MaxOfN max8(law, 8);
  for (double s : {0.5, 0.8, 0.9, 0.97, 0.999}) {
    EXPECT_DOUBLE_EQ(max8.log_cdf(s), 8 * law.log_cdf(s));
    EXPECT_NEAR(max8.cdf(s), std::pow(law.cdf(s), 8), 1e-15);
    // survival keeps its relative precision where F^N is close to 1.
    const long double f = law.cdf(s);
    EXPECT_NEAR(max8.survival(s), static_cast<double>(1 - std::pow(f, 8)),
                1e-13 * max8.survival(s) + 1e-300);
  }
  EXPECT_EQ(max8.log_cdf(0.0), -INFINITY);
  EXPECT_EQ(max8.log_cdf(1.0), 0.0);
  EXPECT_EQ(max8.survival(1.0), 0.0);
  EXPECT_EQ(max8.survival(0.0), 1.0);
  // Far above the mass, 1 - F^N is tiny and still not rounded to 0.
  const MaxOfN max64(TruncatedNormal(0.5, 0.01), 64);
  EXPECT_GT(max64.survival(0.6), 0.0);
  EXPECT_NEAR(std::log(max64.survival(0.6)),
              std::log(64.0) + TruncatedNormal(0.5, 0.01).log_survival(0.6), 1e-10);
}

TEST(MaxOfN, QuantileInvertsTheCdf) {
  const TruncatedNormal law(0.95, 0.02);
  for (int n : {1, 3, 64, 100000}) {
    const MaxOfN m(law, n);
    for (double p : {1e-9, 0.05, 0.5, 0.95, 1 - 1e-9}) {
      const double s = m.quantile(p);
      // s is a double: its rounding alone moves log F^N by up to
      // ulp(s) * N f(s) / F(s), which for N = 1e5 is ~1e-11.
      const double resolution = 4 * std::numeric_limits<double>::epsilon() * s * n *
                                std::exp(law.log_pdf(s) - law.log_cdf(s));
      EXPECT_NEAR(m.log_cdf(s), std::log(p), 1e-14 * std::max(1.0, -std::log(p)) + resolution)
          << "n=" << n << " p=" << p;
    }
    EXPECT_EQ(m.quantile(0.0), 0.0);
    EXPECT_EQ(m.quantile(1.0), 1.0);
    EXPECT_DOUBLE_EQ(m.quantile_from_log(std::log(0.3)), m.quantile(0.3));
  }
  EXPECT_THROW(MaxOfN(law, 2).quantile(1.01), Error);
  EXPECT_THROW(MaxOfN(law, 2).quantile_from_log(0.5), Error);
}

TEST(MaxOfN, ExpectedGrowsWithDiminishingGains) {
  const TruncatedNormal law(0.85, 0.08);
  double previous = MaxOfN(law, 1).expected(), previous_gain = INFINITY;
  for (int n = 1; n <= 64; ++n) {
    const double next = MaxOfN(law, n + 1).expected();
    const double gain = marginal_gain(law, n);
    EXPECT_GT(gain, 0.0);
    EXPECT_LT(gain, previous_gain) << n;
    EXPECT_NEAR(next - previous, gain, 1e-14) << n;
    previous = next;
    previous_gain = gain;
  }
}

TEST(MaxOfN, RejectsNonPositiveN) {
  const TruncatedNormal law(0.5, 0.1);
  EXPECT_THROW(MaxOfN(law, 0), Error);
  EXPECT_THROW(MaxOfN(law, -3), Error);
  EXPECT_THROW(marginal_gain(law, 0), Error);
}

}  // namespace
}  // namespace optscale::stats
