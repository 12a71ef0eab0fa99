#include "optscale/policy/policy.hpp"

#include <string>
#include <vector>

#include "optscale/util/error.hpp"
#include "optscale/util/invariant.hpp"

namespace optscale::policy {

stats::FitResult DirectFitProvider::fit(std::span<const Observation> observed, int count,
                                        const std::optional<stats::FitPrior>& prior,
                                        const stats::FitBounds& bounds) {
  OPTSCALE_INVARIANT(count >= 1 && static_cast<std::size_t>(count) <= observed.size(),
                     "fit provider asked to fit the first " + std::to_string(count) + " of " +
                         std::to_string(observed.size()) + " observations");
  std::vector<double> scores;
  scores.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) scores.push_back(observed[static_cast<std::size_t>(i)].score);
  return stats::fit_truncated_normal(scores, prior, bounds);
}

namespace {

// The plan of a per-problem strategy: nothing to decide across problems.
class PerProblemPlan final : public DatasetPlan {
 public:
  PerProblemPlan(const Strategy& strategy, std::span<const ProblemInfo> problems)
      : strategy_(strategy), problems_(problems) {}

  std::unique_ptr<ProblemPolicy> start(std::size_t index) const override {
    OPTSCALE_INVARIANT(index < problems_.size(), strategy_.spec() + ": problem index " + std::to_string(index) +
                                                     " out of range (plan holds " + std::to_string(problems_.size()) +
                                                     " problems)");
    return strategy_.start(problems_[index]);
  }

 private:
  const Strategy& strategy_;
  std::span<const ProblemInfo> problems_;
};

}  // namespace

std::unique_ptr<DatasetPlan> Strategy::plan(std::span<const ProblemInfo> problems,
                                            const ProbeFn& /*probe*/) const {
  return std::make_unique<PerProblemPlan>(*this, problems);
}

}  // namespace optscale::policy
