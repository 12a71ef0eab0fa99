// The sample-count bound (paper-spec §1): the smallest N with
// P(max of N >= target) >= confidence, i.e. N* = ceil(ln delta / ln F(target))
// with delta = 1 - confidence, and an explicit outcome for every case.
#pragma once
#include <string>

#include "optscale/stats/truncated_normal.hpp"

namespace optscale::stats {

enum class BoundOutcome {
  reached,      // N* <= budget
  capped,       // N* > budget: budget returned
  unreachable,  // F(target) = 1 (target >= 1, or no representable mass above it): budget returned
  certain,      // F(target) = 0 (target <= 0): N = 1
};

enum class BoundMethod {
  exact,  // closed form in log space (default)
  grid,   // the reference code's 1000-point numerical routine, for parity
};

struct SampleBound {
  int n = 0;                 // samples to draw, in [1, budget]
  BoundOutcome outcome = BoundOutcome::reached;
  double p_success = 0.0;    // P(max of n >= target) under the law (exact, whatever the method)
};

// Throws optscale::Error unless target is finite, 0 < confidence < 1, budget >= 1.
SampleBound required_samples(const TruncatedNormal& law, double target, double confidence,
                             int budget, BoundMethod method = BoundMethod::exact);

std::string to_string(BoundOutcome outcome);
std::string to_string(BoundMethod method);
// Parses "exact" / "grid"; throws optscale::Error naming the bad value.
BoundMethod parse_bound_method(const std::string& text);

}  // namespace optscale::stats
