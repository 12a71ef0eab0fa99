#include "optscale/stats/truncated_normal.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "optscale/stats/normal.hpp"
#include "optscale/util/error.hpp"

namespace optscale::stats {

TruncatedNormal::TruncatedNormal(double mu, double sigma) : mu_(mu), sigma_(sigma) {
  require(std::isfinite(mu), "truncated normal", "mu must be finite, got " + std::to_string(mu));
  require(std::isfinite(sigma) && sigma > 0.0, "truncated normal",
          "sigma must be finite and > 0, got " + std::to_string(sigma));
  a_ = -mu / sigma;
  b_ = (1.0 - mu) / sigma;
  log_z_ = log_normal_interval(a_, b_);
}

double TruncatedNormal::log_pdf(double s) const {
  if (std::isnan(s)) return s;
  if (s < 0.0 || s > 1.0) return kNegInf;
  const double z = (s - mu_) / sigma_;
  return log_normal_pdf(z) - std::log(sigma_) - log_z_;
}

double TruncatedNormal::pdf(double s) const { return std::exp(log_pdf(s)); }

double TruncatedNormal::log_cdf(double s) const {
  if (std::isnan(s)) return s;
  if (s <= 0.0) return kNegInf;
  if (s >= 1.0) return 0.0;
  const double z = (s - mu_) / sigma_;
  // Whichever side holds less mass is computed directly; the other as its
  // complement, so both F ~ 0 and F ~ 1 keep their precision.
  const double log_lower = log_normal_interval(a_, z) - log_z_;
  if (log_lower < -0.6931471805599453) return log_lower;
  return log1m_exp(log_normal_interval(z, b_) - log_z_);
}

double TruncatedNormal::cdf(double s) const { return std::exp(log_cdf(s)); }

double TruncatedNormal::log_survival(double s) const {
  if (std::isnan(s)) return s;
  if (s <= 0.0) return 0.0;
  if (s >= 1.0) return kNegInf;
  const double z = (s - mu_) / sigma_;
  const double log_upper = log_normal_interval(z, b_) - log_z_;
  if (log_upper < -0.6931471805599453) return log_upper;
  return log1m_exp(log_normal_interval(a_, z) - log_z_);
}

double TruncatedNormal::survival(double s) const { return std::exp(log_survival(s)); }

double TruncatedNormal::quantile(double p) const {
  require(p >= 0.0 && p <= 1.0, "truncated normal quantile",
          "p must be in [0, 1], got " + std::to_string(p));
  return quantile_from_log(std::log(p));
}

double TruncatedNormal::quantile_from_log(double log_p) const {
  require(!std::isnan(log_p) && log_p <= 0.0, "truncated normal quantile",
          "log p must be <= 0, got " + std::to_string(log_p));
  if (log_p == kNegInf) return 0.0;
  if (log_p == 0.0) return 1.0;
  // The point x (standardised) splits the truncated mass as p : 1-p. Phi(x)
  // = Phi(a) + p Z from below, or 1 - Phi(x) = Phi(-b) + (1-p) Z from above;
  // we invert the smaller of the two so that the tail keeps its digits.
  const double log_below = log_sum_exp(log_normal_cdf(a_), log_p + log_z_);
  const double log_above = log_sum_exp(log_normal_cdf(-b_), log1m_exp(log_p) + log_z_);
  double x;
  if (log_below <= log_above) {
    x = normal_quantile_from_log(log_below);
  } else {
    x = -normal_quantile_from_log(log_above);
  }
  double s = mu_ + sigma_ * x;
  if (s < 0.0) s = 0.0;
  if (s > 1.0) s = 1.0;
  return s;
}

double TruncatedNormal::sample(std::mt19937_64& rng) const {
  // 53 random bits -> u in (0, 1), never 0 or 1.
  const double u = (static_cast<double>(rng() >> 11) + 0.5) * 0x1.0p-53;
  return quantile_from_log(std::log(u));
}

}  // namespace optscale::stats
