#include "optscale/stats/max_law.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "gauss_kronrod.hpp"
#include "number_text.hpp"
#include "optscale/stats/normal.hpp"
#include "optscale/util/error.hpp"

namespace optscale::stats {
namespace {

// Mass of M_N (or of the gain integrand) left outside the integration range
// on each side: 1e-20 of the local scale, far below double rounding of E.
constexpr double kLogTail = -46.051701859880914;  // log(1e-20)
constexpr double kRelTol = 1e-15;

}  // namespace

MaxOfN::MaxOfN(const TruncatedNormal& law, int n) : law_(law), n_(n) {
  if (!(n >= 1)) {
    throw Error("max of N: n must be >= 1, got " + std::to_string(n));
  }
}

double MaxOfN::log_cdf(double s) const {
  const double log_f = law_.log_cdf(s);
  if (log_f == kNegInf || std::isnan(log_f)) return log_f;
  return n_ * log_f;
}

double MaxOfN::cdf(double s) const { return std::exp(log_cdf(s)); }

double MaxOfN::survival(double s) const { return -std::expm1(log_cdf(s)); }

double MaxOfN::quantile(double p) const {
  if (!(p >= 0.0 && p <= 1.0)) {
    throw Error("max of N quantile: p must be in [0, 1], got " + detail::number_text(p));
  }
  return quantile_from_log(std::log(p));
}

double MaxOfN::quantile_from_log(double log_p) const {
  if (!(!std::isnan(log_p) && log_p <= 0.0)) {
    throw Error("max of N quantile: log p must be <= 0, got " + detail::number_text(log_p));
  }
  return law_.quantile_from_log(log_p / n_);
}

double MaxOfN::expected() const {
  // E[M] = median - integral_lo^median F^N ds + integral_median^hi (1 - F^N) ds;
  // below lo F^N < 1e-20 and above hi 1 - F^N < 1e-20, and both tails decay
  // on the law's own scale, so what is left out is ~1e-20 of that scale.
  const double median = quantile_from_log(-0.69314718055994530942);
  const double lo = quantile_from_log(kLogTail);
  const double hi = quantile_from_log(-1e-20);
  // Absolute tolerance: 1e-17 of the range, or a hundredth of an ulp of the
  // median (a double E cannot resolve less; with sigma ~1e-6 the integrand's
  // own rounding, through s, sits just below that).
  const double scale_tol =
      std::max(1e-17 * (hi - lo), 0.01 * std::numeric_limits<double>::epsilon() * median);
  const auto below = detail::integrate_gauss_kronrod([&](double s) { return std::exp(log_cdf(s)); },
                                                     lo, median, scale_tol, kRelTol);
  const auto above = detail::integrate_gauss_kronrod(
      [&](double s) { return -std::expm1(log_cdf(s)); }, median, hi, scale_tol, kRelTol);
  return median - below.value + above.value;
}

double marginal_gain(const TruncatedNormal& law, int n) {
  if (!(n >= 1)) {
    throw Error("marginal gain: n must be >= 1, got " + std::to_string(n));
  }
  // Integrand F^n S, largest where F = n/(n+1); negligible (< 1e-20 of its
  // peak's neighbourhood) below F^n = 1e-20 and above S = 1e-20.
  const double peak = law.quantile_from_log(std::log1p(-1.0 / (n + 1.0)));
  const double lo = law.quantile_from_log(kLogTail / n);
  const double hi = law.quantile_from_log(-1e-20);
  auto integrand = [&](double s) {
    const double log_f = law.log_cdf(s);
    const double log_s = law.log_survival(s);
    if (log_f == kNegInf || log_s == kNegInf) return 0.0;
    return std::exp(n * log_f + log_s);
  };
  const auto left = detail::integrate_gauss_kronrod(integrand, lo, peak, 0.0, kRelTol);
  const auto right = detail::integrate_gauss_kronrod(integrand, peak, hi, 0.0, kRelTol);
  return left.value + right.value;
}

}  // namespace optscale::stats
