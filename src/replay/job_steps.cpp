#include "job_steps.hpp"

#include "optscale/replay/parallel_for.hpp"
#include "optscale/replay/report.hpp"

namespace optscale::replay::detail {

LoadedReplay load_replay(const std::string& pool_path, const std::vector<std::string>& specs,
                         const ReplayOptions& options, const Progress& progress, const std::string& label) {
  LoadedReplay loaded{pool::read_pool(pool_path), expand_specs(specs)};
  progress(label + "replaying " + std::to_string(loaded.list.owned.size()) + " configurations x " +
           std::to_string(loaded.pool.problems.size()) + " problems x " + std::to_string(options.orders) +
           " orders on " + std::to_string(worker_count(loaded.pool.problems.size(), options.threads)) + " threads");
  return loaded;
}

ReplayOptions with_progress(ReplayOptions options, const Progress& progress) {
  options.progress = progress;
  return options;
}

std::string seconds_since(std::chrono::steady_clock::time_point start) {
  return fixed(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 3);
}

std::string selection_subtitle(const TuningResult& tuning) {
  return tuning.selection == Selection::cv ? std::to_string(tuning.folds) + "-fold CV, held-out figures"
                                           : std::string("TEST-SET selection (paper parity, optimistic)");
}

std::string write_reports(const OutputFiles& outputs, const nlohmann::json& json,
                          const std::function<std::string()>& csv, const std::function<std::string()>& svg,
                          const std::function<std::string()>& table) {
  const bool json_to_stdout = outputs.json == "-";
  if (!outputs.json.empty() && !json_to_stdout) write_text_file(outputs.json, json.dump(2) + "\n");
  if (!outputs.csv.empty()) write_text_file(outputs.csv, csv());
  if (!outputs.plot.empty()) write_text_file(outputs.plot, svg());
  return json_to_stdout ? json.dump(2) + "\n" : table();
}

}  // namespace optscale::replay::detail
