#include "optscale/policy/beta_criterion.hpp"

#include <cmath>
#include <string>

#include "optscale/stats/normal.hpp"
#include "optscale/util/error.hpp"
#include "optscale/util/invariant.hpp"

namespace optscale::policy {

namespace {

// 2^{-m} sum_{j<=b} C(m, j) by the term ratio C(m, j+1) = C(m, j) (m-j)/(j+1):
// each step rounds once, so the relative error is about (b+1) ulp. 2^{-m}
// stays a normal double for m <= 1000.
double binomial_half_tail_direct(int m, int b) {
  double term = std::ldexp(1.0, -m);
  double tail = term;
  for (int j = 0; j < b; ++j) {
    term *= static_cast<double>(m - j) / static_cast<double>(j + 1);
    tail += term;
  }
  return tail;
}

// The same in log space (lgamma) for larger m, where 2^{-m} would underflow.
double binomial_half_tail_log(int m, int b) {
  const double log_half_power = -m * std::log(2.0);
  const double log_m_factorial = std::lgamma(m + 1.0);
  double log_tail = stats::kNegInf;
  for (int j = 0; j <= b; ++j) {
    const double log_term =
        log_m_factorial - std::lgamma(j + 1.0) - std::lgamma(m - j + 1.0) + log_half_power;
    log_tail = stats::log_sum_exp(log_tail, log_term);
  }
  return std::exp(log_tail);
}

// The continued fraction of the incomplete beta I_x(a, b) (modified Lentz).
double incomplete_beta_fraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300, kEps = 1e-15;
  const double qab = a + b, qap = a + 1.0, qam = a - 1.0;
  auto guard = [](double v) { return std::abs(v) < kTiny ? kTiny : v; };
  double c = 1.0, d = 1.0 / guard(1.0 - qab * x / qap), h = d;
  for (int m = 1; m <= 10000; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1.0 / guard(1.0 + aa * d);
    c = guard(1.0 + aa / c);
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 / guard(1.0 + aa * d);
    c = guard(1.0 + aa / c);
    const double step = d * c;
    h *= step;
    if (std::abs(step - 1.0) < kEps) break;
  }
  return h;
}

}  // namespace

double weighted_majority_confidence(double top, double runner_up) {
  OPTSCALE_INVARIANT(runner_up >= 0.0 && runner_up <= top && std::isfinite(top),
                     "weighted majority criterion: need 0 <= runner-up <= top, got top " + std::to_string(top) +
                         ", runner-up " + std::to_string(runner_up));
  // P(Beta(A, B) > 1/2) = 1 - I_{1/2}(A, B) with A = top + 1 >= B = runner_up + 1; the
  // fraction converges fast for I_{1/2}(A, B) since 1/2 >= (A + 1) / (A + B + 2) fails
  // only when A is the smaller shape, so evaluate I_{1/2}(A, B) = bt * cf(A, B) / A.
  const double a = top + 1.0, b = runner_up + 1.0;
  const double log_bt = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) - (a + b) * std::log(2.0);
  return 1.0 - std::exp(log_bt) * incomplete_beta_fraction(a, b, 0.5) / a;
}

double majority_confidence(int top, int runner_up) {
  OPTSCALE_INVARIANT(runner_up >= 0 && runner_up <= top, "asc criterion: need 0 <= runner-up <= top, got top " +
                                                              std::to_string(top) + ", runner-up " +
                                                              std::to_string(runner_up));
  const int m = top + runner_up + 1;
  // Because b <= a the tail is at most 1/2, so 1 - tail loses no precision.
  const double tail =
      m <= 1000 ? binomial_half_tail_direct(m, runner_up) : binomial_half_tail_log(m, runner_up);
  return 1.0 - tail;
}

}  // namespace optscale::policy
