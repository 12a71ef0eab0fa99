#include "job_steps.hpp"
#include "optscale/replay/accuracy_plot.hpp"
#include "optscale/replay/report.hpp"
#include "optscale/replay/tuning_report.hpp"

namespace optscale::replay {

std::string run_tune(const TuneJob& job, const Progress& progress) {
  const detail::LoadedReplay loaded = detail::load_replay(job.pool_path, job.specs, job.options, progress);
  const auto start = std::chrono::steady_clock::now();
  const ReplayResult result = replay(loaded.pool, loaded.list.pointers(), detail::with_progress(job.options, progress));
  const TuningResult tuning = tune(result, job.tuning);
  progress("replayed and tuned in " + detail::seconds_since(start) + " s");

  const ReportSource source{job.pool_path, loaded.list.given};
  return detail::write_reports(
      job.outputs, tuning_json(result, tuning, source), [&] { return to_csv(result, source); },
      [&] {
        const ReplayResult bon = bon_reference_curve(loaded.pool, job.options);
        const std::string subtitle = job.pool_path + ": " + std::to_string(result.problems) + " problems; " +
                                     detail::selection_subtitle(tuning);
        return render_svg(tuning_plot(result, tuning, &bon, "tuned accuracy vs mean tokens", subtitle));
      },
      [&] { return format_tuning_table(result, tuning, source); });
}

}  // namespace optscale::replay
