#include "optscale/stats/normal.hpp"

#include <cmath>
#include <limits>
#include <numbers>

namespace optscale::stats {
namespace {

constexpr double kInvSqrt2 = 0.70710678118654752440;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// log R(x) = log(Phi(x)/phi(x)) for x <= -20 from the asymptotic series
//   R(x) = 1/|x| * (1 - 1/x^2 + 3/x^4 - 15/x^6 + ...)
// At x <= -20 the terms fall by at least (2k+1)/400 each, so 12 terms are far
// below double rounding (the first omitted one is < 2e-18).
double log_mills_ratio_asymptotic(double x) {
  const double inv_x2 = 1.0 / (x * x);
  double term = 1.0, sum = 1.0;
  for (int k = 1; k <= 12; ++k) {
    term *= -(2.0 * k - 1.0) * inv_x2;
    sum += term;
  }
  return -std::log(-x) + std::log(sum);
}

// log of sum_k He_2k(m) h^2k / (2k+1)!: the factor by which the mass of
// [m - h, m + h] differs from 2 h phi(m) (Taylor expansion of phi about the
// midpoint; odd terms cancel). Valid for h max(1, |m|) <= 1/2, where it
// converges to double precision within ~25 terms. The terms are carried as
// B_n = He_n(m) h^n / (n+1)! so that nothing overflows for |m| up to 1e300.
double log_midpoint_series(double m, double h) {
  double b_prev = 1.0;     // B_0
  double b = 0.5 * m * h;  // B_1
  double sum = 1.0;
  for (int n = 1; n < 80; ++n) {
    const double b_next = m * h * b / (n + 2) - n * h * h * b_prev / ((n + 2.0) * (n + 1.0));
    b_prev = b;
    b = b_next;
    if ((n + 1) % 2 == 0) {
      sum += b;
      if (std::fabs(b) <= 1e-18 * std::fabs(sum) && std::fabs(b_prev) <= 1e-17 * std::fabs(sum))
        break;
    }
  }
  return std::log(sum);
}

constexpr double kSqrtHalfPi = 1.25331413731550025121;  // sqrt(pi/2)
constexpr double kInvSqrt2Pi = 0.39894228040143267794;  // 1/sqrt(2 pi)

// Acklam's rational approximation of the normal quantile (relative error
// about 1.2e-9), used only as the start of the Newton refinement.
double acklam_quantile(double p) {
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
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

double log_mills_ratio(double x) {
  if (std::isnan(x)) return kNaN;
  if (x == -std::numeric_limits<double>::infinity()) return kNegInf;
  if (x > 0.0) return log_normal_cdf(x) - log_normal_pdf(x);
  if (x <= -20.0) return log_mills_ratio_asymptotic(x);
  // R(x) = sqrt(pi/2) erfc(u) exp(u^2) with u = -x/sqrt(2). erfc and exp see
  // the same rounded u, so the result is the (well-conditioned) scaled erfc at
  // that u; u^2 is split exactly by fma and its low part applied as log(1+e).
  const double u = -x * kInvSqrt2;
  const double u2 = u * u;
  const double u2_low = std::fma(u, u, -u2);
  return std::log(kSqrtHalfPi * std::erfc(u) * std::exp(u2)) + u2_low;
}

double log_normal_cdf(double x) {
  if (std::isnan(x)) return kNaN;
  if (x == std::numeric_limits<double>::infinity()) return 0.0;
  if (x == -std::numeric_limits<double>::infinity()) return kNegInf;
  // Above 0: log(1 - Phi(-x)) with Phi(-x) = R(-x) phi(x), phi from the
  // exactly split x^2 (erfc(x/sqrt 2) would cost x^2 ulps through its rounded
  // argument, exp(log phi) |log phi| ulps).
  if (x > 0.0) {
    const double x2 = x * x;
    const double x2_low = std::fma(x, x, -x2);
    const double phi = std::exp(-0.5 * x2) * (1.0 - 0.5 * x2_low) * kInvSqrt2Pi;
    return std::log1p(-std::exp(log_mills_ratio(-x)) * phi);
  }
  return log_mills_ratio(x) + log_normal_pdf(x);
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

namespace {

// log phi(t) - log phi(p) = -(t - p)(t + p)/2 from the exact offset t - p.
// An offset of exactly 0 gives exactly 0 even where t + p has overflowed to
// infinity (sigma ~1e-308 against |mu| + 1: standardised bounds past the
// double range), instead of 0 * inf = NaN.
double log_density_ratio(double t_minus_p, double t_plus_p) {
  if (t_minus_p == 0.0) return 0.0;
  return -0.5 * t_minus_p * t_plus_p;
}

}  // namespace

double log_normal_mass_scaled(double x, double y, double p, double width, double x_minus_p,
                              double y_minus_p) {
  if (std::isnan(x) || std::isnan(y) || std::isnan(p) || std::isnan(width) ||
      std::isnan(x_minus_p) || std::isnan(y_minus_p) || x > y || width < 0.0) {
    return kNaN;
  }
  if (width == 0.0) return kNegInf;  // x == y alone may be rounding of a positive width
  constexpr double inf = std::numeric_limits<double>::infinity();
  // log phi(0) - log phi(p) = p^2/2: used where the interval reaches past 0.
  const double log_phi0_over_phip = 0.5 * p * p;
  if (x == -inf && y == inf) return log_phi0_over_phip + kLogSqrt2Pi;
  if (x == -inf) {
    if (y <= 0.0) return log_density_ratio(y_minus_p, y + p) + log_mills_ratio(y);
    return log_normal_cdf(y) + log_phi0_over_phip + kLogSqrt2Pi;
  }
  if (y == inf) {
    if (x >= 0.0) return log_density_ratio(x_minus_p, x + p) + log_mills_ratio(-x);
    return log_normal_cdf(-x) + log_phi0_over_phip + kLogSqrt2Pi;
  }
  const double half = 0.5 * width;
  const double mid = x + half;
  if (half * std::fmax(1.0, std::fabs(mid)) <= 0.5) {
    // Narrow interval: 2h phi(m) times the midpoint series; log phi(m) - log
    // phi(p) = -(m - p)(m + p)/2 from the caller's accurate offset.
    const double mid_minus_p = x_minus_p + half;
    return log_density_ratio(mid_minus_p, mid + p) + std::log(width) + log_midpoint_series(mid, half);
  }
  if (y <= 0.0) {
    // Lower tail: Phi(y) - Phi(x) = Phi(y) (1 - Phi(x)/Phi(y)) with
    // log(Phi(x)/Phi(y)) = (log phi(x) - log phi(y)) + log R(x) - log R(y).
    const double log_ratio = 0.5 * width * (x + y) + log_mills_ratio(x) - log_mills_ratio(y);
    return log_density_ratio(y_minus_p, y + p) + log_mills_ratio(y) + log1m_exp(log_ratio);
  }
  if (x >= 0.0) {
    // Upper tail, mirrored: Q(x) - Q(y) = Q(x) (1 - Q(y)/Q(x)), Q(t) = Phi(-t).
    const double log_ratio = -0.5 * width * (x + y) + log_mills_ratio(-y) - log_mills_ratio(-x);
    return log_density_ratio(x_minus_p, x + p) + log_mills_ratio(-x) + log1m_exp(log_ratio);
  }
  // x < 0 < y: the two erf terms have opposite signs, so no cancellation.
  return std::log(0.5 * (std::erf(y * kInvSqrt2) - std::erf(x * kInvSqrt2))) + log_phi0_over_phip +
         kLogSqrt2Pi;
}

double log_normal_interval(double x, double y) {
  return log_normal_mass_scaled(x, y, 0.0, y - x, x, y) - kLogSqrt2Pi;
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
    x = -std::sqrt(t - std::log(t * 2.0 * std::numbers::pi));
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
