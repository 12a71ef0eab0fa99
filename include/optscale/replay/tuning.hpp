// Honest tuning of a strategy's free settings (target, confidence, ...) per
// (family, budget): k-fold cross-validation across problems, with the
// reference's test-set selection available only under its own name
// (paper-spec §4, §7.1), and the Pareto front of accuracy against tokens.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "optscale/replay/replay.hpp"

namespace optscale::replay {

enum class Selection {
  cv,    // k-fold cross-validation across problems; held-out figures (default)
  test,  // the paper's: best accuracy on the very problems reported (optimistic)
};

std::string to_string(Selection selection);
// Parses "cv" / "test"; throws optscale::Error naming the bad value.
Selection parse_selection(const std::string& text);

struct TuningOptions {
  Selection selection = Selection::cv;
  int folds = 5;
  std::uint64_t seed = 0;   // of the fold split
};

// One (family, budget) cell: its candidate configurations and what was chosen.
struct TunedCell {
  std::string family;
  int budget = 0;
  std::vector<std::size_t> candidates;      // indices into ReplayResult::strategies
  // cv: the candidate chosen on each fold's training problems; test: one entry.
  std::vector<std::size_t> chosen;
  std::size_t most_chosen = 0;              // the most frequent choice (earliest on ties)
  // cv: over the held-out predictions of every fold, concatenated (each
  // problem scored by the configuration chosen without it); test: the chosen
  // configuration's figures on all problems.
  Figure accuracy, tokens, samples;
};

struct TuningResult {
  Selection selection = Selection::cv;
  int folds = 0;                            // 0 for test selection
  std::uint64_t seed = 0;
  std::vector<int> fold_of_problem;         // empty for test selection
  std::vector<TunedCell> cells;             // in order of first appearance
  std::vector<std::size_t> pareto;          // ReplayResult indices on the front, by tokens
};

// Among `candidates`, the best mean accuracy over `problems`, ties (within
// 1e-12) by fewest mean tokens, then the earliest candidate.
std::size_t select_best(const ReplayResult& result, std::span<const std::size_t> candidates,
                        std::span<const std::size_t> problems);

// The non-dominated configurations among `indices` (all if empty): sorted by
// mean tokens, each more accurate than every cheaper one.
std::vector<std::size_t> pareto_front(const ReplayResult& result,
                                      std::span<const std::size_t> indices = {});

// Tunes every (family, budget) cell of the result. Throws optscale::Error for
// a bad fold count (cv needs 2 <= folds <= problems).
TuningResult tune(const ReplayResult& result, const TuningOptions& options);

}  // namespace optscale::replay
