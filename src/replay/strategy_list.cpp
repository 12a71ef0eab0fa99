#include "optscale/replay/strategy_list.hpp"

#include <algorithm>
#include <limits>

#include "optscale/policy/spec.hpp"
#include "optscale/util/error.hpp"

namespace optscale::replay {

std::vector<const policy::Strategy*> StrategyList::pointers() const {
  std::vector<const policy::Strategy*> out;
  out.reserve(owned.size());
  for (const auto& strategy : owned) out.push_back(strategy.get());
  return out;
}

StrategyList expand_specs(const std::vector<std::string>& specs) {
  require(!specs.empty(), "--strategy", "give at least one strategy spec (see docs/strategies.md)");
  StrategyList list;
  for (const std::string& spec : specs) {
    for (auto& strategy : policy::make_strategies(spec)) {
      list.owned.push_back(std::move(strategy));
      list.given.push_back(spec);
    }
  }
  return list;
}

int smallest_sample_count(const pool::Pool& pool) {
  std::size_t smallest = std::numeric_limits<std::size_t>::max();
  for (const pool::Problem& problem : pool.problems) smallest = std::min(smallest, problem.samples.size());
  return pool.problems.empty() ? 0 : static_cast<int>(smallest);
}

ReplayResult bon_reference_curve(const pool::Pool& pool, const ReplayOptions& options, int max_budget) {
  const int top = std::min(max_budget, smallest_sample_count(pool));
  require(top >= 1, "BoN reference curve", "the pool has a problem without samples");
  std::string spec = "bon:n=";
  for (int n = 1; n <= top; ++n) {
    if (n > 1) spec += '|';
    spec += std::to_string(n);
  }
  const StrategyList list = expand_specs({spec});
  return replay(pool, list.pointers(), options);
}

}  // namespace optscale::replay
