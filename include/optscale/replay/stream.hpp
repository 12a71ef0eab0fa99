// One (problem, order) stream: the pool's samples in the order a strategy
// will draw them, as policies observe them (policy::ProblemRun drives a
// policy over it).
#pragma once
#include <span>
#include <vector>

#include "optscale/policy/numbered_stream.hpp"
#include "optscale/pool/pool.hpp"
#include "optscale/replay/graded_problem.hpp"

namespace optscale::replay {

struct Stream {
  std::vector<int> pool_index;        // draw position -> sample index in the pool
  policy::NumberedStream numbered;    // the observations, classes as each prefix numbers them
  std::vector<double> scores;         // observations' scores, contiguous
};

// Orders the problem's samples by `order` (a permutation of its indices).
// Answer classes are numbered by first appearance in this draw order, per
// prefix, as a live run drawing in this order numbers them; the problem's
// answer table keeps the equivalence verdicts for its other orders.
Stream make_stream(const pool::Problem& problem, GradedProblem& graded, std::span<const int> order);

}  // namespace optscale::replay
