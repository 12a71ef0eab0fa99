// Strategy specs as written on the command line (docs/strategies.md):
//   name:key=value,key=value          e.g. optscale0:n=16,peek=5,target=0.95
// A value may be a '|' list (target=0.9|0.95|0.99); such a sweep expands to
// every combination, the first key varying slowest and the last fastest.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "optscale/policy/policy.hpp"

namespace optscale::policy {

struct SpecParam {
  std::string key;
  std::vector<std::string> values;  // one value, or several for a sweep
};

struct StrategySpec {
  std::string name;
  std::vector<SpecParam> params;  // in the order written
  bool is_sweep() const;
  // Back to text ("name:key=v1|v2,key=v"; just "name" without params).
  std::string to_string() const;
};

// Syntax only (names and keys are checked by make_strategy). Throws
// optscale::Error quoting the spec for an empty name or key, a parameter
// without '=', an empty value or list item, or a key given twice.
StrategySpec parse_spec(std::string_view text);

// Every combination of the sweep lists, in odometer order (last key fastest).
// A spec without lists expands to itself.
std::vector<StrategySpec> expand_spec(const StrategySpec& spec);

// One strategy from a spec without lists. Throws optscale::Error naming the
// spec and the key for an unknown strategy or key, a bad value or a missing
// required key.
std::unique_ptr<Strategy> make_strategy(const StrategySpec& spec);

// parse_spec + expand_spec + make_strategy for each combination.
std::vector<std::unique_ptr<Strategy>> make_strategies(const std::string& spec);

// The strategy names make_strategy knows, in documentation order.
std::vector<std::string> strategy_names();

}  // namespace optscale::policy
