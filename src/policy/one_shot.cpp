#include "one_shot.hpp"

#include <algorithm>

#include "optscale/policy/selection.hpp"

namespace optscale::policy::detail {

Step OneShotPolicy::next(std::span<const Observation> observed) {
  const int drawn = static_cast<int>(observed.size());
  if (drawn == 0) return Step::more(config_.peek);
  if (decided_total_ == 0) {
    const stats::FitResult fit =
        fits_.fit(observed, config_.peek, prior_, config_.bound.fit_bounds());
    const stats::SampleBound bound =
        stats::required_samples(law_of(fit), config_.bound.target, config_.bound.confidence,
                                config_.budget, config_.bound.method);
    decided_total_ = std::max(config_.peek, bound.n);
    reason_ = stop_reason_of(bound.outcome);
  }
  if (drawn < decided_total_) return Step::more(decided_total_ - drawn);
  return Step::stop(reason_);
}

int OneShotPolicy::select(std::span<const Observation> observed) const {
  return best_of_n(observed);
}

}  // namespace optscale::policy::detail
