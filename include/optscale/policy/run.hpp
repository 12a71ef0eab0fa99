// Running policies over samples that already exist (a test's hand-built
// list, a set of problems' lists): thin loops over policy::ProblemRun, the
// one driver (problem_run.hpp). Observations given here carry their
// answer_class already, and it is taken as every prefix's numbering.
#pragma once
#include <span>
#include <string>
#include <vector>

#include "optscale/policy/policy.hpp"
#include "optscale/policy/problem_run.hpp"

namespace optscale::policy {

// Throws optscale::Error when an observation is invalid (score not finite or
// outside [0, 1], negative tokens, class < -1), when the policy asks for more
// samples than `observations` holds, gives a negative draw or an empty stop
// reason, or selects an index outside the consumed prefix.
RunResult run_policy(ProblemPolicy& policy, std::span<const Observation> observations);

// start() then the same; also checks that the strategy stays within its
// budget. For per-problem strategies only (throws for cross_problem() ones).
RunResult run_policy(const Strategy& strategy, const ProblemInfo& problem,
                     std::span<const Observation> observations);

// Drives a run over `stream` to its end: start(), take() until it stops,
// finish().
RunResult run_to_end(ProblemRun& run);

// Runs any strategy (cross-problem ones included) over a set of problems:
// plan() with probes served from `observations[i]`, then every problem in
// order. observations.size() must equal problems.size().
std::vector<RunResult> run_strategy(const Strategy& strategy,
                                    std::span<const ProblemInfo> problems,
                                    std::span<const std::vector<Observation>> observations);
// The same over numbered streams (classes per prefix; probes see a prefix's).
std::vector<RunResult> run_strategy_on_streams(const Strategy& strategy, std::span<const ProblemInfo> problems,
                                               std::span<const NumberedStream> streams);

// Throws optscale::Error naming `where` and the index when an observation is
// invalid (see run_policy).
void validate_observations(std::span<const Observation> observations, const std::string& where);

}  // namespace optscale::policy
