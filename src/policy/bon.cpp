// bon: draw the whole budget, select the best score (empty-completion rule).
#include "factories.hpp"
#include "optscale/policy/selection.hpp"
#include "optscale/policy/stop_reason.hpp"

namespace optscale::policy::detail {

namespace {

class BestOfNPolicy final : public ProblemPolicy {
 public:
  explicit BestOfNPolicy(int budget) : budget_(budget) {}
  Step next(std::span<const Observation> observed) override {
    if (observed.empty()) return Step::more(budget_);
    return Step::stop(stop_reason::kBudget);
  }
  int select(std::span<const Observation> observed) const override { return best_of_n(observed); }

 private:
  int budget_;
};

class BestOfN final : public BasicStrategy {
 public:
  explicit BestOfN(int n) : BasicStrategy(SpecWriter("bon").add("n", n).str(), n) {}
  std::unique_ptr<ProblemPolicy> start(const ProblemInfo&) const override {
    return std::make_unique<BestOfNPolicy>(budget());
  }
};

}  // namespace

std::unique_ptr<Strategy> make_bon(SpecReader& reader) {
  return std::make_unique<BestOfN>(read_budget(reader));
}

}  // namespace optscale::policy::detail
