// wsc: draw the whole budget, vote with each sample weighted by its score.
#include "factories.hpp"
#include "optscale/policy/stop_reason.hpp"
#include "optscale/policy/vote.hpp"

namespace optscale::policy::detail {

namespace {

class WeightedVotePolicy final : public ProblemPolicy {
 public:
  WeightedVotePolicy(int budget, bool none_votes) : budget_(budget), none_votes_(none_votes) {}
  Step next(std::span<const Observation> observed) override {
    if (observed.empty()) return Step::more(budget_);
    return Step::stop(stop_reason::kBudget);
  }
  int select(std::span<const Observation> observed) const override {
    return weighted_vote(observed, none_votes_);
  }

 private:
  int budget_;
  bool none_votes_;
};

class WeightedSelfConsistency final : public BasicStrategy {
 public:
  WeightedSelfConsistency(int n, bool none_votes)
      : BasicStrategy(SpecWriter("wsc").add("n", n).add("none_votes", none_votes ? 1 : 0).str(), n),
        none_votes_(none_votes) {}
  std::unique_ptr<ProblemPolicy> start(const ProblemInfo&) const override {
    return std::make_unique<WeightedVotePolicy>(budget(), none_votes_);
  }

 private:
  bool none_votes_;
};

}  // namespace

std::unique_ptr<Strategy> make_wsc(SpecReader& reader) {
  const int budget = read_budget(reader);
  return std::make_unique<WeightedSelfConsistency>(budget, read_none_votes(reader));
}

}  // namespace optscale::policy::detail
