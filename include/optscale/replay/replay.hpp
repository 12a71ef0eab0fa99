// The replay engine: every strategy on every problem of a pool, on one or
// more seeded sample orders, with the figures the reports print
// (docs/replay.md). Deterministic for a given seed whatever the thread count.
#pragma once
#include <functional>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "optscale/policy/policy.hpp"
#include "optscale/pool/pool.hpp"
#include "optscale/replay/figure.hpp"
#include "optscale/replay/graded_problem.hpp"

namespace optscale::replay {

struct ReplayOptions {
  int orders = 1;            // 1: pool order (the paper's protocol); R > 1: R seeded permutations
  std::uint64_t seed = 0;    // seeds the permutations (unused when orders == 1)
  int threads = 0;           // worker threads; <= 0: hardware concurrency
  answers::AnswerGrouping grouping = answers::AnswerGrouping::equivalent;
  double confidence = 0.95;  // of the intervals
  // Where a long replay's progress lines go (ProgressTicker); empty: silent.
  std::function<void(const std::string&)> progress;
};

struct StrategyResult {
  std::string spec;          // Strategy::spec()
  std::string family;        // the spec's name before ':' (e.g. "optscale0")
  int budget = 0;
  Figure accuracy;           // fraction of problems answered correctly
  Figure tokens;             // tokens of every consumed sample, per problem
  Figure samples;            // consumed samples per problem
  std::map<std::string, long long> stop_reasons;  // over problems x orders
  // Per problem (pool order), the mean over orders: what tuning splits into folds.
  std::vector<double> problem_accuracy, problem_tokens, problem_samples;
};

struct ReplayResult {
  std::vector<StrategyResult> strategies;  // in the order given
  std::size_t problems = 0;
  int orders = 1;
  std::uint64_t seed = 0;
  answers::AnswerGrouping grouping = answers::AnswerGrouping::equivalent;
  double confidence = 0.95;
  bool synthetic = false;                  // the pool is simulated: reports say SIMULATED
  std::size_t fits_computed = 0, fits_reused = 0;
};

// The family of a spec: the text before the first ':' (the whole spec if none).
std::string strategy_family(const std::string& spec);

// Runs every strategy on every (problem, order) stream. A strategy whose
// spec names its priors (Strategy::prior_source: predictor=, priors=) sees
// them, resolved once per distinct source over the whole pool by
// predict::resolve_priors; the others see the pool's `prior` fields. Throws
// what resolve_priors throws (missing file, problem without text, priors of
// another length or other ids), and
// optscale::Error for an empty pool or strategy list, orders < 1, a strategy
// whose budget exceeds a problem's sample count (naming both), ungradable
// samples, and a policy that breaks its contract (draws past its budget,
// selects a sample it did not draw).
ReplayResult replay(const pool::Pool& pool, std::span<const policy::Strategy* const> strategies,
                    const ReplayOptions& options);


}  // namespace optscale::replay
