#include "optscale/replay/tuning_report.hpp"

#include <algorithm>
#include <map>
#include <sstream>

namespace optscale::replay {
namespace {

int votes_for(const TunedCell& cell, std::size_t index) {
  return static_cast<int>(std::count(cell.chosen.begin(), cell.chosen.end(), index));
}

}  // namespace

std::string selection_method(const TuningResult& tuning) {
  if (tuning.selection == Selection::test)
    return "test-set selection (the paper's protocol, for parity): per (strategy, budget), the "
           "configuration with the highest accuracy on all problems, ties by fewest tokens; the "
           "figures are that configuration's own, so they are optimistic";
  return std::to_string(tuning.folds) + "-fold cross-validation across problems (split seed " +
         std::to_string(tuning.seed) +
         "): per (strategy, budget) and fold, the configuration with the highest accuracy on the "
         "other folds, ties by fewest tokens; figures are the held-out predictions of all folds";
}

std::string format_tuning_table(const ReplayResult& result, const TuningResult& tuning,
                                const ReportSource& source) {
  std::ostringstream out;
  out << report_header(result, source);
  out << "selection: " << selection_method(tuning) << "\n";
  out << "intervals: " << interval_method(result) << "\n\n";

  std::vector<std::vector<std::string>> rows;
  for (const TunedCell& cell : tuning.cells) {
    std::string chosen = result.strategies[cell.most_chosen].spec;
    if (tuning.selection == Selection::cv)
      chosen += " (" + std::to_string(votes_for(cell, cell.most_chosen)) + "/" +
                std::to_string(cell.chosen.size()) + " folds)";
    rows.push_back({cell.family, std::to_string(cell.budget), fixed(100.0 * cell.accuracy.mean, 2),
                    interval_text(cell.accuracy, 100.0, 2), fixed(cell.tokens.mean, 0), interval_text(cell.tokens, 1.0, 0),
                    fixed(cell.samples.mean, 2), std::to_string(cell.candidates.size()), chosen});
  }
  out << render_table({"strategy", "budget", "accuracy %", "95% CI", "tokens", "95% CI", "samples", "configs",
                      tuning.selection == Selection::cv ? "chosen most often" : "chosen"},
                     rows, {false, true, true, true, true, true, true, true, false});

  out << "\nPareto front of accuracy vs mean tokens (every configuration, all problems, in-sample):\n";
  std::vector<std::vector<std::string>> front;
  for (std::size_t s : tuning.pareto) {
    const StrategyResult& r = result.strategies[s];
    front.push_back({fixed(100.0 * r.accuracy.mean, 2), fixed(r.tokens.mean, 0), r.spec});
  }
  out << render_table({"accuracy %", "tokens", "strategy"}, front, {true, true, false});
  return out.str();
}

nlohmann::json tuned_cell_json(const ReplayResult& result, const TuningResult& tuning, const TunedCell& cell) {
  nlohmann::json out;
  out["family"] = cell.family;
  out["budget"] = cell.budget;
  out["accuracy"] = cell.accuracy.mean;
  out["accuracy_ci"] = interval_json(cell.accuracy);
  out["mean_tokens"] = cell.tokens.mean;
  out["tokens_ci"] = interval_json(cell.tokens);
  out["mean_samples"] = cell.samples.mean;
  out["samples_ci"] = interval_json(cell.samples);
  out["configurations"] = cell.candidates.size();
  out["chosen_most_often"] = result.strategies[cell.most_chosen].spec;
  nlohmann::json chosen = nlohmann::json::array();
  for (std::size_t c : cell.chosen) chosen.push_back(result.strategies[c].spec);
  out[tuning.selection == Selection::cv ? "chosen_per_fold" : "chosen"] = std::move(chosen);
  return out;
}

nlohmann::json tuning_json(const ReplayResult& result, const TuningResult& tuning, const ReportSource& source) {
  nlohmann::json out = to_json(result, source);
  out["selection"] = to_string(tuning.selection);
  out["selection_method"] = selection_method(tuning);
  if (tuning.selection == Selection::cv) {
    out["folds"] = tuning.folds;
    out["fold_seed"] = tuning.seed;
  }
  nlohmann::json tuned = nlohmann::json::array();
  for (const TunedCell& cell : tuning.cells) tuned.push_back(tuned_cell_json(result, tuning, cell));
  out["tuned"] = std::move(tuned);
  nlohmann::json pareto = nlohmann::json::array();
  for (std::size_t s : tuning.pareto)
    pareto.push_back({{"strategy", result.strategies[s].spec},
                      {"accuracy", result.strategies[s].accuracy.mean},
                      {"mean_tokens", result.strategies[s].tokens.mean}});
  out["pareto"] = std::move(pareto);
  return out;
}

}  // namespace optscale::replay
