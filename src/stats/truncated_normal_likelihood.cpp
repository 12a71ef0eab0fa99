// Truncated-normal log likelihood and its gradient (see docs/estimators.md):
//   l(mu, sigma) = sum log phi(z_i) - k log sigma - k log Z,
//   z_i = (s_i - mu)/sigma, Z = Phi(b) - Phi(a), a = -mu/sigma, b = (1-mu)/sigma.
// Evaluated in one of two exact forms so that it stays finite and accurate for
// sigma down to 1e-6 and |mu|/sigma in the millions.
#include "truncated_normal_likelihood.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include "optscale/stats/estimators.hpp"
#include "optscale/stats/inverse_mills_ratio.hpp"
#include "optscale/stats/normal.hpp"
#include "optscale/util/error.hpp"

namespace optscale::stats {
namespace detail {

ScoreSummary summarize_scores(std::span<const double> scores, const std::string& where) {
  check_scores(scores, where);
  ScoreSummary summary;
  summary.count = static_cast<int>(scores.size());
  // Mean as s_0 + mean(s_i - s_0): exact when all scores are equal.
  const double first = scores[0];
  double shift = 0.0;
  for (double s : scores) shift += s - first;
  summary.mean = first + shift / summary.count;
  double m2 = 0.0;
  for (double s : scores) m2 += (s - summary.mean) * (s - summary.mean);
  summary.squared_deviations = m2;
  return summary;
}

LikelihoodValue truncated_normal_log_likelihood(const ScoreSummary& scores, double mu,
                                                double sigma, double log_sigma) {
  const double k = scores.count;
  const double m2 = scores.squared_deviations;
  // The law of 1 - s is TN(1 - mu, sigma), so we reflect when mu < 1/2 and
  // work with mu' = max(mu, 1 - mu) >= 1/2: then a <= -b and Phi(a) <= Phi(b).
  // Every reflected quantity is formed from the original ones in one rounding.
  const bool reflect = mu < 0.5;
  const double mu_r = reflect ? 1.0 - mu : mu;                  // mu'
  const double mu_excess = reflect ? -mu : mu - 1.0;            // mu' - 1
  const double mean_gap = reflect ? scores.mean : 1.0 - scores.mean;  // 1 - mean' >= 0
  const double centre = reflect ? mu - scores.mean : scores.mean - mu;  // mean' - mu'
  const double a = -mu_r / sigma;
  const double b = -mu_excess / sigma;

  LikelihoodValue out;
  double sigma_d_mu_r;  // sigma * d l / d mu'
  if (mu_excess <= 0.0) {
    // 1/2 <= mu' <= 1: the mode is inside [0, 1] and Z is not small unless
    // sigma is huge; log Z straight from the interval routine.
    const double log_z = log_normal_interval(a, b);
    const double sum_z2 = (m2 + k * centre * centre) / sigma / sigma;
    const double r_a = std::exp(log_normal_pdf(a) - log_z);  // phi(a)/Z
    const double r_b = std::exp(log_normal_pdf(b) - log_z);  // phi(b)/Z
    out.value = -0.5 * sum_z2 - k * kLogSqrt2Pi - k * log_sigma - k * log_z;
    sigma_d_mu_r = k * centre / sigma - k * (r_a - r_b);
    out.d_log_sigma = sum_z2 - k - k * (a * r_a - b * r_b);
  } else {
    // mu' > 1: b < 0 and phi(b), Phi(b) may both underflow. Anchor at s = 1:
    //   log Z = log phi(b) - log lambda(b) + log(1 - e^D),
    //   D = log Phi(a) - log Phi(b) = -h - log lambda(a) + log lambda(b),
    //   h = (a^2 - b^2)/2 = (2 mu' - 1)/(2 sigma^2),
    // so that sum log phi(z_i) - k log phi(b) = -Q/2 with
    //   Q = sum z_i^2 - k b^2 = (M2 + k g (g + 2 (mu' - 1)))/sigma^2, g = 1 - mean',
    // a sum of non-negative terms: no huge numbers cancel.
    const double q = (m2 + k * mean_gap * (mean_gap + 2.0 * mu_excess)) / sigma / sigma;
    const double h = (1.0 + 2.0 * mu_excess) / sigma / sigma * 0.5;
    const double log_lambda_b = log_inverse_mills_ratio(b);
    const double d = -h - log_inverse_mills_ratio(a) + log_lambda_b;
    const double r_b = std::exp(log_lambda_b) / -std::expm1(d);  // phi(b)/Z
    const double r_b_ed = r_b * std::exp(d);                       // r_b - lambda(b)
    const double r_a = r_b * std::exp(-h);                          // phi(a)/Z
    const double excess_b = inverse_mills_ratio_excess(b);          // lambda(b) + b
    out.value = -0.5 * q - k * log_sigma + k * log_lambda_b - k * log1m_exp(d);
    // sum z_i - k (r_a - r_b) regrouped as sum (z_i - b) + k (b + r_b) - k r_a,
    // with b + r_b = (lambda(b) + b) + (r_b - lambda(b)).
    sigma_d_mu_r = k * (-mean_gap / sigma + excess_b + r_b_ed - r_a);
    // sum z_i^2 - k - k (a r_a - b r_b) = Q + k (b (b + r_b) - 1 - a r_a).
    out.d_log_sigma = q + k * (b * (excess_b + r_b_ed) - 1.0 - a * r_a);
  }
  out.d_mu = (reflect ? -sigma_d_mu_r : sigma_d_mu_r) / sigma;
  return out;
}

}  // namespace detail

void check_scores(std::span<const double> scores, const std::string& where) {
  require(!scores.empty(), where, "no scores given (at least one is needed)");
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const double s = scores[i];
    if (std::isfinite(s) && s >= 0.0 && s <= 1.0) continue;
    char text[32];
    const auto printed = std::to_chars(text, text + sizeof text, s);
    throw Error(where + ": score " + std::to_string(i + 1) + " of " + std::to_string(scores.size()) +
                " (index " + std::to_string(i) + ") is " + std::string(text, printed.ptr) +
                (std::isfinite(s) ? ", outside [0, 1]" : ", not a finite number"));
  }
}

double truncated_normal_log_likelihood(std::span<const double> scores, double mu, double sigma,
                                       double* d_mu, double* d_sigma) {
  const std::string where = "truncated normal log likelihood";
  require(std::isfinite(mu), where, "mu must be finite");
  require(!std::isnan(sigma) && sigma != std::numeric_limits<double>::infinity(), where,
          "sigma must be finite");
  const detail::ScoreSummary summary = detail::summarize_scores(scores, where);
  if (sigma <= 0.0) {
    if (d_mu) *d_mu = std::numeric_limits<double>::quiet_NaN();
    if (d_sigma) *d_sigma = std::numeric_limits<double>::quiet_NaN();
    return kNegInf;
  }
  const detail::LikelihoodValue v =
      detail::truncated_normal_log_likelihood(summary, mu, sigma, std::log(sigma));
  if (d_mu) *d_mu = v.d_mu;
  if (d_sigma) *d_sigma = v.d_log_sigma / sigma;
  return v.value;
}

}  // namespace optscale::stats
