// Adaptive self-consistency (paper-spec §5), shared by asc and dsc: after
// each sample i >= 2 stop once p = P(Beta(a+1, b+1) > 1/2) >= threshold
// (a, b: top and runner-up vote counts), else go on up to the budget.
//
// It asks for samples in the largest batches that cannot change the outcome:
// k more samples are requested only when no sequence of fewer could meet the
// criterion (p grows with a and falls with b, and k samples raise a by at
// most k while b never falls). So the stopping point is exactly the
// one-at-a-time rule's, and the engine may draw the batch in parallel.
#pragma once
#include <span>

#include "optscale/policy/policy.hpp"
#include "optscale/policy/vote.hpp"

namespace optscale::policy::detail {

// The Beta criterion on vote counts: at least two votes' worth drawn and
// P(Beta(top+1, runner_up+1) > 1/2) >= threshold.
bool agreement_met(int drawn, int top, int runner_up, double threshold);

// How many more samples to ask for: the fewest after which the criterion
// could be met if each new sample added `votes_per_sample` votes to the top
// class (at least 1, at most `remaining`). Fewer could not change where the
// one-at-a-time rule stops. `drawn` counts votes like `top` does.
int agreement_batch(int drawn, int remaining, int top, int runner_up, double threshold,
                    int votes_per_sample = 1);

class AscCore {
 public:
  AscCore(int budget, double threshold, bool none_votes)
      : budget_(budget), threshold_(threshold), none_votes_(none_votes), counter_(none_votes) {}

  // `observed` must extend what earlier calls saw.
  Step next(std::span<const Observation> observed);
  int select(std::span<const Observation> observed) const {
    return majority_vote(observed, none_votes_);
  }

 private:
  int budget_;
  double threshold_;
  bool none_votes_;
  VoteCounter counter_;
  int seen_ = 0;
};

}  // namespace optscale::policy::detail
