// Votes over answer classes (self-consistency): plain majority (sc, esc, asc,
// dsc) and score-weighted (wsc). Ties go to the class whose first sample came
// first. Samples without an answer (class -1) vote only when `none_votes` is
// set (the reference lets "None" win; by default they are ignored).
#pragma once
#include <span>
#include <vector>

#include "optscale/policy/policy.hpp"

namespace optscale::policy {

class VoteCounter {
 public:
  explicit VoteCounter(bool none_votes) : none_votes_(none_votes) {}

  // Adds sample `index` with the given weight (1 for a plain vote).
  void add(const Observation& observation, int index, double weight = 1.0);

  // First sample of the winning class; -1 when no sample has voted.
  int winner() const;
  // Vote counts (not weights) of the top class and of the runner-up (0 when
  // fewer than two classes have voted), as ASC's Beta criterion uses them.
  int top_count() const;
  int runner_up_count() const;
  // The same for summed weights (hybrid's weighted Beta criterion).
  double top_weight() const;
  double runner_up_weight() const;

 private:
  struct Tally {
    int answer_class;
    int first_index;
    int count;
    double weight;
  };
  bool none_votes_;
  std::vector<Tally> tallies_;  // in order of first appearance
};

// First sample of the majority class (count), or of the class with the
// largest summed score (weighted); -1 when nothing votes.
int majority_vote(std::span<const Observation> observed, bool none_votes);
int weighted_vote(std::span<const Observation> observed, bool none_votes);

// True when the samples are at least one, all carry the same answer class and,
// unless `none_votes`, that class is a real answer (ESC's window test).
bool all_agree(std::span<const Observation> samples, bool none_votes);

}  // namespace optscale::policy
