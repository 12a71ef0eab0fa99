// optscale demo: the README's main job. Replays bon, sc, esc, asc, optscale0,
// optscalet, optscale-seq and hybrid at budgets 8-64 on two simulated pools
// (a strong reasoner with a weak and with a strong verifier) or the given
// ones, tunes the swept settings by cross-validation, prints the figures side
// by side (labelled SIMULATED) with one line per pool saying which policy to
// pick and why, and writes an SVG plot and JSON.
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
    "Compare bon, sc, esc, asc, optscale0, optscalet, optscale-seq and hybrid at budgets 8-64 on a simulated "
    "strong reasoner with a weak and with a strong verifier, and say which policy to pick (table + SVG + JSON)",
    [](CLI::App& sub) -> std::function<int()> {
      auto f = std::make_shared<DemoFlags>();
      // 8 sample orders unless told: with one, one problem of 400 moves a
      // figure by 0.25 points, more than the margin the recommendation uses.
      f->job.options.orders = replay::kDemoOrders;
      add_flag_option(sub, "--pool", f->job.pool_paths,
                      "Pool file, repeatable: one panel each (default: two pools simulated in memory, "
                      "strong-reasoner with verifier AUROC 0.6 and 0.95)");
      add_flag_option(sub, "--out-dir", f->job.out_dir,
                      "Folder for demo.svg and demo.json (default optscale-demo; created if missing)");
      add_replay_flags(sub, f->job.options, f->text);
      sub.get_option("--orders")->description(
          "Sample orders per problem: R seeded permutations, figures averaged (default " +
          std::to_string(replay::kDemoOrders) + "; 1 = pool order)");
      add_tuning_flags(sub, f->job.tuning, f->text);
      return [f] {
        apply_flag_text(f->text, f->job.options, &f->job.tuning);
        std::cout << replay::run_demo(f->job, print_progress);
        return 0;
      };
    }};

}  // namespace
}  // namespace optscale::cli
