// Flags shared by the replay subcommands (eval, tune, demo).
#pragma once
#include <iostream>
#include <string>

#include "command.hpp"
#include "optscale/replay/jobs.hpp"
#include "optscale/replay/replay.hpp"
#include "optscale/replay/tuning.hpp"

namespace optscale::cli {

// What the replay flags read as text, turned into options once parsed
// (apply_flag_text).
struct ReplayFlagText {
  std::string grouping = "equivalent";
  std::string selection = "cv";
};

// --orders, --seed, --threads and --answer-grouping.
inline void add_replay_flags(CLI::App& sub, replay::ReplayOptions& options, ReplayFlagText& text) {
  add_flag_option(sub, "--orders", options.orders,
                  "Sample orders per problem: 1 = pool order (the paper's protocol); R > 1 = R seeded "
                  "permutations, figures averaged (default 1)")
      ->check(CLI::Range(1, 100000));
  add_flag_option(sub, "--seed", options.seed,
                  "Seed of the sample permutations and of the fold split (default 0)");
  add_flag_option(sub, "--threads", options.threads,
                  "Worker threads (default 0 = hardware concurrency); results do not depend on it")
      ->check(CLI::Range(0, 4096));
  add_flag_option(sub, "--answer-grouping", text.grouping,
                  "How answers form vote classes: 'equivalent' (canonical key + equivalence, default) "
                  "or 'raw' (exact strings, the reference's)")
      ->check(CLI::IsMember({"equivalent", "raw"}));
}

// --folds and --select (tune, demo).
inline void add_tuning_flags(CLI::App& sub, replay::TuningOptions& tuning, ReplayFlagText& text) {
  add_flag_option(sub, "--folds", tuning.folds, "Cross-validation folds across problems (default 5)")
      ->check(CLI::Range(2, 1000000));
  add_flag_option(sub, "--select", text.selection,
                  "'cv' (default): k-fold cross-validation, held-out figures; 'test': the paper's "
                  "test-set selection (optimistic, for parity)")
      ->check(CLI::IsMember({"cv", "test"}));
}

// --json, --json-out, --csv and --plot (eval, tune). `--json` is a switch
// (JSON on stdout) as on every other subcommand; --json-out names a file.
inline void add_report_flags(CLI::App& sub, replay::OutputFiles& outputs, const std::string& csv_help,
                             const std::string& plot_help) {
  CLI::Option* to_stdout =
      sub.add_flag_callback("--json", [&outputs] { outputs.json = "-"; }, "Print the results as JSON on stdout")
          ->envname(env_name("--json"));
  add_flag_option(sub, "--json-out", outputs.json, "Write the results as JSON to this file ('-': stdout)")
      ->excludes(to_stdout);
  add_flag_option(sub, "--csv", outputs.csv, csv_help);
  add_flag_option(sub, "--plot", outputs.plot, plot_help);
}

// The parsed text into the options; with `tuning`, its selection, and its
// fold split seeded by --seed like the sample orders.
inline void apply_flag_text(const ReplayFlagText& text, replay::ReplayOptions& options,
                            replay::TuningOptions* tuning = nullptr) {
  options.grouping = answers::parse_answer_grouping(text.grouping);
  if (tuning == nullptr) return;
  tuning->selection = replay::parse_selection(text.selection);
  tuning->seed = options.seed;
}

// Progress lines go to stderr.
inline void print_progress(const std::string& line) { std::cerr << "optscale: " << line << "\n"; }

}  // namespace optscale::cli
