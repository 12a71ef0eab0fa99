#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <sstream>

#include "job_steps.hpp"
#include "optscale/pool/pool.hpp"
#include "optscale/replay/accuracy_plot.hpp"
#include "optscale/replay/jobs.hpp"
#include "optscale/replay/parallel_for.hpp"
#include "optscale/replay/report.hpp"
#include "optscale/replay/strategy_list.hpp"
#include "optscale/replay/tuning_report.hpp"
#include "optscale/util/data_files.hpp"
#include "optscale/util/error.hpp"

namespace optscale::replay {
namespace {

constexpr const char* kBudgets = "n=8|16|32|64";
// The paper's MATH500 targets (paper-spec §4).
constexpr const char* kTargets = "target=0.85|0.9|0.925|0.95|0.96|0.97|0.98|0.99";
// The paper's deltas: with the targets, its 48-point grid for optscale0/t.
constexpr const char* kDeltas = "delta=0.01|0.02|0.035|0.05|0.075|0.1";
// optscale-seq draws one sample per round by default, so its confidence never
// matters (docs/strategies.md); its second knob is the futility level.
constexpr const char* kFutilities = "futility=0.01|0.02|0.05|0.1|0.2|0.3";
const std::vector<std::string> kFamilies = {"bon", "sc", "esc", "asc", "optscale0", "optscalet", "optscale-seq"};

// The value of `key` in a canonical spec ("" when absent).
std::string spec_value(const std::string& spec, const std::string& key) {
  const std::size_t colon = spec.find(':');
  if (colon == std::string::npos) return "";
  std::istringstream params(spec.substr(colon + 1));
  std::string param;
  while (std::getline(params, param, ','))
    if (param.rfind(key + "=", 0) == 0) return param.substr(key.size() + 1);
  return "";
}

std::string format_demo_table(const ReplayResult& result, const TuningResult& tuning, const ReportSource& source) {
  std::ostringstream out;
  out << report_header(result, source);
  out << "baselines (bon, sc, esc, asc): fixed settings. optscale0 and optscalet: target and confidence "
         "from the paper's MATH500 grid (8 x 6); optscale-seq: the same 8 targets x 6 futility levels. "
         "Chosen per budget by "
      << selection_method(tuning) << ".\n";
  out << "intervals: " << interval_method(result) << "\n\n";

  std::map<std::pair<int, std::string>, const TunedCell*> cells;
  std::map<int, double> bon_tokens;
  for (const TunedCell& cell : tuning.cells) {
    cells[{cell.budget, cell.family}] = &cell;
    if (cell.family == "bon") bon_tokens[cell.budget] = cell.tokens.mean;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& [budget, bon] : bon_tokens) {
    for (const std::string& family : kFamilies) {
      const auto it = cells.find({budget, family});
      if (it == cells.end()) continue;
      const TunedCell& cell = *it->second;
      std::string setting = "fixed";
      if (cell.candidates.size() > 1) {
        const std::string& chosen = result.strategies[cell.most_chosen].spec;
        const std::string second = family == "optscale-seq" ? "futility" : "confidence";
        setting = "target=" + spec_value(chosen, "target") + " " + second + "=" + spec_value(chosen, second);
        if (tuning.selection == Selection::cv)
          setting += " (" + std::to_string(std::count(cell.chosen.begin(), cell.chosen.end(), cell.most_chosen)) +
                     "/" + std::to_string(cell.chosen.size()) + " folds)";
      }
      const double relative = bon > 0.0 ? 100.0 * (cell.tokens.mean / bon - 1.0) : 0.0;
      std::string versus_bon = relative > 0.0 ? "+" : "";
      versus_bon += fixed(relative, 1);
      versus_bon += '%';
      rows.push_back({family, std::to_string(budget), fixed(100.0 * cell.accuracy.mean, 2),
                      interval_text(cell.accuracy, 100.0, 2), fixed(cell.tokens.mean, 0),
                      versus_bon, fixed(cell.samples.mean, 2), setting});
    }
  }
  out << render_table({"strategy", "n", "accuracy %", "95% CI", "tokens", "vs BoN", "samples", "setting"}, rows,
                      {false, true, true, true, true, true, true, false});
  if (result.synthetic)
    out << "\nSIMULATED: token savings and accuracies above come from a simulated pool, not from a real model.\n";
  return out.str();
}

}  // namespace

std::string default_demo_pool() {
  const std::filesystem::path relative = "examples/simulated-math500.jsonl";
  // Run from a checkout: the relative path as given, as the docs show it.
  if (std::filesystem::exists(relative)) return relative.string();
  return find_data_file(relative, "demo pool", "give one with --pool").string();
}

std::vector<std::string> demo_specs() {
  std::vector<std::string> specs;
  for (const std::string& family : kFamilies) {
    const bool tuned = family.rfind("optscale", 0) == 0;
    std::string spec = family + ":" + kBudgets;
    if (family == "optscale-seq") spec += std::string(",") + kTargets + "," + kFutilities;
    else if (tuned) spec += std::string(",") + kTargets + "," + kDeltas;
    specs.push_back(spec);
  }
  return specs;
}

std::string run_demo(const DemoJob& job, const Progress& progress) {
  const std::string pool_path = job.pool_path.empty() ? default_demo_pool() : job.pool_path;
  require(std::filesystem::exists(pool_path), pool_path, "no such pool (give one with --pool)");
  const detail::LoadedReplay loaded = detail::load_replay(pool_path, demo_specs(), job.options, progress, "demo: ");
  const pool::Pool& pool = loaded.pool;
  const StrategyList& list = loaded.list;
  const auto start = std::chrono::steady_clock::now();
  const ReplayResult result = replay(pool, list.pointers(), detail::with_progress(job.options, progress));
  const TuningResult tuning = tune(result, job.tuning);
  const ReplayResult bon = bon_reference_curve(pool, job.options);
  progress("demo: replayed and tuned in " + detail::seconds_since(start) + " s");

  std::filesystem::create_directories(job.out_dir);
  const ReportSource source{pool_path, list.given};
  const std::string svg_path = (std::filesystem::path(job.out_dir) / "demo.svg").string();
  const std::string json_path = (std::filesystem::path(job.out_dir) / "demo.json").string();
  const std::string subtitle =
      std::to_string(result.problems) + " problems; optscale families " + detail::selection_subtitle(tuning);
  write_text_file(svg_path, render_svg(tuning_plot(result, tuning, &bon, "OptScale demo: accuracy vs mean tokens", subtitle)));
  write_text_file(json_path, tuning_json(result, tuning, source).dump(2) + "\n");
  progress("demo: wrote " + svg_path + " and " + json_path);
  return format_demo_table(result, tuning, source);
}

}  // namespace optscale::replay
