// What optscale0, optscalet and optscale-seq share: the bound keys (target,
// confidence or delta, method, bounds), the prior keys, and turning a fit into
// a score law and a bound outcome into a stop reason.
#pragma once
#include <optional>
#include <string>

#include "optscale/policy/policy.hpp"
#include "optscale/stats/estimators.hpp"
#include "optscale/stats/sample_bound.hpp"
#include "optscale/stats/truncated_normal.hpp"
#include "prior_keys.hpp"
#include "spec_reader.hpp"

namespace optscale::policy::detail {

struct BoundConfig {
  double target = 0.95;      // s*
  double confidence = 0.95;  // 1 - delta
  stats::BoundMethod method = stats::BoundMethod::exact;
  bool reference_bounds = false;  // the reference's fit box instead of ours
  stats::FitBounds fit_bounds() const;
};

// target (default 0.95, in [0, 1]); confidence (default 0.95, in (0, 1)) or
// delta (= 1 - confidence), not both; method exact|grid; bounds default|reference.
BoundConfig read_bound_config(SpecReader& reader);
void write_bound_config(SpecWriter& writer, const BoundConfig& config);

// prior_std: a number > 0 (both prior stds; default 0.1 as the paper) or
// "predictor" (ProblemInfo::prior_std).
struct PriorStdConfig {
  bool from_predictor = false;
  double value = 0.1;
};
// The default is "predictor" when the spec names a predictor model (its
// learned uncertainty), else 0.1.
PriorStdConfig read_prior_std(SpecReader& reader, const std::optional<PriorSource>& source);
std::string to_text(const PriorStdConfig& config);

// The Gaussian priors of a problem: means from ProblemInfo::prior. nullopt
// when the problem has no prior; throws naming `who` and the problem when the
// spec names a `source` the problem's prior was not resolved from, when the
// prior std must come from the predictor and is missing, or a value is not
// finite or a std not > 0.
std::optional<stats::FitPrior> problem_prior(const ProblemInfo& problem, const PriorStdConfig& config,
                                             const std::optional<PriorSource>& source,
                                             const std::string& who);

// The problem's fit provider; throws naming `who` and the problem when null.
FitProvider& fits_of(const ProblemInfo& problem, const std::string& who);

stats::TruncatedNormal law_of(const stats::FitResult& fit);

// reached / certain -> "bound", capped -> "capped", unreachable -> "unreachable".
std::string stop_reason_of(stats::BoundOutcome outcome);

// P(the best of `remaining` more draws from `law` reaches `target`) =
// 1 - F(target)^remaining (1 when F(target) = 0): optscale-seq's futility chance.
double chance_to_reach(const stats::TruncatedNormal& law, double target, int remaining);

// peek (default default_peek(n), in [1, n]).
int read_peek(SpecReader& reader, int budget);

}  // namespace optscale::policy::detail
