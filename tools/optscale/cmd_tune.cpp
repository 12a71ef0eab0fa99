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
  ReplayFlagText text;
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
      add_replay_flags(sub, f->job.options, f->text);
      add_tuning_flags(sub, f->job.tuning, f->text);
      add_report_flags(sub, f->job.outputs, "Write every configuration's in-sample results as CSV",
                       "Write an SVG plot (tuned points, Pareto front, BoN curve)");
      return [f] {
        apply_flag_text(f->text, f->job.options, &f->job.tuning);
        std::cout << replay::run_tune(f->job, print_progress);
        return 0;
      };
    }};

}  // namespace
}  // namespace optscale::cli
