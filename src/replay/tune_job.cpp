#include <chrono>

#include "optscale/pool/pool.hpp"
#include "optscale/replay/accuracy_plot.hpp"
#include "optscale/replay/jobs.hpp"
#include "optscale/replay/parallel_for.hpp"
#include "optscale/replay/report.hpp"
#include "optscale/replay/strategy_list.hpp"
#include "optscale/replay/tuning_report.hpp"

namespace optscale::replay {

std::string run_tune(const TuneJob& job, const Progress& progress) {
  const pool::Pool pool = pool::read_pool(job.pool_path);
  const StrategyList list = expand_specs(job.specs);
  progress("replaying " + std::to_string(list.owned.size()) + " configurations x " +
           std::to_string(pool.problems.size()) + " problems x " + std::to_string(job.options.orders) +
           " orders on " + std::to_string(worker_count(pool.problems.size(), job.options.threads)) +
           " threads");
  const auto start = std::chrono::steady_clock::now();
  const ReplayResult result = replay(pool, list.pointers(), job.options);
  const TuningResult tuning = tune(result, job.tuning);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  progress("replayed and tuned in " + fixed(seconds, 3) + " s");

  const ReportSource source{job.pool_path, list.given};
  const nlohmann::json json = tuning_json(result, tuning, source);
  if (!job.outputs.json.empty() && job.outputs.json != "-") write_text_file(job.outputs.json, json.dump(2) + "\n");
  if (!job.outputs.csv.empty()) write_text_file(job.outputs.csv, to_csv(result, source));
  if (!job.outputs.plot.empty()) {
    const ReplayResult bon = bon_reference_curve(pool, job.options);
    const std::string subtitle = job.pool_path + ": " + std::to_string(result.problems) + " problems; " +
                                 (tuning.selection == Selection::cv
                                      ? std::to_string(tuning.folds) + "-fold CV, held-out figures"
                                      : std::string("TEST-SET selection (paper parity, optimistic)"));
    write_text_file(job.outputs.plot,
                    render_svg(tuning_plot(result, tuning, &bon, "tuned accuracy vs mean tokens", subtitle)));
  }
  return job.outputs.json == "-" ? json.dump(2) + "\n" : format_tuning_table(result, tuning, source);
}

}  // namespace optscale::replay
