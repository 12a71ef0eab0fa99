// The truncated normal against an independent high-precision table
// (tests/data/truncated_normal_reference.tsv, mpmath at 60 digits; see
// tests/data/gen_truncated_normal_reference.py): laws with sigma from 10 down
// to 1e-6 and mu from -50 to 80, at scores up to a million standard deviations
// from mu. The tolerances asserted here are the ones docs/numerics.md quotes.
#include "optscale/stats/truncated_normal.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <random>

#include "optscale/util/error.hpp"
#include "reference_table.hpp"

namespace optscale::stats {
namespace {

using testing::reference_rows;
using testing::relative_error;

// Log-densities: error relative to max(1, |log f|), i.e. the relative error of
// f itself while f is representable, and of log f beyond.
constexpr double kLogPdfTol = 4e-15;
// log F and log S: relative error of the log (so also of F, S where |log| < 1),
// times max(1, |log| of the other tail): a log near 0 is log1p(-exp(L)) of the
// other tail's log L, and exp(L) carries |L| ulps of relative error.
constexpr double kLogTailTol = 4e-15;

TEST(TruncatedNormal, LogPdfCdfSurvivalMatchMpmath) {
  double worst_pdf = 0, worst_cdf = 0, worst_sf = 0;
  int rows = 0;
  for (const auto& row : reference_rows("point")) {
    const double mu = row.number(0), sigma = row.number(1), s = row.number(2);
    const TruncatedNormal law(mu, sigma);
    const double e_pdf = relative_error(law.log_pdf(s), row.number(3), 1.0);
    const double want_cdf = row.number(4), want_sf = row.number(5);
    const double e_cdf = relative_error(law.log_cdf(s), want_cdf) /
                         std::max(1.0, std::isinf(want_sf) ? 1.0 : std::fabs(want_sf));
    const double e_sf = relative_error(law.log_survival(s), want_sf) /
                        std::max(1.0, std::isinf(want_cdf) ? 1.0 : std::fabs(want_cdf));
    EXPECT_LE(e_pdf, kLogPdfTol) << "log_pdf mu=" << mu << " sigma=" << sigma << " s=" << s;
    EXPECT_LE(e_cdf, kLogTailTol) << "log_cdf mu=" << mu << " sigma=" << sigma << " s=" << s
                                  << " got " << law.log_cdf(s) << " want " << row.text[4];
    EXPECT_LE(e_sf, kLogTailTol) << "log_survival mu=" << mu << " sigma=" << sigma << " s=" << s
                                 << " got " << law.log_survival(s) << " want " << row.text[5];
    // Both tails at once give the values of each alone (up to rounding where
    // the two pick different branches, at F = 1/2).
    const auto tails = law.log_tails(s);
    EXPECT_LE(relative_error(tails.log_cdf, law.log_cdf(s)), 1e-15);
    EXPECT_LE(relative_error(tails.log_survival, law.log_survival(s)), 1e-15);
    // The linear-scale functions are exp of the logs.
    EXPECT_EQ(law.pdf(s), std::exp(law.log_pdf(s)));
    EXPECT_EQ(law.cdf(s), std::exp(law.log_cdf(s)));
    EXPECT_EQ(law.survival(s), std::exp(law.log_survival(s)));
    worst_pdf = std::max(worst_pdf, e_pdf);
    worst_cdf = std::max(worst_cdf, e_cdf);
    worst_sf = std::max(worst_sf, e_sf);
    ++rows;
  }
  std::cout << rows << " points; worst relative error: log_pdf " << worst_pdf << ", log_cdf "
            << worst_cdf << ", log_survival " << worst_sf << " (the last two per unit of "
            << "max(1, |log| of the other tail))\n";
}

TEST(TruncatedNormal, LogNormalizerMatchesMpmath) {
  // log Z = log_pdf(s) + log sigma + (s - mu)^2 / (2 sigma^2) + log sqrt(2 pi) at s = mu
  // clipped into [0, 1]; checked where that point is at most a few sigma from mu.
  for (const auto& row : reference_rows("point")) {
    const double mu = row.number(0), sigma = row.number(1), s = row.number(2);
    const double z = (s - mu) / sigma;
    if (std::fabs(z) > 3.0) continue;
    const TruncatedNormal law(mu, sigma);
    const double want = -row.number(3) - std::log(sigma) - 0.5 * z * z - 0.91893853320467274178;
    EXPECT_NEAR(law.log_normalizer(), want, 1e-13 * std::max(1.0, std::fabs(want)))
        << "mu=" << mu << " sigma=" << sigma;
  }
}

TEST(TruncatedNormal, QuantileMatchesMpmath) {
  // The error in s is judged by what it does to the probability: |ds| times
  // d log(tail)/ds at the answer, i.e. the error in the log of the solved
  // tail it amounts to, relative to that log; or two ulps of s, the
  // resolution of the answer itself.
  double worst = 0;
  for (const auto& row : reference_rows("quantile")) {
    const double mu = row.number(0), sigma = row.number(1), log_p = row.number(2);
    const long double want = row.long_number(3);
    const long double slope = row.long_number(4);
    const TruncatedNormal law(mu, sigma);
    const double got = law.quantile_from_log(log_p);
    const long double ds = std::fabs(static_cast<long double>(got) - want);
    const double ulp2 =
        2.0 * (std::nextafter(static_cast<double>(want), 2.0) - static_cast<double>(want));
    // Relative to the log of the tail that was solved (log(1 - p) above the median).
    const double log_tail = log_p > -std::log(2.0) ? std::log(-std::expm1(log_p)) : log_p;
    const double implied = static_cast<double>(ds * slope) / std::max(1.0, std::fabs(log_tail));
    if (ds > ulp2) {
      EXPECT_LE(implied, 1e-13) << "mu=" << mu << " sigma=" << sigma << " log_p=" << log_p
                                << " got " << got << " want " << row.text[3];
      worst = std::max(worst, implied);
    }
  }
  std::cout << "quantile: worst log-probability error beyond 2 ulp of s: " << worst << "\n";
}

TEST(TruncatedNormal, QuantileInvertsCdfAndHandlesEnds) {
  const TruncatedNormal law(0.9, 0.05);
  EXPECT_EQ(law.quantile(0.0), 0.0);
  EXPECT_EQ(law.quantile(1.0), 1.0);
  for (double p : {1e-12, 0.01, 0.3, 0.5, 0.77, 0.999, 1 - 1e-12}) {
    EXPECT_NEAR(law.cdf(law.quantile(p)), p, 1e-14 * std::max(p, 1e-3)) << p;
  }
  EXPECT_THROW(law.quantile(-0.1), Error);
  EXPECT_THROW(law.quantile(1.5), Error);
  EXPECT_THROW(law.quantile_from_log(0.1), Error);
  EXPECT_THROW(law.quantile_from_log(std::nan("")), Error);
}

TEST(TruncatedNormal, OutsideTheSupportAndNaN) {
  const TruncatedNormal law(0.5, 0.1);
  EXPECT_EQ(law.log_pdf(-0.1), -INFINITY);
  EXPECT_EQ(law.log_pdf(1.1), -INFINITY);
  EXPECT_EQ(law.log_cdf(0.0), -INFINITY);
  EXPECT_EQ(law.log_cdf(2.0), 0.0);
  EXPECT_EQ(law.log_survival(-1.0), 0.0);
  EXPECT_EQ(law.log_survival(1.0), -INFINITY);
  EXPECT_TRUE(std::isnan(law.log_pdf(NAN)));
  EXPECT_TRUE(std::isnan(law.log_cdf(NAN)));
  EXPECT_TRUE(std::isnan(law.log_survival(NAN)));
}

TEST(TruncatedNormal, RejectsBadParameters) {
  EXPECT_THROW(TruncatedNormal(NAN, 0.1), Error);
  EXPECT_THROW(TruncatedNormal(INFINITY, 0.1), Error);
  EXPECT_THROW(TruncatedNormal(0.5, 0.0), Error);
  EXPECT_THROW(TruncatedNormal(0.5, -0.1), Error);
  EXPECT_THROW(TruncatedNormal(0.5, INFINITY), Error);
  EXPECT_THROW(TruncatedNormal(0.5, NAN), Error);
}

TEST(TruncatedNormal, StaysFiniteOverTheWholeParameterRange) {
  // sigma down to 1e-6, mu from -50 to 50, points 1e3 sigma away and at the ends.
  for (double mu = -50.0; mu <= 50.0; mu += 0.25) {
    for (double sigma : {1e-6, 1e-4, 0.01, 0.3, 5.0}) {
      const TruncatedNormal law(mu, sigma);
      ASSERT_TRUE(std::isfinite(law.log_normalizer())) << mu << " " << sigma;
      for (double s : {1e-300, 0.25, mu - 1e3 * sigma, mu + 1e3 * sigma, 0.5, 1 - 1e-16}) {
        if (!(s > 0.0 && s < 1.0)) continue;
        ASSERT_TRUE(std::isfinite(law.log_pdf(s))) << mu << " " << sigma << " " << s;
        ASSERT_TRUE(std::isfinite(law.log_cdf(s))) << mu << " " << sigma << " " << s;
        ASSERT_TRUE(std::isfinite(law.log_survival(s))) << mu << " " << sigma << " " << s;
        ASSERT_LE(law.log_cdf(s), 0.0);
        ASSERT_LE(law.log_survival(s), 0.0);
      }
      for (double log_p : {-1e6, -50.0, -0.7, -1e-30}) {
        const double q = law.quantile_from_log(log_p);
        ASSERT_TRUE(q >= 0.0 && q <= 1.0) << mu << " " << sigma << " " << log_p;
      }
    }
  }
}

TEST(TruncatedNormal, SampleMomentsMatchMpmath) {
  // 20k seeded draws per law: the sample mean within 6 standard errors of the
  // mpmath mean, and the sample variance within 6 of its own standard errors
  // (fourth-moment bound for laws up to exponential-like kurtosis 9).
  constexpr int kDraws = 20000;
  int laws = 0;
  for (const auto& row : reference_rows("moments")) {
    const double mu = row.number(0), sigma = row.number(1);
    const long double mean = row.long_number(2), variance = row.long_number(3);
    const TruncatedNormal law(mu, sigma);
    std::mt19937_64 rng(20240607 + laws++);
    long double sum = 0, sum_sq = 0;
    for (int i = 0; i < kDraws; ++i) {
      const double x = law.sample(rng);
      ASSERT_TRUE(x >= 0.0 && x <= 1.0);
      const long double d = x - mean;  // centred on the reference: no cancellation
      sum += d;
      sum_sq += d * d;
    }
    const long double sample_mean_offset = sum / kDraws;
    const long double sample_variance = sum_sq / kDraws - sample_mean_offset * sample_mean_offset;
    const double se_mean = std::sqrt(static_cast<double>(variance) / kDraws);
    const double se_var = static_cast<double>(variance) * std::sqrt(8.0 / kDraws);
    EXPECT_LE(std::fabs(static_cast<double>(sample_mean_offset)), 6 * se_mean)
        << "mean, mu=" << mu << " sigma=" << sigma;
    EXPECT_LE(std::fabs(static_cast<double>(sample_variance - variance)), 6 * se_var)
        << "variance, mu=" << mu << " sigma=" << sigma;
  }
}

TEST(TruncatedNormal, SamplingIsDeterministicForASeed) {
  const TruncatedNormal law(0.8, 0.15);
  std::mt19937_64 a(7), b(7), c(8);
  bool any_difference = false;
  for (int i = 0; i < 100; ++i) {
    const double x = law.sample(a);
    EXPECT_EQ(x, law.sample(b));
    any_difference |= x != law.sample(c);
  }
  EXPECT_TRUE(any_difference);
}

}  // namespace
}  // namespace optscale::stats
