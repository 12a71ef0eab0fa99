#include "optscale/stats/estimators.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "optscale/stats/inverse_mills_ratio.hpp"
#include "optscale/stats/truncated_normal.hpp"
#include "optscale/util/error.hpp"
#include "test_support.hpp"

namespace optscale::stats {
namespace {

using optscale::testing::error_message;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------
// Independent references, in long double, straight from the definition:
//   l = sum log phi(z_i) - k log sigma - k log(Phi(b) - Phi(a)).
// Valid while Phi(a), Phi(b) stay inside long double's range (|a|, |b| < 100).

long double log_phi_interval_ld(long double a, long double b) {
  const long double r = 1.0L / std::sqrt(2.0L);
  long double z;
  if (b <= 0) {
    z = 0.5L * (std::erfc(-b * r) - std::erfc(-a * r));
  } else if (a >= 0) {
    z = 0.5L * (std::erfc(a * r) - std::erfc(b * r));
  } else {
    z = 0.5L * (std::erf(b * r) - std::erf(a * r));
  }
  return std::log(z);
}

long double log_likelihood_ld(const std::vector<double>& scores, long double mu, long double sigma) {
  const long double c = 0.918938533204672741780329736406L;
  long double sum = 0;
  for (double s : scores) {
    const long double z = (s - mu) / sigma;
    sum += -0.5L * z * z - c;
  }
  const long double k = scores.size();
  return sum - k * std::log(sigma) - k * log_phi_interval_ld(-mu / sigma, (1 - mu) / sigma);
}

// The objective the fit maximises, written out here independently.
double log_posterior(const std::vector<double>& scores, double mu, double sigma,
                     const std::optional<FitPrior>& prior) {
  double value = truncated_normal_log_likelihood(scores, mu, sigma);
  if (prior) {
    const double u = (mu - prior->mean_mu) / prior->std_mu;
    const double v = (sigma - prior->mean_sigma) / prior->std_sigma;
    value += -0.5 * (u * u + v * v) - std::log(prior->std_mu * prior->std_sigma) -
             std::log(2.0 * M_PI);
  }
  return value;
}

std::vector<double> sample_scores(double mu, double sigma, int n, std::uint64_t seed) {
  const TruncatedNormal law(mu, sigma);
  std::mt19937_64 rng(seed);
  std::vector<double> out(n);
  for (double& s : out) s = law.sample(rng);
  return out;
}

const std::vector<double> kMixedScores = {0.0, 0.31, 0.62, 0.88, 0.93, 0.97, 1.0};

// ---------------------------------------------------------------------------
// Inverse Mills ratio helpers.

// lambda(x) = 1 / R(-x) with R the Mills ratio, by Laplace's continued
// fraction R(t) = 1/(t + 1/(t + 2/(t + 3/(t + ...)))), in long double.
// Returns lambda(x) - t = lambda(x) + x, the fraction's tail, so that the
// excess is not lost to cancellation.
long double inverse_mills_cf_excess(long double x) {
  const long double t = -x;
  long double tail = 0;
  for (int k = 2000; k >= 1; --k) tail = k / (t + tail);
  return tail;  // 1/R(t) = t + tail
}

TEST(InverseMillsRatio, MatchesContinuedFractionInTheLowerTail) {
  for (double x : {-6.0, -9.99, -10.0, -10.01, -12.0, -19.9, -20.0, -25.0, -40.0, -1e3, -1e6, -1e12}) {
    const long double excess = inverse_mills_cf_excess(x);
    const long double log_lambda = std::log(excess - x);
    EXPECT_NEAR(log_inverse_mills_ratio(x), static_cast<double>(log_lambda), 4e-15 * std::fabs(log_lambda))
        << "x=" << x;
    EXPECT_NEAR(inverse_mills_ratio_excess(x), static_cast<double>(excess), 1e-12 * excess) << "x=" << x;
  }
}

TEST(InverseMillsRatio, MatchesTheDefinitionInTheBody) {
  for (double x = -7.5; x <= 30.0; x += 0.5) {
    const long double r = 1.0L / std::sqrt(2.0L);
    const long double phi = std::exp(-0.5L * x * x) / std::sqrt(2.0L * M_PIl);
    const long double cdf = 0.5L * std::erfc(-x * r);
    const long double ref = std::log(phi / cdf);
    EXPECT_NEAR(log_inverse_mills_ratio(x), static_cast<double>(ref), 1e-13 * (1 + std::fabs(ref)))
        << "x=" << x;
    EXPECT_NEAR(inverse_mills_ratio_excess(x), static_cast<double>(phi / cdf + x),
                1e-12 * (1 + std::fabs(x))) << "x=" << x;
  }
}

// ---------------------------------------------------------------------------
// The log likelihood and its gradient.

TEST(LogLikelihood, MatchesLongDoubleDefinition) {
  int checked = 0;
  for (double mu : {-2.0, -0.3, 0.0, 0.1, 0.45, 0.5, 0.55, 0.9, 1.0, 1.05, 1.6, 4.0}) {
    for (double sigma : {0.02, 0.1, 0.4, 2.0, 10.0}) {
      if (std::fabs(mu / sigma) > 60 || std::fabs((1 - mu) / sigma) > 60) continue;
      const double ref = static_cast<double>(log_likelihood_ld(kMixedScores, mu, sigma));
      const double got = truncated_normal_log_likelihood(kMixedScores, mu, sigma);
      EXPECT_NEAR(got, ref, 1e-12 * (1 + std::fabs(ref))) << "mu=" << mu << " sigma=" << sigma;
      ++checked;
    }
  }
  EXPECT_GT(checked, 40);
}

TEST(LogLikelihood, AgreesWithTheScoreLawDensity) {
  const std::vector<double> scores = {0.2, 0.5, 0.77, 0.99};
  for (double mu : {-0.4, 0.3, 0.8, 1.7}) {
    for (double sigma : {0.05, 0.3, 1.5}) {
      const TruncatedNormal law(mu, sigma);
      double sum = 0;
      for (double s : scores) sum += law.log_pdf(s);
      EXPECT_NEAR(truncated_normal_log_likelihood(scores, mu, sigma), sum, 1e-9 * (1 + std::fabs(sum)))
          << "mu=" << mu << " sigma=" << sigma;
    }
  }
}

// Central differences of the long double reference, in the natural units
// (one step = 1e-5 sigma in mu, a factor e^1e-5 in sigma).
TEST(LogLikelihood, GradientMatchesFiniteDifferences) {
  int checked = 0;
  for (double mu : {-2.0, -0.3, 0.0, 0.1, 0.45, 0.5, 0.55, 0.9, 1.0, 1.05, 1.6, 4.0}) {
    for (double sigma : {0.02, 0.1, 0.4, 2.0, 10.0}) {
      if (std::fabs(mu / sigma) > 60 || std::fabs((1 - mu) / sigma) > 60) continue;
      double d_mu = 0, d_sigma = 0;
      truncated_normal_log_likelihood(kMixedScores, mu, sigma, &d_mu, &d_sigma);
      const long double h = 1e-5L;
      const long double fd_mu = (log_likelihood_ld(kMixedScores, mu + h * sigma, sigma) -
                                 log_likelihood_ld(kMixedScores, mu - h * sigma, sigma)) / (2 * h);
      const long double fd_eta = (log_likelihood_ld(kMixedScores, mu, sigma * std::exp(h)) -
                                  log_likelihood_ld(kMixedScores, mu, sigma * std::exp(-h))) / (2 * h);
      // Compared in natural units: sigma dl/dmu and sigma dl/dsigma.
      EXPECT_NEAR(sigma * d_mu, static_cast<double>(fd_mu), 1e-7 * (1 + std::fabs(fd_mu)))
          << "mu=" << mu << " sigma=" << sigma;
      EXPECT_NEAR(sigma * d_sigma, static_cast<double>(fd_eta), 1e-7 * (1 + std::fabs(fd_eta)))
          << "mu=" << mu << " sigma=" << sigma;
      ++checked;
    }
  }
  EXPECT_GT(checked, 40);
}

// The analytic gradient written straight from the definition, in long double:
//   sigma dl/dmu    = sum z_i - k (phi(a) - phi(b))/Z,
//   sigma dl/dsigma = sum z_i^2 - k - k (a phi(a) - b phi(b))/Z.
TEST(LogLikelihood, GradientMatchesLongDoubleFormulaOnAFineGrid) {
  const long double c = 0.918938533204672741780329736406L;
  const long double k = kMixedScores.size();
  int checked = 0;
  for (double mu = -3.0; mu <= 4.0; mu += 0.05) {
    for (double log_sigma = std::log(0.01); log_sigma <= std::log(20.0); log_sigma += 0.1) {
      const double sigma = std::exp(log_sigma);
      if (std::fabs(mu / sigma) > 60 || std::fabs((1 - mu) / sigma) > 60) continue;
      const long double a = -mu / static_cast<long double>(sigma), b = (1 - mu) / static_cast<long double>(sigma);
      const long double log_z = log_phi_interval_ld(a, b);
      const long double ra = std::exp(-0.5L * a * a - c - log_z), rb = std::exp(-0.5L * b * b - c - log_z);
      long double sum_z = 0, sum_z2 = 0;
      for (double s : kMixedScores) {
        const long double z = (s - mu) / static_cast<long double>(sigma);
        sum_z += z;
        sum_z2 += z * z;
      }
      const long double ref_mu = sum_z - k * (ra - rb), ref_eta = sum_z2 - k - k * (a * ra - b * rb);
      double d_mu = 0, d_sigma = 0;
      truncated_normal_log_likelihood(kMixedScores, mu, sigma, &d_mu, &d_sigma);
      ASSERT_NEAR(sigma * d_mu, static_cast<double>(ref_mu), 1e-12 * (1 + std::fabs(ref_mu)))
          << "mu=" << mu << " sigma=" << sigma;
      ASSERT_NEAR(sigma * d_sigma, static_cast<double>(ref_eta), 1e-12 * (1 + std::fabs(ref_eta)))
          << "mu=" << mu << " sigma=" << sigma;
      ++checked;
    }
  }
  EXPECT_GT(checked, 5000);
}

// Out to sigma = 1e-6 and |mu|/sigma = 1e9 the value and gradient must stay
// finite and match central differences: of the long double reference where
// it reaches (|a|, |b| < 60), else of the double-precision value itself.
TEST(LogLikelihood, FiniteAndConsistentInExtremeRegimes) {
  const std::vector<double> scores = {0.0, 0.4, 0.9, 0.95, 1.0};
  int checked = 0, against_long_double = 0;
  for (double mu : {-1e3, -50.0, -1.0, 0.0, 0.3, 0.5, 0.999, 1.0, 1.001, 2.0, 50.0, 1e3}) {
    for (double sigma : {1e-6, 1e-4, 1e-2, 1.0, 1e3}) {
      double d_mu = 0, d_sigma = 0;
      const double f = truncated_normal_log_likelihood(scores, mu, sigma, &d_mu, &d_sigma);
      ASSERT_TRUE(std::isfinite(f)) << "mu=" << mu << " sigma=" << sigma;
      ASSERT_TRUE(std::isfinite(d_mu) && std::isfinite(d_sigma)) << "mu=" << mu << " sigma=" << sigma;
      const bool in_reach = std::fabs(mu / sigma) < 60 && std::fabs((1 - mu) / sigma) < 60;
      const double h = 1e-5;
      auto value = [&](double m, double s) {
        return in_reach ? static_cast<double>(log_likelihood_ld(scores, m, s))
                        : truncated_normal_log_likelihood(scores, m, s);
      };
      const double fd_mu = (value(mu + h * sigma, sigma) - value(mu - h * sigma, sigma)) / (2 * h);
      const double fd_eta = (value(mu, sigma * std::exp(h)) - value(mu, sigma * std::exp(-h))) / (2 * h);
      // Rounding of f (relative 1e-14 of its size; 1e-18 for long double)
      // over the step, plus the O(h^2) truncation of the central difference
      // (third derivatives of order k in natural units).
      const double noise = (in_reach ? 1e-18 : 1e-14) * (1 + std::fabs(f)) / h + 1e-9 * scores.size();
      EXPECT_NEAR(sigma * d_mu, fd_mu, noise + 1e-6 * std::fabs(fd_mu)) << "mu=" << mu << " sigma=" << sigma;
      EXPECT_NEAR(sigma * d_sigma, fd_eta, noise + 1e-6 * std::fabs(fd_eta)) << "mu=" << mu << " sigma=" << sigma;
      ++checked;
      against_long_double += in_reach;
    }
  }
  EXPECT_EQ(checked, 60);
  EXPECT_GT(against_long_double, 15);
}

TEST(LogLikelihood, NonPositiveSigmaIsMinusInfinity) {
  double d_mu = 0, d_sigma = 0;
  EXPECT_EQ(truncated_normal_log_likelihood(kMixedScores, 0.5, 0.0, &d_mu, &d_sigma), -kInf);
  EXPECT_TRUE(std::isnan(d_mu) && std::isnan(d_sigma));
  EXPECT_EQ(truncated_normal_log_likelihood(kMixedScores, 0.5, -1.0), -kInf);
}

TEST(LogLikelihood, RejectsBadArguments) {
  EXPECT_THROW(truncated_normal_log_likelihood(kMixedScores, kNaN, 0.1), Error);
  EXPECT_THROW(truncated_normal_log_likelihood(kMixedScores, 0.5, kNaN), Error);
  EXPECT_THROW(truncated_normal_log_likelihood(kMixedScores, 0.5, kInf), Error);
  const std::vector<double> bad = {0.5, 1.5};
  EXPECT_THROW(truncated_normal_log_likelihood(bad, 0.5, 0.1), Error);
}

// ---------------------------------------------------------------------------
// Fits: recovery of known parameters.

// Observed information by central differences of the analytic gradient, then
// the asymptotic standard errors of (mu, sigma).
std::pair<double, double> standard_errors(const std::vector<double>& scores, double mu, double sigma) {
  const double hm = 1e-4 * sigma, hs = 1e-4 * sigma;
  double gm_p, gs_p, gm_m, gs_m;
  truncated_normal_log_likelihood(scores, mu + hm, sigma, &gm_p, &gs_p);
  truncated_normal_log_likelihood(scores, mu - hm, sigma, &gm_m, &gs_m);
  const double h_mm = -(gm_p - gm_m) / (2 * hm), h_ms1 = -(gs_p - gs_m) / (2 * hm);
  truncated_normal_log_likelihood(scores, mu, sigma + hs, &gm_p, &gs_p);
  truncated_normal_log_likelihood(scores, mu, sigma - hs, &gm_m, &gs_m);
  const double h_ss = -(gs_p - gs_m) / (2 * hs), h_ms2 = -(gm_p - gm_m) / (2 * hs);
  const double h_ms = 0.5 * (h_ms1 + h_ms2);
  const double det = h_mm * h_ss - h_ms * h_ms;
  return {std::sqrt(h_ss / det), std::sqrt(h_mm / det)};
}

struct Truth {
  double mu, sigma;
};

TEST(FitMle, RecoversKnownParametersFromLargeSamples) {
  const Truth truths[] = {{0.5, 0.2}, {0.9, 0.05}, {0.8, 0.3}, {1.1, 0.2}, {0.2, 0.15},
                          {-0.1, 0.3}, {0.95, 0.1}, {0.6, 1.0}, {1.3, 0.4}};
  std::uint64_t seed = 1;
  for (const Truth& t : truths) {
    const auto scores = sample_scores(t.mu, t.sigma, 20000, seed++);
    for (const FitBounds& bounds : {FitBounds{}, FitBounds::reference_parity()}) {
      const FitResult fit = fit_truncated_normal(scores, std::nullopt, bounds);
      ASSERT_TRUE(fit.converged) << t.mu << " " << t.sigma;
      const auto [se_mu, se_sigma] = standard_errors(scores, fit.mu, fit.sigma);
      // A meaningful check: the sample pins the parameters down...
      EXPECT_LT(se_mu, 0.1) << t.mu << " " << t.sigma;
      EXPECT_LT(se_sigma, 0.1) << t.mu << " " << t.sigma;
      // ...and the estimate lies within 4 standard errors of the truth.
      EXPECT_NEAR(fit.mu, t.mu, 4 * se_mu) << "sigma=" << t.sigma;
      EXPECT_NEAR(fit.sigma, t.sigma, 4 * se_sigma) << "mu=" << t.mu;
    }
  }
}

TEST(FitMle, UntruncatedCaseIsTheSampleMoments) {
  // Far from both ends the truncation is invisible: MLE = mean, population std.
  const auto scores = sample_scores(0.5, 0.02, 500, 7);
  double mean = 0, m2 = 0;
  for (double s : scores) mean += s;
  mean /= scores.size();
  for (double s : scores) m2 += (s - mean) * (s - mean);
  const FitResult fit = fit_truncated_normal(scores);
  EXPECT_TRUE(fit.converged);
  EXPECT_NEAR(fit.mu, mean, 1e-12);
  EXPECT_NEAR(fit.sigma, std::sqrt(m2 / scores.size()), 1e-12);
}

// ---------------------------------------------------------------------------
// Fits: optimality.

// Where the MLE's supremum lies under the reference-parity bounds (mu free,
// sigma >= 1e-6, no upper bound on sigma).
enum class Supremum {
  attained,           // a maximiser exists
  exponential_limit,  // mu -> inf: the truncated exponential limit
  flat_limit,         // sigma -> inf: the uniform law, l -> 0
};

struct Case {
  std::string name;
  std::vector<double> scores;
  Supremum parity_supremum = Supremum::attained;
};

std::vector<Case> optimality_cases() {
  return {{"k=1", {0.91}},
          {"k=2", {0.91, 0.97}},
          {"k=3", {0.91, 0.97, 0.88}},
          {"k=3 spread", {0.12, 0.55, 0.98}, Supremum::exponential_limit},
          {"k=3 near one", {0.995, 0.999, 0.97}, Supremum::exponential_limit},
          {"all equal", {0.7, 0.7, 0.7, 0.7}},
          {"all ones", {1.0, 1.0, 1.0}},
          {"all zeros", {0.0, 0.0}},
          {"zero and one", {0.0, 1.0}, Supremum::flat_limit},
          {"with ends", {0.0, 0.93, 1.0, 0.97, 0.88}, Supremum::exponential_limit},
          {"k=10", sample_scores(0.93, 0.06, 10, 3)},
          {"k=64", sample_scores(0.85, 0.15, 64, 4)}};
}

std::vector<std::optional<FitPrior>> priors() {
  return {std::nullopt, FitPrior{0.55, 0.1, 0.1, 0.1}, FitPrior{0.93, -0.05, 0.1, 0.1},
          FitPrior{0.9, 0.05, 0.02, 0.3}};
}

// Every point of a ring of small moves (clipped into the box) scores no
// better than the fit, and at an active bound the slope points outwards.
void expect_local_optimum(const std::vector<double>& scores, const std::optional<FitPrior>& prior,
                          const FitBounds& bounds, const FitResult& fit, const std::string& label) {
  const double best = log_posterior(scores, fit.mu, fit.sigma, prior);
  EXPECT_NEAR(best, fit.objective, 1e-9 * (1 + std::fabs(best))) << label;
  for (double step : {1e-2, 1e-4, 1e-6}) {
    for (int i = -1; i <= 1; ++i) {
      for (int j = -1; j <= 1; ++j) {
        if (i == 0 && j == 0) continue;
        const double mu = std::clamp(fit.mu + i * step * fit.sigma, bounds.mu_min, bounds.mu_max);
        const double sigma =
            std::clamp(fit.sigma * std::exp(j * step), bounds.sigma_min, bounds.sigma_max);
        // Converged means a natural-unit slope of at most 1e-9 (k+1), so a
        // move of `step` units may gain up to that slope times the step.
        const double allowed = 2e-9 * (scores.size() + 1) * step + 1e-12 * (1 + std::fabs(best));
        EXPECT_LE(log_posterior(scores, mu, sigma, prior), best + allowed)
            << label << " step " << step << " (" << i << "," << j << ")";
      }
    }
  }
  // KKT: the derivative of the objective in each variable is ~0 inside the
  // box, and points out of the box at an active bound.
  double d_mu = 0, d_sigma = 0;
  truncated_normal_log_likelihood(scores, fit.mu, fit.sigma, &d_mu, &d_sigma);
  if (prior) {
    d_mu -= (fit.mu - prior->mean_mu) / (prior->std_mu * prior->std_mu);
    d_sigma -= (fit.sigma - prior->mean_sigma) / (prior->std_sigma * prior->std_sigma);
  }
  const double tol = 1e-9 * (scores.size() + 1);
  const double g_mu = d_mu * fit.sigma, g_eta = d_sigma * fit.sigma;  // natural units
  if (fit.mu <= bounds.mu_min) EXPECT_LE(g_mu, tol) << label;
  else if (fit.mu >= bounds.mu_max) EXPECT_GE(g_mu, -tol) << label;
  else EXPECT_LE(std::fabs(g_mu), tol) << label;
  if (fit.sigma <= bounds.sigma_min) EXPECT_LE(g_eta, tol) << label;
  else if (fit.sigma >= bounds.sigma_max) EXPECT_GE(g_eta, -tol) << label;
  else EXPECT_LE(std::fabs(g_eta), tol) << label;
  EXPECT_LE(fit.stationarity, tol) << label;
}

TEST(FitOptimality, DefaultBoundsConvergeToALocalOptimum) {
  for (const Case& c : optimality_cases()) {
    for (const auto& prior : priors()) {
      const std::string label = c.name + (prior ? " MAP" : " MLE");
      const FitResult fit = fit_truncated_normal(c.scores, prior);
      ASSERT_TRUE(fit.converged) << label;
      EXPECT_GE(fit.mu, -1.0);
      EXPECT_LE(fit.mu, 2.0);
      EXPECT_GE(fit.sigma, 0.005);
      EXPECT_LE(fit.sigma, 10.0);
      expect_local_optimum(c.scores, prior, FitBounds{}, fit, label);
    }
  }
}

TEST(FitOptimality, ReferenceParityBoundsConvergeToALocalOptimum) {
  const FitBounds parity = FitBounds::reference_parity();
  for (const Case& c : optimality_cases()) {
    for (const auto& prior : priors()) {
      // No maximiser: see NoMaximiserIsReportedAsNotConverged, ZeroAndOne...
      if (!prior && c.parity_supremum != Supremum::attained) continue;
      const std::string label = c.name + (prior ? " MAP" : " MLE") + " (parity)";
      const FitResult fit = fit_truncated_normal(c.scores, prior, parity);
      ASSERT_TRUE(fit.converged) << label;
      EXPECT_GE(fit.sigma, 1e-6);
      expect_local_optimum(c.scores, prior, parity, fit, label);
    }
  }
}

TEST(FitOptimality, ReportsItsOwnLikelihoodAndIterations) {
  const std::vector<double> scores = {0.91, 0.97, 0.88};
  const FitResult fit = fit_truncated_normal(scores);
  EXPECT_DOUBLE_EQ(fit.log_likelihood, truncated_normal_log_likelihood(scores, fit.mu, fit.sigma));
  EXPECT_DOUBLE_EQ(fit.objective, fit.log_likelihood);  // MLE: no prior term
  EXPECT_GT(fit.iterations, 0);
  const FitPrior prior{0.55, 0.1, 0.1, 0.1};
  const FitResult map = fit_truncated_normal(scores, prior);
  EXPECT_DOUBLE_EQ(map.log_likelihood, truncated_normal_log_likelihood(scores, map.mu, map.sigma));
  EXPECT_NEAR(map.objective, log_posterior(scores, map.mu, map.sigma, prior), 1e-12);
}

// ---------------------------------------------------------------------------
// Fits: degenerate inputs (their optima are documented in docs/estimators.md).

TEST(FitDegenerate, OneScoreOrEqualScoresPutSigmaAtItsLowerBound) {
  for (double s : {0.05, 0.5, 0.91}) {
    for (int k : {1, 2, 5}) {
      const std::vector<double> scores(k, s);
      const FitResult fit = fit_truncated_normal(scores);
      EXPECT_TRUE(fit.converged);
      EXPECT_EQ(fit.sigma, 0.005);
      EXPECT_NEAR(fit.mu, s, 1e-12) << "s=" << s << " k=" << k;
      const FitResult parity = fit_truncated_normal(scores, std::nullopt, FitBounds::reference_parity());
      EXPECT_TRUE(parity.converged);
      EXPECT_EQ(parity.sigma, 1e-6);
      EXPECT_NEAR(parity.mu, s, 1e-12);
    }
  }
}

TEST(FitDegenerate, EqualScoresNearAnEndPushMuBeyondIt) {
  // At sigma_min the truncation at 1 is felt when 1 - s is a few sigma_min:
  // the fitted mode moves past the scores, towards and beyond 1.
  const std::vector<double> scores = {0.999, 0.999};
  const FitResult fit = fit_truncated_normal(scores);
  EXPECT_TRUE(fit.converged);
  EXPECT_EQ(fit.sigma, 0.005);
  EXPECT_GT(fit.mu, 1.0);
}

TEST(FitDegenerate, AllOnesOrAllZerosGoToTheCorner) {
  const FitResult ones = fit_truncated_normal(std::vector<double>{1.0, 1.0, 1.0});
  EXPECT_TRUE(ones.converged);
  EXPECT_EQ(ones.mu, 2.0);
  EXPECT_EQ(ones.sigma, 0.005);
  const FitResult zeros = fit_truncated_normal(std::vector<double>{0.0});
  EXPECT_TRUE(zeros.converged);
  EXPECT_EQ(zeros.mu, -1.0);
  EXPECT_EQ(zeros.sigma, 0.005);
}

TEST(FitDegenerate, AllOnesWithUnboundedMuPilesTheMassAtOne) {
  // No maximiser exists (l grows like k log(mu - 1)); the fit stops where one
  // sigma of mu changes l by less than the tolerance: a law whose mass sits
  // within a hair of 1.
  const FitResult fit =
      fit_truncated_normal(std::vector<double>{1.0, 1.0, 1.0}, std::nullopt, FitBounds::reference_parity());
  EXPECT_TRUE(fit.converged);
  EXPECT_EQ(fit.sigma, 1e-6);
  EXPECT_GT(fit.mu, 1.0);
  EXPECT_LT(TruncatedNormal(fit.mu, fit.sigma).cdf(1.0 - 1e-6), 1e-100);
}

// Log likelihood of the truncated exponential r e^{rs}/(e^r - 1) on [0, 1],
// the limit of TN(mu, sigma) as mu -> inf with (mu - 1)/sigma^2 -> r, maximised
// over r by golden-section search.
double truncated_exponential_supremum(const std::vector<double>& scores) {
  const double k = scores.size();
  double sum = 0;
  for (double s : scores) sum += s;
  auto l = [&](double r) { return k * std::log(r) + r * sum - k * (r + std::log1p(-std::exp(-r))); };
  double lo = 1e-6, hi = 1e4;
  for (int i = 0; i < 300; ++i) {
    const double m1 = lo + 0.381966 * (hi - lo), m2 = lo + 0.618034 * (hi - lo);
    (l(m1) > l(m2) ? hi : lo) = l(m1) > l(m2) ? m2 : m1;
  }
  return l(lo);
}

TEST(FitDegenerate, NoMaximiserIsReportedAsNotConverged) {
  // Tilted towards 1 more than any normal bump: with mu unbounded the
  // likelihood rises towards its supremum along mu -> inf, sigma^2 ~ (mu-1)/r
  // (the truncated exponential limit) and has no maximiser. The fit must say
  // so, having climbed close to that supremum; the default box stops it at
  // mu_max instead.
  for (const Case& c : optimality_cases()) {
    if (c.parity_supremum != Supremum::exponential_limit) continue;
    const double supremum = truncated_exponential_supremum(c.scores);
    const FitResult fit = fit_truncated_normal(c.scores, std::nullopt, FitBounds::reference_parity());
    EXPECT_FALSE(fit.converged) << c.name;
    EXPECT_GT(fit.mu, 10.0) << c.name;
    EXPECT_LT(fit.log_likelihood, supremum) << c.name;
    EXPECT_GT(fit.log_likelihood, supremum - 1e-4) << c.name;
    const FitResult boxed = fit_truncated_normal(c.scores);
    EXPECT_TRUE(boxed.converged) << c.name;
    EXPECT_EQ(boxed.mu, 2.0) << c.name;
  }
}

TEST(FitDegenerate, ZeroAndOneSpreadToTheWidestLaw) {
  // Scores at both ends: the flatter the law the better, sigma -> sigma_max.
  const std::vector<double> scores = {0.0, 1.0};
  const FitResult fit = fit_truncated_normal(scores);
  EXPECT_TRUE(fit.converged);
  EXPECT_NEAR(fit.mu, 0.5, 1e-9);
  EXPECT_EQ(fit.sigma, 10.0);
  // Unbounded sigma: l rises to its supremum 0 (the uniform law) like
  // -1/sigma^2; the slope per factor e of sigma falls below the tolerance
  // at a finite sigma, where l is within 1e-8 of the supremum.
  const FitResult wide = fit_truncated_normal(scores, std::nullopt, FitBounds::reference_parity());
  EXPECT_TRUE(wide.converged);
  EXPECT_GT(wide.sigma, 1e3);
  EXPECT_LT(wide.log_likelihood, 0.0);
  EXPECT_GT(wide.log_likelihood, -1e-8);
}

// ---------------------------------------------------------------------------
// MAP and its prior.

TEST(FitMap, ShrinkingPriorStdPullsTowardsThePrior) {
  const std::vector<double> scores = {0.91, 0.97, 0.88, 0.95, 0.99};
  const FitPrior base{0.6, 0.2, 0.1, 0.1};
  double last_distance = kInf;
  for (double std : {1.0, 0.3, 0.1, 0.03, 0.01, 1e-3, 1e-4}) {
    FitPrior prior = base;
    prior.std_mu = prior.std_sigma = std;
    const FitResult fit = fit_truncated_normal(scores, prior);
    ASSERT_TRUE(fit.converged) << std;
    const double distance = std::hypot(fit.mu - prior.mean_mu, fit.sigma - prior.mean_sigma);
    EXPECT_LT(distance, last_distance) << "std=" << std;
    last_distance = distance;
  }
  EXPECT_LT(last_distance, 1e-3);
}

TEST(FitMap, WidePriorGivesTheMle) {
  const std::vector<double> scores = sample_scores(0.9, 0.07, 12, 11);
  const FitResult mle = fit_truncated_normal(scores);
  for (const FitBounds& bounds : {FitBounds{}, FitBounds::reference_parity()}) {
    const FitResult map = fit_truncated_normal(scores, FitPrior{0.8, 0.1, 1e6, 1e6}, bounds);
    ASSERT_TRUE(map.converged);
    EXPECT_NEAR(map.mu, mle.mu, 1e-7);
    EXPECT_NEAR(map.sigma, mle.sigma, 1e-7);
    EXPECT_NEAR(map.log_likelihood, mle.log_likelihood, 1e-9);
  }
}

TEST(FitMap, DefaultPriorStdsAreThePapers) {
  const FitPrior prior;
  EXPECT_EQ(prior.std_mu, 0.1);
  EXPECT_EQ(prior.std_sigma, 0.1);
}

TEST(FitMap, NegativePriorSigmaIsAcceptedAndStartsAtTheBound) {
  // The reference's predictor emits sigma < 0; its prior stays untruncated.
  const std::vector<double> scores = {0.91, 0.97, 0.88};
  const FitResult fit = fit_truncated_normal(scores, FitPrior{0.5, -0.053, 0.1, 0.1});
  EXPECT_TRUE(fit.converged);
  expect_local_optimum(scores, FitPrior{0.5, -0.053, 0.1, 0.1}, FitBounds{}, fit, "negative prior");
}

// ---------------------------------------------------------------------------
// Bounds and errors.

TEST(FitBoundsTest, ReferenceParityIsMuUnboundedSigmaAtLeastOneMillionth) {
  const FitBounds b = FitBounds::reference_parity();
  EXPECT_EQ(b.mu_min, -kInf);
  EXPECT_EQ(b.mu_max, kInf);
  EXPECT_EQ(b.sigma_min, 1e-6);
  EXPECT_EQ(b.sigma_max, kInf);
}

TEST(FitBoundsTest, ResultsStayInACustomBox) {
  const FitBounds box{0.8, 0.9, 0.05, 0.06};
  const std::vector<double> scores = {0.91, 0.97, 0.99};
  const FitResult fit = fit_truncated_normal(scores, std::nullopt, box);
  EXPECT_TRUE(fit.converged);
  EXPECT_EQ(fit.mu, 0.9);  // the scores pull mu up against its bound
  EXPECT_GE(fit.sigma, 0.05);
  EXPECT_LE(fit.sigma, 0.06);
  expect_local_optimum(scores, std::nullopt, box, fit, "custom box");
}

TEST(FitErrors, BadScoresNameTheIndex) {
  EXPECT_NE(error_message([] { fit_truncated_normal(std::vector<double>{}); }).find("no scores"), std::string::npos);
  const std::string nan_msg = error_message([] { fit_truncated_normal(std::vector<double>{0.5, kNaN, 0.7}); });
  EXPECT_NE(nan_msg.find("index 1"), std::string::npos) << nan_msg;
  EXPECT_NE(nan_msg.find("not a finite number"), std::string::npos) << nan_msg;
  const std::string inf_msg = error_message([] { fit_truncated_normal(std::vector<double>{0.5, 0.6, -kInf}); });
  EXPECT_NE(inf_msg.find("index 2"), std::string::npos) << inf_msg;
  const std::string above = error_message([] { fit_truncated_normal(std::vector<double>{1.0000001}); });
  EXPECT_NE(above.find("index 0"), std::string::npos) << above;
  EXPECT_NE(above.find("outside [0, 1]"), std::string::npos) << above;
  const std::string below = error_message([] { fit_truncated_normal(std::vector<double>{0.2, -1e-300}); });
  EXPECT_NE(below.find("index 1"), std::string::npos) << below;
}

TEST(FitErrors, BadBoundsAndPriorsAreRejected) {
  const std::vector<double> s = {0.9, 0.95};
  EXPECT_THROW(fit_truncated_normal(s, std::nullopt, FitBounds{1.0, 0.0, 0.005, 10.0}), Error);
  EXPECT_THROW(fit_truncated_normal(s, std::nullopt, FitBounds{0.0, 1.0, 0.0, 10.0}), Error);
  EXPECT_THROW(fit_truncated_normal(s, std::nullopt, FitBounds{0.0, 1.0, 0.1, 0.05}), Error);
  EXPECT_THROW(fit_truncated_normal(s, std::nullopt, FitBounds{kNaN, 1.0, 0.005, 10.0}), Error);
  EXPECT_THROW(fit_truncated_normal(s, std::nullopt, FitBounds{kInf, kInf, 0.005, 10.0}), Error);
  EXPECT_THROW(fit_truncated_normal(s, FitPrior{0.5, 0.1, 0.0, 0.1}), Error);
  EXPECT_THROW(fit_truncated_normal(s, FitPrior{0.5, 0.1, 0.1, -0.1}), Error);
  EXPECT_THROW(fit_truncated_normal(s, FitPrior{kNaN, 0.1, 0.1, 0.1}), Error);
  EXPECT_THROW(fit_truncated_normal(s, FitPrior{0.5, kInf, 0.1, 0.1}), Error);
}

}  // namespace
}  // namespace optscale::stats
