// optscale demo: the README's main job. Replays bon, sc, esc, asc, optscale0,
// optscalet and optscale-seq at budgets 8-64 on the bundled simulated pool,
// tunes the OptScale settings by cross-validation, prints the comparison
// table (labelled SIMULATED) and writes an SVG plot and JSON.
#include <iostream>
#include <memory>
#include <string>

#include "command.hpp"
#include "optscale/replay/jobs.hpp"
#include "replay_flags.hpp"

namespace optscale::cli {
namespace {

struct DemoFlags {
  replay::DemoJob job;
  ReplayFlagText text;
};

const CommandRegistration kDemo{
    "demo",
    "Compare bon, sc, esc, asc, optscale0, optscalet and optscale-seq at budgets 8-64 on the bundled "
    "simulated pool (table + SVG + JSON)",
    [](CLI::App& sub) -> std::function<int()> {
      auto f = std::make_shared<DemoFlags>();
      add_flag_option(sub, "--pool", f->job.pool_path,
                      "Pool file (default: examples/simulated-math500.jsonl, the bundled simulated pool)");
      add_flag_option(sub, "--out-dir", f->job.out_dir,
                      "Folder for demo.svg and demo.json (default optscale-demo; created if missing)");
      add_replay_flags(sub, f->job.options, f->text);
      add_tuning_flags(sub, f->job.tuning, f->text);
      return [f] {
        apply_flag_text(f->text, f->job.options, &f->job.tuning);
        std::cout << replay::run_demo(f->job, print_progress);
        return 0;
      };
    }};

}  // namespace
}  // namespace optscale::cli
