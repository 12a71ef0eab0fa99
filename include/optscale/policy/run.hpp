// Driving a policy over samples that already exist (a pool, or a test's
// hand-built list): feed it the observations it asks for, in order, until it
// stops, then ask which one it selects. The replay and the tests share this.
#pragma once
#include <span>
#include <string>
#include <vector>

#include "optscale/policy/policy.hpp"

namespace optscale::policy {

struct RunResult {
  int consumed = 0;       // samples drawn: always the first `consumed` observations
  int selected = -1;      // index of the selected sample; -1 = no answer
  std::string reason;     // the policy's stop reason
  long long tokens = 0;   // sum of the consumed samples' tokens
  int rounds = 0;         // requests made (draw > 0 steps); latency rounds online
};

// Throws optscale::Error when an observation is invalid (score not finite or
// outside [0, 1], negative tokens, class < -1), when the policy asks for more
// samples than `observations` holds, gives a negative draw or an empty stop
// reason, or selects an index outside the consumed prefix.
RunResult run_policy(ProblemPolicy& policy, std::span<const Observation> observations);

// start() then run_policy(); also checks that the strategy stays within its
// budget. For per-problem strategies only (throws for cross_problem() ones).
RunResult run_policy(const Strategy& strategy, const ProblemInfo& problem,
                     std::span<const Observation> observations);

// Runs any strategy (cross-problem ones included) over a set of problems:
// plan() with probes served from `observations[i]`, then every problem in
// order. observations.size() must equal problems.size().
std::vector<RunResult> run_strategy(const Strategy& strategy,
                                    std::span<const ProblemInfo> problems,
                                    std::span<const std::vector<Observation>> observations);

// Throws optscale::Error naming `where` and the index when an observation is
// invalid (see run_policy).
void validate_observations(std::span<const Observation> observations, const std::string& where);

}  // namespace optscale::policy
