// ASC's stopping criterion (paper-spec §5): with a votes for the leading
// answer and b for the runner-up, the probability that the leader is the true
// majority under a uniform prior, p = P(Beta(a+1, b+1) > 1/2).
#pragma once

namespace optscale::policy {

// p = 1 - 2^{-m} sum_{j<=b} C(m, j), m = a + b + 1 (the binomial form of the
// regularised incomplete beta at 1/2 for integer parameters). The terms are
// summed directly (relative error about (b+1) ulp) up to m = 1000 and in log
// space beyond, so any counts give a finite, accurate p. Throws
// optscale::Error unless 0 <= b <= a.
double majority_confidence(int top, int runner_up);

// The same for weighted votes (real top >= runner_up >= 0; hybrid's verified
// votes): P(Beta(a+1, b+1) > 1/2) from the regularised incomplete beta by its
// continued fraction. Agrees with the integer form to about 1e-12.
double weighted_majority_confidence(double top, double runner_up);

}  // namespace optscale::policy
