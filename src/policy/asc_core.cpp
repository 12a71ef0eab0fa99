#include "asc_core.hpp"

#include "optscale/policy/beta_criterion.hpp"
#include "optscale/policy/stop_reason.hpp"

namespace optscale::policy::detail {

bool AscCore::criterion_met(int drawn, int top, int runner_up) const {
  return drawn >= 2 && majority_confidence(top, runner_up) >= threshold_;
}

Step AscCore::next(std::span<const Observation> observed) {
  const int drawn = static_cast<int>(observed.size());
  for (; seen_ < drawn; ++seen_) counter_.add(observed[static_cast<std::size_t>(seen_)], seen_);
  const int top = counter_.top_count();
  const int runner_up = counter_.runner_up_count();
  if (criterion_met(drawn, top, runner_up)) return Step::stop(stop_reason::kConsistent);
  if (drawn >= budget_) return Step::stop(stop_reason::kBudget);
  const int remaining = budget_ - drawn;
  int batch = 1;
  while (batch < remaining && !criterion_met(drawn + batch, top + batch, runner_up)) ++batch;
  return Step::more(batch);
}

}  // namespace optscale::policy::detail
