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

// The bundled simulated pool: examples/simulated-math500.jsonl under the
// current directory if it is there, else under the source tree.
std::string default_demo_pool();

// The demo's strategies: bon, sc, esc and asc at budgets 8, 16, 32, 64 (fixed
// settings), and at the same budgets optscale0 and optscalet with the paper's
// MATH500 grid (8 targets x 6 deltas) and optscale-seq with the 8 targets x 6
// futility levels (its confidence has no effect at its default batch of 1),
// to tune over.
std::vector<std::string> demo_specs();

struct DemoJob {
  std::string pool_path;     // empty: default_demo_pool()
  std::string out_dir = "optscale-demo";
  ReplayOptions options;
  TuningOptions tuning;      // cv by default
};
// Replays demo_specs(), tunes the swept families per budget, prints the
// comparison table (tokens also relative to BoN at the same budget) and
// writes <out_dir>/demo.svg and <out_dir>/demo.json.
std::string run_demo(const DemoJob& job, const Progress& progress);

}  // namespace optscale::replay
