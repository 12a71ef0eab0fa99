#include <chrono>

#include "optscale/pool/pool.hpp"
#include "optscale/replay/accuracy_plot.hpp"
#include "optscale/replay/jobs.hpp"
#include "optscale/replay/parallel_for.hpp"
#include "optscale/replay/report.hpp"
#include "optscale/replay/strategy_list.hpp"

namespace optscale::replay {

std::string run_eval(const EvalJob& job, const Progress& progress) {
  const pool::Pool pool = pool::read_pool(job.pool_path);
  const StrategyList list = expand_specs(job.specs);
  progress("replaying " + std::to_string(list.owned.size()) + " configurations x " +
           std::to_string(pool.problems.size()) + " problems x " + std::to_string(job.options.orders) +
           " orders on " + std::to_string(worker_count(pool.problems.size(), job.options.threads)) +
           " threads");
  const auto start = std::chrono::steady_clock::now();
  const ReplayResult result = replay(pool, list.pointers(), job.options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  progress("replayed in " + fixed(seconds, 3) + " s (fits computed " + std::to_string(result.fits_computed) +
           ", reused " + std::to_string(result.fits_reused) + ")");

  const ReportSource source{job.pool_path, list.given};
  const nlohmann::json json = to_json(result, source);
  if (!job.outputs.json.empty() && job.outputs.json != "-") write_text_file(job.outputs.json, json.dump(2) + "\n");
  if (!job.outputs.csv.empty()) write_text_file(job.outputs.csv, to_csv(result, source));
  if (!job.outputs.plot.empty()) {
    const ReplayResult bon = bon_reference_curve(pool, job.options);
    const std::string subtitle = job.pool_path + ": " + std::to_string(result.problems) + " problems, " +
                                 std::to_string(result.orders) + (result.orders == 1 ? " order" : " orders") +
                                 "; bars: 95% t intervals over problems";
    write_text_file(job.outputs.plot,
                    render_svg(accuracy_plot(result, &bon, "accuracy vs mean tokens per problem", subtitle)));
  }
  return job.outputs.json == "-" ? json.dump(2) + "\n" : format_table(result, source);
}

}  // namespace optscale::replay
