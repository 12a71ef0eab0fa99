// optscale eval: replay strategies over a scored pool and report accuracy,
// tokens, samples and stop reasons per strategy (docs/replay.md).
#include <iostream>
#include <memory>
#include <string>

#include "command.hpp"
#include "optscale/replay/jobs.hpp"
#include "replay_flags.hpp"

namespace optscale::cli {
namespace {

struct EvalFlags {
  replay::EvalJob job;
  ReplayFlagText text;
};

const CommandRegistration kEval{
    "eval",
    "Replay strategies over a scored pool: accuracy, tokens, samples and stop reasons per strategy, "
    "with 95% intervals",
    [](CLI::App& sub) -> std::function<int()> {
      auto f = std::make_shared<EvalFlags>();
      add_flag_option(sub, "--pool", f->job.pool_path, "Pool file (JSON Lines, docs/pool-format.md)")->required();
      add_flag_option(sub, "--strategy", f->job.specs,
                      "Strategy spec, repeatable; '|' lists sweep (docs/strategies.md), e.g. "
                      "optscale0:n=16,target=0.9|0.95")
          ->required();
      add_replay_flags(sub, f->job.options, f->text);
      add_report_flags(sub, f->job.outputs, "Write the results as CSV to this file",
                       "Write an SVG plot of accuracy vs tokens to this file");
      return [f] {
        apply_flag_text(f->text, f->job.options);
        std::cout << replay::run_eval(f->job, print_progress);
        return 0;
      };
    }};

}  // namespace
}  // namespace optscale::cli
