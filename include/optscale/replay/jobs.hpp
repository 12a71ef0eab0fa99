// What `optscale eval`, `tune` and `demo` do, as library calls (the command
// files only parse flags): read the pool, expand the specs, replay, write the
// requested reports, and return what goes to stdout. Progress lines go to the
// callback (the commands print them on stderr).
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "optscale/pool/pool.hpp"
#include "optscale/replay/replay.hpp"
#include "optscale/replay/tuning.hpp"

namespace optscale::replay {

using Progress = std::function<void(const std::string&)>;

// Files to write; empty: don't. json "-" prints the JSON on stdout instead
// of the table.
struct OutputFiles {
  std::string json, csv, plot;
};

struct EvalJob {
  std::string pool_path;
  // Set: replay this pool (already read, e.g. handed over by the Python
  // package) instead of reading pool_path, which then only names it in reports.
  std::optional<pool::Pool> pool;
  std::vector<std::string> specs;
  ReplayOptions options;
  OutputFiles outputs;
};
std::string run_eval(const EvalJob& job, const Progress& progress);

struct TuneJob {
  std::string pool_path;
  std::optional<pool::Pool> pool;  // as EvalJob::pool
  std::vector<std::string> specs;
  ReplayOptions options;
  TuningOptions tuning;
  OutputFiles outputs;
};
std::string run_tune(const TuneJob& job, const Progress& progress);

// The demo's strategies: bon, sc, esc and asc at budgets 8, 16, 32, 64 (fixed
// settings), and at the same budgets optscale0 and optscalet with the paper's
// MATH500 grid (8 targets x 6 deltas), optscale-seq with the 8 targets x 6
// futility levels (its confidence has no effect at its default batch of 1)
// and hybrid over threshold x verified_votes x target, to tune over.
std::vector<std::string> demo_specs();

// The demo's default number of sample orders (the command sets it; --orders wins).
inline constexpr int kDemoOrders = 8;

struct DemoJob {
  // Empty: two pools simulated in memory from the strong-reasoner profile,
  // one with a weak verifier (AUROC 0.6), one with a strong one (0.95).
  std::vector<std::string> pool_paths;
  std::string out_dir = "optscale-demo";
  ReplayOptions options;
  TuningOptions tuning;      // cv by default
};
// Replays demo_specs() on each pool, tunes the swept families per budget,
// prints the pools' figures side by side (tokens also relative to BoN at the
// same budget) and one line per pool saying which policy to pick and why
// (recommendation.hpp, computed from those figures), and writes
// <out_dir>/demo.svg (one tuning plot per pool, side by side) and
// <out_dir>/demo.json ({"panels": [{"label", "recommendation", "tune"}], "data"}).
std::string run_demo(const DemoJob& job, const Progress& progress);

}  // namespace optscale::replay
