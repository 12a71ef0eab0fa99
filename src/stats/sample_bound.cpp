#include "optscale/stats/sample_bound.hpp"

#include <cmath>
#include <string>

#include "number_text.hpp"
#include "optscale/stats/normal.hpp"
#include "optscale/stats/reference_grid.hpp"
#include "optscale/util/error.hpp"

namespace optscale::stats {
namespace {

constexpr const char* kWhere = "sample bound";

// P(max of n >= target) = 1 - F^n = -expm1(n log F); when log F itself has
// rounded to 0 (S below ~1e-308) the same is n S to first order.
double success_probability(long long n, double log_f, double log_s) {
  if (log_f == kNegInf) return 1.0;
  if (log_s == kNegInf) return 0.0;
  const double p = -std::expm1(static_cast<double>(n) * log_f);
  if (p > 0.0) return p;
  return std::exp(std::log(static_cast<double>(n)) + log_s);
}

// The exact method: N* = ceil(ln delta / ln F) in log space (see the header
// for the rule of every edge case).
SampleBound exact_bound(const TruncatedNormal& law, double target, double log_delta, int budget) {
  if (target <= 0.0) return {1, BoundOutcome::certain, 1.0};
  if (target >= 1.0) return {budget, BoundOutcome::unreachable, 0.0};
  // Named doubles, not a structured binding: lambdas below capture them, which
  // clang before 16 refuses for bindings (the fuzz build uses clang).
  const TruncatedNormal::LogTails tails = law.log_tails(target);
  const double log_f = tails.log_cdf, log_s = tails.log_survival;
  // The mass below the target underflows even in log space (target within
  // ~1e-308 sigma of 0): one draw succeeds with probability 1 in doubles.
  if (log_f == kNegInf) return {1, BoundOutcome::certain, 1.0};
  if (log_s == kNegInf) return {budget, BoundOutcome::unreachable, 0.0};

  const auto succeeds = [&](long long n) { return static_cast<double>(n) * log_f <= log_delta; };
  const double ratio = log_delta / log_f;  // +inf when log F rounded to 0
  if (!(ratio <= static_cast<double>(budget) + 1.0)) {
    return {budget, BoundOutcome::capped, success_probability(budget, log_f, log_s)};
  }
  long long n = static_cast<long long>(std::ceil(ratio));
  if (n < 1) n = 1;
  // ceil of a rounded quotient can be one off either way: settle it on the
  // criterion itself, n ln F <= ln delta < (n-1) ln F.
  while (n > 1 && succeeds(n - 1)) --n;
  while (!succeeds(n)) ++n;
  if (n > budget) {
    return {budget, BoundOutcome::capped, success_probability(budget, log_f, log_s)};
  }
  return {static_cast<int>(n), BoundOutcome::reached, success_probability(n, log_f, log_s)};
}

SampleBound grid_bound(const TruncatedNormal& law, double target, double risk, int budget) {
  const ReferenceGridResult grid =
      reference_grid_min_n(law.mu(), law.sigma(), target, risk, budget);
  const double log_s = law.log_tails(target).log_survival;
  SampleBound bound;
  bound.n = grid.n;
  // The routine's own probability, not the exact law's: the two disagree
  // exactly where the grid fails (it can say "capped" where the law gives 1).
  bound.p_success = grid.p_success;
  if (target <= 0.0) {
    bound.outcome = BoundOutcome::certain;
  } else if (grid.found) {
    bound.outcome = BoundOutcome::reached;
  } else if (log_s == kNegInf) {
    bound.outcome = BoundOutcome::unreachable;
  } else {
    bound.outcome = BoundOutcome::capped;
  }
  return bound;
}

}  // namespace

SampleBound required_samples(const TruncatedNormal& law, const SampleBoundRequest& request) {
  if (!(std::isfinite(request.target))) {
    throw Error(std::string(kWhere) + ": target must be a finite number, got " +
                detail::number_text(request.target));
  }
  if (!(request.risk > 0.0 && request.risk < 1.0)) {
    throw Error(std::string(kWhere) + ": delta = 1 - confidence must be in (0, 1), got " +
                detail::number_text(request.risk));
  }
  if (!(request.budget >= 1)) {
    throw Error(std::string(kWhere) + ": budget must be >= 1, got " +
                std::to_string(request.budget));
  }
  if (!(request.peek >= 0 && request.peek <= request.budget)) {
    throw Error(std::string(kWhere) + ": peek must be in [0, budget = " +
                std::to_string(request.budget) + "], got " + std::to_string(request.peek));
  }
  if (!(request.method != BoundMethod::grid || request.budget <= kMaxGridBudget)) {
    throw Error(std::string(kWhere) + ": the grid method takes budgets up to " +
                std::to_string(kMaxGridBudget) + ", got " + std::to_string(request.budget));
  }

  SampleBound bound =
      request.method == BoundMethod::grid
          ? grid_bound(law, request.target, request.risk, request.budget)
          : exact_bound(law, request.target, std::log(request.risk), request.budget);
  if (bound.n < request.peek) {
    // The peeks are paid for: use them all (paper-spec §2, N = max(P, N*)).
    bound.n = request.peek;
    if (request.method == BoundMethod::grid) {
      bound.p_success = reference_grid_success_probability(law.mu(), law.sigma(), request.target, bound.n);
    } else {
      const TruncatedNormal::LogTails tails = law.log_tails(request.target);
      bound.p_success = success_probability(bound.n, tails.log_cdf, tails.log_survival);
    }
  }
  return bound;
}

SampleBound required_samples(const TruncatedNormal& law, double target, double confidence,
                             int budget, BoundMethod method) {
  if (!(confidence > 0.0 && confidence < 1.0)) {
    throw Error(std::string(kWhere) + ": confidence must be in (0, 1), got " +
                detail::number_text(confidence));
  }
  SampleBoundRequest request;
  request.target = target;
  request.risk = 1.0 - confidence;
  request.budget = budget;
  request.method = method;
  return required_samples(law, request);
}

std::string to_string(BoundOutcome outcome) {
  switch (outcome) {
    case BoundOutcome::reached:
      return "reached";
    case BoundOutcome::capped:
      return "capped";
    case BoundOutcome::unreachable:
      return "unreachable";
    case BoundOutcome::certain:
      return "certain";
  }
  return "unknown";
}

std::string to_string(BoundMethod method) { return method == BoundMethod::grid ? "grid" : "exact"; }

BoundMethod parse_bound_method(const std::string& text) {
  if (text == "exact") return BoundMethod::exact;
  if (text == "grid") return BoundMethod::grid;
  throw Error(std::string(kWhere) + ": method must be \"exact\" or \"grid\", got \"" + text + "\"");
}

}  // namespace optscale::stats
