#include "optscale/stats/normal.hpp"

#include <cmath>
#include <limits>

namespace optscale::stats {
namespace {

constexpr double kInvSqrt2 = 0.70710678118654752440;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Asymptotic series of log Phi(x) for x << 0:
//   Phi(x) = phi(x)/|x| * (1 - 1/x^2 + 3/x^4 - 15/x^6 + ...)
// At x <= -20 the terms fall by at least (2k+1)/400 each, so 12 terms are far
// below double rounding.
double log_normal_cdf_asymptotic(double x) {
  const double inv_x2 = 1.0 / (x * x);
  double term = 1.0, sum = 1.0;
  for (int k = 1; k <= 12; ++k) {
    term *= -(2.0 * k - 1.0) * inv_x2;
    sum += term;
  }
  return -0.5 * x * x - kLogSqrt2Pi - std::log(-x) + std::log(sum);
}

// Acklam's rational approximation of the normal quantile (relative error
// about 1.2e-9), used only as the start of the Newton refinement.
double acklam_quantile(double p) {
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01,  -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  constexpr double p_low = 0.02425;
  if (p < p_low) {
    const double q = std::sqrt(-2.0 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  }
  if (p <= 1.0 - p_low) {
    const double q = p - 0.5, r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
  }
  const double q = std::sqrt(-2.0 * std::log1p(-p));
  return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
         ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
}

}  // namespace

double log_normal_pdf(double x) { return -0.5 * x * x - kLogSqrt2Pi; }

double normal_cdf(double x) { return 0.5 * std::erfc(-x * kInvSqrt2); }

double log_normal_cdf(double x) {
  if (std::isnan(x)) return kNaN;
  if (x == std::numeric_limits<double>::infinity()) return 0.0;
  if (x == -std::numeric_limits<double>::infinity()) return kNegInf;
  if (x > 0.0) return std::log1p(-0.5 * std::erfc(x * kInvSqrt2));
  if (x > -20.0) return std::log(0.5 * std::erfc(-x * kInvSqrt2));
  return log_normal_cdf_asymptotic(x);
}

double log_diff_exp(double a, double b) {
  if (b == kNegInf) return a;
  if (a == b) return kNegInf;
  return a + log1m_exp(b - a);
}

double log_sum_exp(double a, double b) {
  if (a == kNegInf) return b;
  if (b == kNegInf) return a;
  const double m = a > b ? a : b;
  return m + std::log1p(std::exp(-std::fabs(a - b)));
}

double log1m_exp(double x) {
  if (x > 0.0) return kNaN;
  if (x == 0.0) return kNegInf;
  return x > -0.6931471805599453 ? std::log(-std::expm1(x)) : std::log1p(-std::exp(x));
}

double log_normal_interval(double x, double y) {
  if (std::isnan(x) || std::isnan(y) || x > y) return kNaN;
  if (x == y) return kNegInf;
  if (x >= 0.0) {
    // Both in the upper half: Phi(y) - Phi(x) = Phi(-x) - Phi(-y).
    return log_diff_exp(log_normal_cdf(-x), log_normal_cdf(-y));
  }
  if (y <= 0.0) return log_diff_exp(log_normal_cdf(y), log_normal_cdf(x));
  // x < 0 < y: the two erf terms have opposite signs, so no cancellation.
  return std::log(0.5 * (std::erf(y * kInvSqrt2) - std::erf(x * kInvSqrt2)));
}

double normal_quantile_from_log(double log_p) {
  if (std::isnan(log_p) || log_p > 0.0) return kNaN;
  if (log_p == 0.0) return std::numeric_limits<double>::infinity();
  if (log_p == kNegInf) return -std::numeric_limits<double>::infinity();
  const double p = std::exp(log_p);
  double x;
  if (p > 1e-300) {
    x = acklam_quantile(p);
    if (p > 0.5) {
      // Upper half: solve on the complement, whose log is exact here.
      const double log_q = log1m_exp(log_p);
      if (log_q == kNegInf) return std::numeric_limits<double>::infinity();
      x = -normal_quantile_from_log(log_q);
      return x;
    }
  } else {
    // Deep lower tail: leading terms of the asymptotic inverse.
    const double t = -2.0 * log_p;
    x = -std::sqrt(t - std::log(t * 2.0 * M_PI));
  }
  // Newton on g(x) = log Phi(x) - log_p, g'(x) = phi(x)/Phi(x).
  for (int iter = 0; iter < 60; ++iter) {
    const double lc = log_normal_cdf(x);
    const double step = (lc - log_p) / std::exp(log_normal_pdf(x) - lc);
    x -= step;
    if (std::fabs(step) <= 1e-15 * (1.0 + std::fabs(x))) break;
  }
  return x;
}

}  // namespace optscale::stats
