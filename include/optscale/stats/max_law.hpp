// Law of the maximum M_N of N i.i.d. draws from a score law (paper-spec §1):
// P(M_N <= s) = F(s)^N, computed as exp(N log F(s)).
#pragma once
#include "optscale/stats/truncated_normal.hpp"

namespace optscale::stats {

class MaxOfN {
 public:
  // Throws optscale::Error unless n >= 1.
  MaxOfN(const TruncatedNormal& law, int n);

  int n() const { return n_; }
  const TruncatedNormal& law() const { return law_; }

  double log_cdf(double s) const;       // N log F(s)
  double cdf(double s) const;           // F(s)^N
  double survival(double s) const;      // 1 - F(s)^N = -expm1(N log F(s))
  double quantile(double p) const;      // F^{-1}(p^{1/N}), via log p / N
  double expected() const;              // E[M_N] = integral_0^1 (1 - F(s)^N) ds

 private:
  TruncatedNormal law_;
  int n_;
};

// E[M_{N+1}] - E[M_N]: what one more sample is expected to add to the best score.
double marginal_gain(const TruncatedNormal& law, int n);

}  // namespace optscale::stats
