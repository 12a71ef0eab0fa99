#include "optscale/policy/vote.hpp"

#include <algorithm>

namespace optscale::policy {

void VoteCounter::add(const Observation& observation, int index, double weight) {
  if (observation.answer_class < 0 && !none_votes_) return;
  for (Tally& t : tallies_) {
    if (t.answer_class == observation.answer_class) {
      ++t.count;
      t.weight += weight;
      return;
    }
  }
  tallies_.push_back(Tally{observation.answer_class, index, 1, weight});
}

int VoteCounter::winner() const {
  // Classes are kept in order of first appearance, so a strict '>' sends ties
  // to the class seen first.
  const Tally* best = nullptr;
  for (const Tally& t : tallies_)
    if (best == nullptr || t.weight > best->weight) best = &t;
  return best == nullptr ? -1 : best->first_index;
}

int VoteCounter::top_count() const {
  int top = 0;
  for (const Tally& t : tallies_) top = std::max(top, t.count);
  return top;
}

int VoteCounter::runner_up_count() const {
  int top = 0, second = 0;
  for (const Tally& t : tallies_) {
    if (t.count > top) {
      second = top;
      top = t.count;
    } else if (t.count > second) {
      second = t.count;
    }
  }
  return second;
}

double VoteCounter::top_weight() const {
  double top = 0.0;
  for (const Tally& t : tallies_) top = std::max(top, t.weight);
  return top;
}

double VoteCounter::runner_up_weight() const {
  double top = 0.0, second = 0.0;
  for (const Tally& t : tallies_) {
    if (t.weight > top) {
      second = top;
      top = t.weight;
    } else if (t.weight > second) {
      second = t.weight;
    }
  }
  return second;
}

namespace {

int vote(std::span<const Observation> observed, bool none_votes, bool weighted) {
  VoteCounter counter(none_votes);
  for (std::size_t i = 0; i < observed.size(); ++i)
    counter.add(observed[i], static_cast<int>(i), weighted ? observed[i].score : 1.0);
  return counter.winner();
}

}  // namespace

int majority_vote(std::span<const Observation> observed, bool none_votes) {
  return vote(observed, none_votes, false);
}

int weighted_vote(std::span<const Observation> observed, bool none_votes) {
  return vote(observed, none_votes, true);
}

bool all_agree(std::span<const Observation> samples, bool none_votes) {
  if (samples.empty()) return false;
  const int first = samples.front().answer_class;
  if (first < 0 && !none_votes) return false;
  return std::all_of(samples.begin(), samples.end(),
                     [first](const Observation& o) { return o.answer_class == first; });
}

}  // namespace optscale::policy
