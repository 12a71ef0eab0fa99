// Strategies as the replay commands take them: --strategy specs (sweeps
// expanded by policy::make_strategies), remembering which spec each came from.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "optscale/policy/policy.hpp"
#include "optscale/pool/pool.hpp"
#include "optscale/replay/replay.hpp"

namespace optscale::replay {

struct StrategyList {
  std::vector<std::unique_ptr<policy::Strategy>> owned;
  std::vector<std::string> given;   // for each strategy, the spec it was expanded from
  std::vector<const policy::Strategy*> pointers() const;
};

// Expands every spec in order. Throws optscale::Error (from the policy layer,
// quoting the spec) for a bad one, and for an empty list.
StrategyList expand_specs(const std::vector<std::string>& specs);

// The fewest samples any problem of the pool has.
int smallest_sample_count(const pool::Pool& pool);

// Best-of-N at every budget 1..min(max_budget, smallest sample count), replayed
// with the same options: the reference curve of the plots.
ReplayResult bon_reference_curve(const pool::Pool& pool, const ReplayOptions& options, int max_budget = 64);

}  // namespace optscale::replay
