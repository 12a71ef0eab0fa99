// A StrategyResult built from per-problem figures, for the report and
// tuning tests: every problem drew the whole budget.
#pragma once
#include <string>
#include <vector>

#include "optscale/replay/replay.hpp"
#include "optscale/replay/figure.hpp"

namespace optscale::replay::fixtures {

inline StrategyResult make_result(const std::string& spec, int budget, std::vector<double> accuracy,
                                  std::vector<double> tokens) {
  StrategyResult r;
  r.spec = spec;
  r.family = strategy_family(spec);
  r.budget = budget;
  r.problem_accuracy = std::move(accuracy);
  r.problem_tokens = std::move(tokens);
  r.problem_samples.assign(r.problem_accuracy.size(), static_cast<double>(budget));
  r.accuracy = summarize_figure(r.problem_accuracy, 0.95, FigureRange::fraction);
  r.tokens = summarize_figure(r.problem_tokens, 0.95, FigureRange::nonnegative);
  r.samples = summarize_figure(r.problem_samples, 0.95, FigureRange::nonnegative);
  return r;
}

}  // namespace optscale::replay::fixtures
