// optscale tune: choose each strategy's swept settings per budget by k-fold
// cross-validation across problems (or, named as such, on the test set) and
// report held-out figures and the Pareto front (docs/replay.md).
#include <iostream>
#include <memory>
#include <string>

#include "command.hpp"
#include "optscale/replay/jobs.hpp"
#include "replay_flags.hpp"

namespace optscale::cli {
namespace {

struct TuneFlags {
  replay::TuneJob job;
  std::string grouping = "equivalent";
  std::string selection = "cv";
};

const CommandRegistration kTune{
    "tune",
    "Tune swept strategy settings per budget by k-fold cross-validation across problems; held-out "
    "figures and the Pareto front",
    [](CLI::App& sub) -> std::function<int()> {
      auto f = std::make_shared<TuneFlags>();
      add_flag_option(sub, "--pool", f->job.pool_path, "Pool file (JSON Lines, docs/pool-format.md)")->required();
      add_flag_option(sub, "--strategy", f->job.specs,
                      "Strategy spec with sweeps, repeatable, e.g. "
                      "optscale0:n=8|16|32|64,target=0.9|0.95|0.99,delta=0.01|0.05")
          ->required();
      add_replay_flags(sub, f->job.options, f->grouping);
      add_tuning_flags(sub, f->job.tuning, f->selection);
      add_flag_option(sub, "--json", f->job.outputs.json, "Write the results as JSON to this file ('-': stdout)");
      add_flag_option(sub, "--csv", f->job.outputs.csv, "Write every configuration's in-sample results as CSV");
      add_flag_option(sub, "--plot", f->job.outputs.plot, "Write an SVG plot (tuned points, Pareto front, BoN curve)");
      return [f] {
        f->job.options.grouping = replay::parse_answer_grouping(f->grouping);
        f->job.tuning.selection = replay::parse_selection(f->selection);
        f->job.tuning.seed = f->job.options.seed;
        std::cout << replay::run_tune(f->job, print_progress);
        return 0;
      };
    }};

}  // namespace
}  // namespace optscale::cli
