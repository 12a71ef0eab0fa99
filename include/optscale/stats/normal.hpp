// Standard normal special functions in log space: the building blocks every
// score law and bound uses. See docs/numerics.md for methods and measured error.
#pragma once

namespace optscale::stats {

inline constexpr double kLogSqrt2Pi = 0.91893853320467274178;  // log(sqrt(2*pi))
inline constexpr double kNegInf = -__builtin_huge_val();

// log of the standard normal density, -x^2/2 - log sqrt(2 pi).
double log_normal_pdf(double x);

// Phi(x) = P(Z <= x), via erfc (relative accuracy kept in the lower tail).
double normal_cdf(double x);

// log Phi(x), finite for every finite x: erfc for x > -20, the asymptotic
// Mills-ratio series below (relative error < 1e-15 at x <= -20).
double log_normal_cdf(double x);

// log(Phi(y) - Phi(x)) for x <= y (-inf when x == y), accurate in both tails
// and for tiny intervals: uses the tail on the side away from the mass.
double log_normal_interval(double x, double y);

// Inverse of log_normal_cdf: the x with log Phi(x) = log_p (log_p <= 0).
// Acklam's rational start refined by Newton steps on log Phi (which is
// concave, so the steps converge monotonically).
double normal_quantile_from_log(double log_p);

// log(exp(a) - exp(b)) for a >= b; -inf when a == b.
double log_diff_exp(double a, double b);

// log(exp(a) + exp(b)).
double log_sum_exp(double a, double b);

// log(1 - exp(x)) for x <= 0, switching between log(-expm1 x) and
// log1p(-exp x) at -log 2 (Maechler 2012).
double log1m_exp(double x);

}  // namespace optscale::stats
