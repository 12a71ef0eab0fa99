// One (problem, order) stream: the pool's samples in the order a strategy
// will draw them, as policies observe them, and one strategy's run on it.
#pragma once
#include <span>
#include <string>
#include <vector>

#include "optscale/policy/policy.hpp"
#include "optscale/pool/pool.hpp"
#include "optscale/replay/graded_problem.hpp"

namespace optscale::replay {

struct Stream {
  std::vector<int> pool_index;                    // draw position -> sample index in the pool
  std::vector<policy::Observation> observations;  // in draw order
  std::vector<double> scores;                     // observations' scores, contiguous
};

// Orders the problem's samples by `order` (a permutation of its indices).
// Answer classes are renumbered by first appearance in this draw order, as
// policy::Observation specifies.
Stream make_stream(const pool::Problem& problem, const GradedProblem& graded,
                   std::span<const int> order);

struct StreamOutcome {
  int consumed = 0;        // samples drawn
  int selected = -1;       // draw position of the selected sample; -1 = no answer
  long long tokens = 0;    // tokens of the drawn samples
  std::string reason;      // the policy's stop reason
};

// Drives one policy over the stream until it stops. Throws optscale::Error
// (naming the strategy) when the policy asks for a negative count, draws past
// its budget or the stream, or selects a sample it has not drawn.
StreamOutcome run_on_stream(const policy::Strategy& strategy, const policy::ProblemInfo& problem,
                            std::span<const policy::Observation> stream);

}  // namespace optscale::replay
