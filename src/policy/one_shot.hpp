// The reference's one decision after peeking (paper-spec §2), shared by
// optscale0 (MLE) and optscalet (MAP): draw `peek` samples, fit the score law
// on them, N = max(peek, N*) with N* = required_samples(law, s*, 1-delta, n),
// draw up to N, select by Best-of-N. Nothing is refitted, nothing stops early.
#pragma once
#include <optional>
#include <string>

#include "optscale/policy/policy.hpp"
#include "optscale_common.hpp"

namespace optscale::policy::detail {

struct OneShotConfig {
  int budget = 0;
  int peek = 0;
  BoundConfig bound;
};

class OneShotPolicy final : public ProblemPolicy {
 public:
  OneShotPolicy(const OneShotConfig& config, FitProvider& fits, std::optional<stats::FitPrior> prior)
      : config_(config), fits_(fits), prior_(std::move(prior)) {}

  Step next(std::span<const Observation> observed) override;
  int select(std::span<const Observation> observed) const override;

 private:
  OneShotConfig config_;
  FitProvider& fits_;
  std::optional<stats::FitPrior> prior_;
  int decided_total_ = 0;  // N, once decided
  std::string reason_;
};

}  // namespace optscale::policy::detail
