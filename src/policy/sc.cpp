// sc: draw the whole budget, majority vote over answer classes.
#include "factories.hpp"
#include "optscale/policy/stop_reason.hpp"
#include "optscale/policy/vote.hpp"

namespace optscale::policy::detail {

namespace {

class MajorityVotePolicy final : public ProblemPolicy {
 public:
  MajorityVotePolicy(int budget, bool none_votes) : budget_(budget), none_votes_(none_votes) {}
  Step next(std::span<const Observation> observed) override {
    if (observed.empty()) return Step::more(budget_);
    return Step::stop(stop_reason::kBudget);
  }
  int select(std::span<const Observation> observed) const override {
    return majority_vote(observed, none_votes_);
  }

 private:
  int budget_;
  bool none_votes_;
};

class SelfConsistency final : public BasicStrategy {
 public:
  SelfConsistency(int n, bool none_votes)
      : BasicStrategy(SpecWriter("sc").add("n", n).add("none_votes", none_votes ? 1 : 0).str(), n),
        none_votes_(none_votes) {}
  std::unique_ptr<ProblemPolicy> start(const ProblemInfo&) const override {
    return std::make_unique<MajorityVotePolicy>(budget(), none_votes_);
  }

 private:
  bool none_votes_;
};

}  // namespace

std::unique_ptr<Strategy> make_sc(SpecReader& reader) {
  const int budget = read_budget(reader);
  return std::make_unique<SelfConsistency>(budget, read_none_votes(reader));
}

}  // namespace optscale::policy::detail
