// Flags shared by the replay subcommands (eval, tune, demo).
#pragma once
#include <iostream>
#include <string>

#include "command.hpp"
#include "optscale/replay/replay.hpp"
#include "optscale/replay/tuning.hpp"

namespace optscale::cli {

// --orders, --seed, --threads and --answer-grouping (parsed later with
// replay::parse_answer_grouping).
inline void add_replay_flags(CLI::App& sub, replay::ReplayOptions& options, std::string& grouping) {
  add_flag_option(sub, "--orders", options.orders,
                  "Sample orders per problem: 1 = pool order (the paper's protocol); R > 1 = R seeded "
                  "permutations, figures averaged (default 1)")
      ->check(CLI::Range(1, 100000));
  add_flag_option(sub, "--seed", options.seed,
                  "Seed of the sample permutations and of the fold split (default 0)");
  add_flag_option(sub, "--threads", options.threads,
                  "Worker threads (default 0 = hardware concurrency); results do not depend on it")
      ->check(CLI::Range(0, 4096));
  add_flag_option(sub, "--answer-grouping", grouping,
                  "How answers form vote classes: 'equivalent' (canonical key + equivalence, default) "
                  "or 'raw' (exact strings, the reference's)")
      ->check(CLI::IsMember({"equivalent", "raw"}));
}

// --folds and --select.
inline void add_tuning_flags(CLI::App& sub, replay::TuningOptions& tuning, std::string& selection) {
  add_flag_option(sub, "--folds", tuning.folds, "Cross-validation folds across problems (default 5)")
      ->check(CLI::Range(2, 1000000));
  add_flag_option(sub, "--select", selection,
                  "'cv' (default): k-fold cross-validation, held-out figures; 'test': the paper's "
                  "test-set selection (optimistic, for parity)")
      ->check(CLI::IsMember({"cv", "test"}));
}

// Progress lines go to stderr.
inline void print_progress(const std::string& line) { std::cerr << "optscale: " << line << "\n"; }

}  // namespace optscale::cli
