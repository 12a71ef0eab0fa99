// One (problem, order) stream: the pool's samples in the order a strategy
// will draw them, as policies observe them (policy::run_policy drives a
// policy over it).
#pragma once
#include <span>
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

}  // namespace optscale::replay
