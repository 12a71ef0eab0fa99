#include "job_steps.hpp"
#include "optscale/replay/accuracy_plot.hpp"
#include "optscale/replay/report.hpp"

namespace optscale::replay {

std::string run_eval(const EvalJob& job, const Progress& progress) {
  const detail::LoadedReplay loaded = detail::load_replay(job.pool_path, job.specs, job.options, progress);
  const auto start = std::chrono::steady_clock::now();
  const ReplayResult result = replay(loaded.pool, loaded.list.pointers(), detail::with_progress(job.options, progress));
  progress("replayed in " + detail::seconds_since(start) + " s (fits computed " +
           std::to_string(result.fits_computed) + ", reused " + std::to_string(result.fits_reused) + ")");

  const ReportSource source{job.pool_path, loaded.list.given};
  return detail::write_reports(
      job.outputs, to_json(result, source), [&] { return to_csv(result, source); },
      [&] {
        const ReplayResult bon = bon_reference_curve(loaded.pool, job.options);
        const std::string subtitle = job.pool_path + ": " + std::to_string(result.problems) + " problems, " +
                                     std::to_string(result.orders) + (result.orders == 1 ? " order" : " orders") +
                                     "; bars: 95% t intervals over problems";
        return render_svg(accuracy_plot(result, &bon, "accuracy vs mean tokens per problem", subtitle));
      },
      [&] { return format_table(result, source); });
}

}  // namespace optscale::replay
