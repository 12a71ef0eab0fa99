#include "optscale/policy/beta_criterion.hpp"

#include <cmath>
#include <string>

#include "optscale/stats/normal.hpp"
#include "optscale/util/error.hpp"

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

}  // namespace

double majority_confidence(int top, int runner_up) {
  require(runner_up >= 0 && runner_up <= top, "asc criterion",
          "need 0 <= runner-up <= top, got top " + std::to_string(top) + ", runner-up " +
              std::to_string(runner_up));
  const int m = top + runner_up + 1;
  // Because b <= a the tail is at most 1/2, so 1 - tail loses no precision.
  const double tail =
      m <= 1000 ? binomial_half_tail_direct(m, runner_up) : binomial_half_tail_log(m, runner_up);
  return 1.0 - tail;
}

}  // namespace optscale::policy
