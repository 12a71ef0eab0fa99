// The policy of each proxied request: the server's strategy spec (--policy),
// changed by the request's `optscale` overrides. `policy` replaces the spec,
// `target` and `confidence` set those keys (confidence replaces a `delta`),
// `budget` sets `n`. Strategies come from policy::make_strategy, the same
// objects `optscale eval` and `optscale run` use.
#pragma once
#include <memory>
#include <string>

#include "optscale/policy/policy.hpp"
#include "optscale/policy/spec.hpp"
#include "optscale/server/chat_request.hpp"
#include "optscale/server/request_priors.hpp"

namespace optscale::server {

class PolicyResolver {
 public:
  // Throws optscale::Error naming --policy when the spec is malformed, a
  // sweep, cross-problem (dsc), needs a prior without naming a predictor
  // model (`predictor=`) in `priors` (null: none allowed), or has a budget
  // above `max_budget`. `priors` must outlive the resolver.
  PolicyResolver(const std::string& default_spec, int max_budget, RequestPriors* priors = nullptr);

  // The default strategy when there are no overrides (shared, never rebuilt).
  // Throws ApiError(400) for overrides the spec refuses (e.g. `target` on
  // bon), a budget above max_budget, or a bad policy; its `param` names the
  // override at fault ("optscale.target"), or "optscale" when only the
  // combination fails.
  std::shared_ptr<const policy::Strategy> resolve(const RequestOverrides& overrides) const;

  const policy::Strategy& default_strategy() const { return *default_; }
  int max_budget() const { return max_budget_; }

 private:
  policy::StrategySpec spec_for(const RequestOverrides& overrides) const;
  std::string failing_param(const RequestOverrides& overrides) const;

  std::string default_spec_;
  int max_budget_;
  RequestPriors* priors_;
  std::shared_ptr<const policy::Strategy> default_;
};

}  // namespace optscale::server
