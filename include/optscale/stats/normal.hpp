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

// log R(x) with R(x) = Phi(x) / phi(x), the lower-tail Mills ratio. Finite and
// of modest size for every x <= 0 (about -log|x| far out), which is what lets
// ratios of tail probabilities be formed without underflow or cancellation.
// x <= -20: asymptotic series; -20 < x <= 0: erfc(u) exp(u^2) with u^2 split
// exactly (fma), i.e. the scaled erfc without its cancellation; x > 0: from
// log Phi.
double log_mills_ratio(double x);

// log Phi(x), finite for every finite x: log R(x) + log phi(x) for x <= 0,
// log1p(-R(-x) phi(x)) above 0. Relative error of a few ulp everywhere.
double log_normal_cdf(double x);

// log(Phi(y) - Phi(x)) for x <= y (-inf when x == y), accurate in both tails
// and for tiny intervals.
double log_normal_interval(double x, double y);

// log((Phi(y) - Phi(x)) / phi(p)): the normal mass of [x, y] measured against
// the density at a reference point p. The caller passes the differences
// width = y - x, x_minus_p and y_minus_p computed from unstandardised
// quantities (e.g. (s2 - s1) / sigma), so that the result keeps its relative
// precision when x, y and p lie millions of standard deviations out, where
// Phi(y) and phi(p) themselves underflow and their logs cancel. Methods:
// midpoint Taylor series (Hermite polynomials) for intervals narrow against
// the local scale; Mills-ratio differences on the tail side otherwise.
// Requires x <= y; -inf for width == 0.
double log_normal_mass_scaled(double x, double y, double p, double width, double x_minus_p,
                              double y_minus_p);

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
