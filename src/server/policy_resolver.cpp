#include "optscale/server/policy_resolver.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "optscale/policy/spec.hpp"
#include "optscale/server/api_error.hpp"

namespace optscale::server {
namespace {

void set_key(policy::StrategySpec& spec, const std::string& key, const std::string& value) {
  const auto it = std::find_if(spec.params.begin(), spec.params.end(),
                               [&](const policy::SpecParam& p) { return p.key == key; });
  if (it != spec.params.end()) {
    it->values = {value};
  } else {
    spec.params.push_back({key, {value}});
  }
}

void erase_key(policy::StrategySpec& spec, const std::string& key) {
  std::erase_if(spec.params, [&](const policy::SpecParam& p) { return p.key == key; });
}

std::string number_text(double value) {
  // Shortest text that reads back to the same double, as the specs print.
  char text[32];
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(text, sizeof text, "%.*g", digits, value);
    if (std::strtod(text, nullptr) == value) break;
  }
  return text;
}

// Builds a strategy the proxy can run per request, or throws Error saying why not.
// `from_request`: a client's override may name only the predictor of
// --policy or the shipped default model, never make the server read other files.
std::shared_ptr<const policy::Strategy> build(const policy::StrategySpec& spec, int max_budget,
                                              RequestPriors* priors, bool from_request) {
  if (spec.is_sweep())
    throw Error("strategy spec '" + spec.to_string() + "' is a sweep ('|' lists); the proxy runs one policy");
  std::shared_ptr<const policy::Strategy> strategy = policy::make_strategy(spec);
  if (strategy->cross_problem())
    throw Error("strategy '" + strategy->spec() +
                "' decides across problems; the proxy answers one request at a time");
  if (strategy->budget() > max_budget)
    throw Error("strategy '" + strategy->spec() + "' has budget n=" + std::to_string(strategy->budget()) +
                ", above the proxy's limit of " + std::to_string(max_budget) + " (--max-budget)");
  // A policy that cannot start without a predictor prior fails here, once,
  // rather than on every request; one that names a predictor model gets it
  // loaded here (and each request its prediction, from the answerer).
  policy::DirectFitProvider fits;
  policy::ProblemInfo probe;
  probe.id = "probe";
  probe.fits = &fits;
  if (const std::optional<policy::PriorSource> source = strategy->prior_source()) {
    if (priors == nullptr) throw Error("strategy '" + strategy->spec() + "' names a prior source; this proxy has none");
    if (from_request && source->path != "default" && !priors->loaded(*source))
      throw Error("a request may name only the predictor of --policy or predictor=default, not " + source->key());
    priors->require_usable(*source);
    probe.prior = std::array<double, 2>{0.5, 0.2};
    probe.prior_std = std::array<double, 2>{predict::kParityPriorStd, predict::kParityPriorStd};
    probe.prior_source = source->key();
  }
  strategy->start(probe);
  return strategy;
}

}  // namespace

PolicyResolver::PolicyResolver(const std::string& default_spec, int max_budget, RequestPriors* priors)
    : default_spec_(default_spec), max_budget_(max_budget), priors_(priors) {
  require(max_budget >= 1, "--max-budget", "must be at least 1");
  try {
    default_ = build(policy::parse_spec(default_spec), max_budget, priors_, /*from_request=*/false);
  } catch (const Error& e) {
    throw Error(std::string("--policy: ") + e.what());
  }
}

policy::StrategySpec PolicyResolver::spec_for(const RequestOverrides& overrides) const {
  policy::StrategySpec spec = policy::parse_spec(overrides.policy.value_or(default_spec_));
  if (overrides.target) set_key(spec, "target", number_text(*overrides.target));
  if (overrides.confidence) {
    erase_key(spec, "delta");
    set_key(spec, "confidence", number_text(*overrides.confidence));
  }
  if (overrides.budget) set_key(spec, "n", std::to_string(*overrides.budget));
  return spec;
}

// The override a failure is due to, as a JSON path for the error's `param`:
// the policy alone, else the first key that fails on it alone, else the
// combination ("optscale"). Runs only on the error path.
std::string PolicyResolver::failing_param(const RequestOverrides& overrides) const {
  const auto usable = [this](const RequestOverrides& subset) {
    try {
      build(spec_for(subset), max_budget_, priors_, /*from_request=*/true);
      return true;
    } catch (const Error&) {
      return false;
    }
  };
  RequestOverrides base;
  base.policy = overrides.policy;
  if (overrides.policy && !usable(base)) return "optscale.policy";
  RequestOverrides one = base;
  if (overrides.target) {
    one.target = overrides.target;
    if (!usable(one)) return "optscale.target";
    one = base;
  }
  if (overrides.confidence) {
    one.confidence = overrides.confidence;
    if (!usable(one)) return "optscale.confidence";
    one = base;
  }
  if (overrides.budget) {
    one.budget = overrides.budget;
    if (!usable(one)) return "optscale.budget";
  }
  return "optscale";
}

std::shared_ptr<const policy::Strategy> PolicyResolver::resolve(const RequestOverrides& overrides) const {
  if (!overrides.any()) return default_;
  try {
    return build(spec_for(overrides), max_budget_, priors_, /*from_request=*/true);
  } catch (const ApiError&) {
    throw;
  } catch (const Error& e) {
    throw ApiError(400, std::string("the `optscale` overrides give no usable policy: ") + e.what(), "invalid_policy",
                   failing_param(overrides));
  }
}

}  // namespace optscale::server
