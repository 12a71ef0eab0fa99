#include "asc_core.hpp"

#include "optscale/policy/beta_criterion.hpp"
#include "optscale/policy/stop_reason.hpp"

namespace optscale::policy::detail {

bool agreement_met(int drawn, int top, int runner_up, double threshold) {
  return drawn >= 2 && majority_confidence(top, runner_up) >= threshold;
}

int agreement_batch(int drawn, int remaining, int top, int runner_up, double threshold,
                    int votes_per_sample) {
  int batch = 1;
  while (batch < remaining && !agreement_met(drawn + batch * votes_per_sample,
                                             top + batch * votes_per_sample, runner_up, threshold))
    ++batch;
  return batch;
}

Step AscCore::next(std::span<const Observation> observed) {
  const int drawn = static_cast<int>(observed.size());
  for (; seen_ < drawn; ++seen_) counter_.add(observed[static_cast<std::size_t>(seen_)], seen_);
  const int top = counter_.top_count();
  const int runner_up = counter_.runner_up_count();
  if (agreement_met(drawn, top, runner_up, threshold_)) return Step::stop(stop_reason::kConsistent);
  if (drawn >= budget_) return Step::stop(stop_reason::kBudget);
  return Step::more(agreement_batch(drawn, budget_ - drawn, top, runner_up, threshold_));
}

}  // namespace optscale::policy::detail
