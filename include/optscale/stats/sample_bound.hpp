// The sample-count bound (paper-spec §1): the smallest N with
// P(max of N >= target) >= confidence, i.e. N* = ceil(ln delta / ln F(target))
// with delta = 1 - confidence, and an explicit outcome for every case.
//
// Edge-case rules of the exact method (docs/numerics.md, "Sample-count bound"):
//   target <= 0                      certain: F = 0, N = 1, p_success = 1
//   target >= 1                      unreachable: F = 1, N = budget, p_success = 0
//   0 < target < 1                   log F and log S = log(1 - F) come from the
//                                    log-space law, finite however far mu is
//                                    (|mu|/sigma of 1e14 and more) and for sigma
//                                    down to ~1e-150; N* = ceil(ln delta / ln F)
//                                    with the rounding checked (below)
//   S(target) underflows double      ln F = -S rounds to 0: N* is astronomically
//                                    large, so capped at the budget (P > 0, tiny)
//   log S itself -inf                (sigma below ~1e-154 of the distance to the
//                                    target: the squared offset overflows) no
//                                    representable mass above: unreachable
//   log F itself -inf                (the mirror image) certain, N = 1
//   sigma -> 0, mu in (0, 1)         falls out of the same formulas: N = 1 when mu
//                                    is many sigma above the target, ceil(log2(1/delta))
//                                    when mu == target, capped when below
// The ceiling is verified in the arithmetic the decision is judged by:
// n ln F <= ln delta and (n-1) ln F > ln delta for the returned n (unless capped).
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
  int n = 0;  // samples to draw, in [1, budget]
  BoundOutcome outcome = BoundOutcome::reached;
  // P(max of n >= target): under the law for the exact method; for the grid
  // method the grid's own (ReferenceGridResult::p_success), NaN where its
  // curve is NaN. Printers show a NaN as "undefined" / JSON null.
  double p_success = 0.0;
};

// Throws optscale::Error unless target is finite, 0 < confidence < 1, budget >= 1.
SampleBound required_samples(const TruncatedNormal& law, double target, double confidence,
                             int budget, BoundMethod method = BoundMethod::exact);

// Everything one planning decision takes. `risk` is delta = 1 - confidence,
// given directly (the reference's `percentile`), so that the grid method sees
// exactly the delta the reference saw. `peek` samples are already drawn and
// paid for: the answer is never below it (paper-spec §2, N = max(P, N*)).
struct SampleBoundRequest {
  double target = 0.0;
  double risk = 0.05;
  int budget = 64;
  int peek = 0;
  BoundMethod method = BoundMethod::exact;
};

// Largest budget the grid method accepts: it scans N = 1..budget with 1000
// points each, which past this size is minutes of work for a parity mode.
inline constexpr int kMaxGridBudget = 100000;

// Throws optscale::Error unless target is finite, 0 < risk < 1, budget >= 1,
// 0 <= peek <= budget, and budget <= kMaxGridBudget for the grid method.
SampleBound required_samples(const TruncatedNormal& law, const SampleBoundRequest& request);

std::string to_string(BoundOutcome outcome);
std::string to_string(BoundMethod method);
// Parses "exact" / "grid"; throws optscale::Error naming the bad value.
BoundMethod parse_bound_method(const std::string& text);

}  // namespace optscale::stats
