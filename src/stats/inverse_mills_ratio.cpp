#include "optscale/stats/inverse_mills_ratio.hpp"

#include <cmath>

#include "optscale/stats/normal.hpp"

namespace optscale::stats {
namespace {

// Below this point the asymptotic series is used; above it phi and Phi are
// both far from underflow and their log difference keeps ~1e-15 relative.
constexpr double kSeriesBelow = -10.0;

// Asymptotic expansion Phi(x) = phi(x)/t * S(t), t = -x, with
//   S = 1 - 1/t^2 + 3/t^4 - 15/t^6 + ...,   T = 1 - S = 1/t^2 - 3/t^4 + ...
// The k-th term is the previous one times -(2k-1)/t^2: it keeps shrinking
// until k ~ t^2/2 (50 terms at t = 10, where it is ~1e-22), so we sum until
// the term is negligible and never past that point.
struct TailSeries {
  double s;   // S(t)
  double t1;  // 1 - S(t), summed directly (no cancellation)
};

TailSeries tail_series(double t) {
  const double inv_t2 = 1.0 / (t * t);
  double term = 1.0, rest = 0.0;
  for (int k = 1; k <= 60; ++k) {
    term *= -(2.0 * k - 1.0) * inv_t2;
    rest -= term;  // 1 - S = -(sum of the terms k >= 1)
    if (std::fabs(term) < 1e-17 * std::fabs(rest)) break;
  }
  return {1.0 - rest, rest};
}

}  // namespace

double log_inverse_mills_ratio(double x) {
  if (x < kSeriesBelow) {
    const double t = -x;
    // lambda = phi/Phi = t / S(t).
    return std::log(t) - std::log(tail_series(t).s);
  }
  return log_normal_pdf(x) - log_normal_cdf(x);
}

double inverse_mills_ratio_excess(double x) {
  if (x < kSeriesBelow) {
    const double t = -x;
    const TailSeries series = tail_series(t);
    // lambda - t = t (1 - S) / S.
    return t * series.t1 / series.s;
  }
  return std::exp(log_normal_pdf(x) - log_normal_cdf(x)) + x;
}

}  // namespace optscale::stats
