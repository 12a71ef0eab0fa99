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

  double log_cdf(double s) const;                // N log F(s)
  double cdf(double s) const;                    // F(s)^N
  double survival(double s) const;               // 1 - F(s)^N = -expm1(N log F(s))
  double quantile(double p) const;               // F^{-1}(p^{1/N}), via log p / N
  double quantile_from_log(double log_p) const;  // the same from log p
  // E[M_N] = integral_0^1 (1 - F(s)^N) ds, by adaptive Gauss-Kronrod on
  // [q(1e-20), median] and [median, q(1 - 1e-20)] (q: quantiles of M_N), so
  // the nodes sit where M_N has its mass for any sigma and any mu.
  double expected() const;

 private:
  TruncatedNormal law_;
  int n_;
};

// E[M_{N+1}] - E[M_N]: what one more sample is expected to add to the best
// score. Integrated directly as integral_0^1 F(s)^N (1 - F(s)) ds (no
// difference of two near-equal expectations); throws unless n >= 1.
double marginal_gain(const TruncatedNormal& law, int n);

}  // namespace optscale::stats
