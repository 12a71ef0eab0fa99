#include "optscale/replay/tuning.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <utility>

#include "optscale/replay/kfold.hpp"
#include "optscale/util/error.hpp"

namespace optscale::replay {
namespace {

double subset_mean(const std::vector<double>& values, std::span<const std::size_t> problems) {
  double sum = 0.0;
  for (std::size_t p : problems) sum += values[p];
  return sum / static_cast<double>(problems.size());
}

}  // namespace

std::string to_string(Selection selection) { return selection == Selection::cv ? "cv" : "test"; }

Selection parse_selection(const std::string& text) {
  if (text == "cv") return Selection::cv;
  if (text == "test") return Selection::test;
  throw Error("--select: expected 'cv' or 'test', got '" + text + "'");
}

std::size_t select_best(const ReplayResult& result, std::span<const std::size_t> candidates,
                        std::span<const std::size_t> problems) {
  require(!candidates.empty(), "tuning", "no candidate configurations");
  require(!problems.empty(), "tuning", "no problems to select on");
  std::size_t best = candidates.front();
  double best_accuracy = subset_mean(result.strategies[best].problem_accuracy, problems);
  double best_tokens = subset_mean(result.strategies[best].problem_tokens, problems);
  for (std::size_t c : candidates.subspan(1)) {
    const double accuracy = subset_mean(result.strategies[c].problem_accuracy, problems);
    const double tokens = subset_mean(result.strategies[c].problem_tokens, problems);
    // Accuracies are multiples of 1/(problems * orders) summed in a fixed order;
    // the tolerance only absorbs rounding between equal totals.
    const bool more_accurate = accuracy > best_accuracy + 1e-12;
    const bool tied = std::fabs(accuracy - best_accuracy) <= 1e-12;
    if (more_accurate || (tied && tokens < best_tokens)) {
      best = c;
      best_accuracy = accuracy;
      best_tokens = tokens;
    }
  }
  return best;
}

std::vector<std::size_t> pareto_front(const ReplayResult& result, std::span<const std::size_t> indices) {
  std::vector<std::size_t> order;
  if (indices.empty()) {
    order.resize(result.strategies.size());
    std::iota(order.begin(), order.end(), 0);
  } else {
    order.assign(indices.begin(), indices.end());
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const StrategyResult &x = result.strategies[a], &y = result.strategies[b];
    if (x.tokens.mean != y.tokens.mean) return x.tokens.mean < y.tokens.mean;
    return x.accuracy.mean > y.accuracy.mean;
  });
  std::vector<std::size_t> front;
  double best_accuracy = -1.0;
  for (std::size_t i : order) {
    const double accuracy = result.strategies[i].accuracy.mean;
    if (accuracy > best_accuracy + 1e-12) {
      front.push_back(i);
      best_accuracy = accuracy;
    }
  }
  return front;
}

TuningResult tune(const ReplayResult& result, const TuningOptions& options) {
  TuningResult out;
  out.selection = options.selection;
  out.seed = options.seed;
  const std::size_t problem_count = result.problems;

  // Cells: (family, budget) in order of first appearance.
  std::map<std::pair<std::string, int>, std::size_t> cell_of;
  for (std::size_t s = 0; s < result.strategies.size(); ++s) {
    const StrategyResult& r = result.strategies[s];
    auto [it, inserted] = cell_of.emplace(std::make_pair(r.family, r.budget), out.cells.size());
    if (inserted) out.cells.push_back(TunedCell{r.family, r.budget, {}, {}, 0, {}, {}, {}});
    out.cells[it->second].candidates.push_back(s);
  }

  std::vector<std::size_t> all_problems(problem_count);
  std::iota(all_problems.begin(), all_problems.end(), 0);

  if (options.selection == Selection::test) {
    for (TunedCell& cell : out.cells) {
      const std::size_t best = select_best(result, cell.candidates, all_problems);
      cell.chosen = {best};
      cell.most_chosen = best;
      cell.accuracy = result.strategies[best].accuracy;
      cell.tokens = result.strategies[best].tokens;
      cell.samples = result.strategies[best].samples;
    }
  } else {
    out.folds = options.folds;
    out.fold_of_problem = kfold_assignment(problem_count, options.folds, options.seed);
    std::vector<std::vector<std::size_t>> train(static_cast<std::size_t>(options.folds));
    for (std::size_t p = 0; p < problem_count; ++p)
      for (int k = 0; k < options.folds; ++k)
        if (out.fold_of_problem[p] != k) train[static_cast<std::size_t>(k)].push_back(p);
    for (TunedCell& cell : out.cells) {
      for (int k = 0; k < options.folds; ++k)
        cell.chosen.push_back(select_best(result, cell.candidates, train[static_cast<std::size_t>(k)]));
      std::vector<double> accuracy(problem_count), tokens(problem_count), samples(problem_count);
      for (std::size_t p = 0; p < problem_count; ++p) {
        const StrategyResult& held_out =
            result.strategies[cell.chosen[static_cast<std::size_t>(out.fold_of_problem[p])]];
        accuracy[p] = held_out.problem_accuracy[p];
        tokens[p] = held_out.problem_tokens[p];
        samples[p] = held_out.problem_samples[p];
      }
      cell.accuracy = summarize_figure(accuracy, result.confidence, FigureRange::fraction);
      cell.tokens = summarize_figure(tokens, result.confidence, FigureRange::nonnegative);
      cell.samples = summarize_figure(samples, result.confidence, FigureRange::nonnegative);
      // Order spread is a property of one configuration; a mix has none.
      cell.accuracy.order_sd = cell.tokens.order_sd = cell.samples.order_sd = 0.0;
      std::map<std::size_t, int> votes;
      for (std::size_t c : cell.chosen) ++votes[c];
      int best_votes = 0;
      for (std::size_t c : cell.chosen)  // in fold order: earliest wins ties
        if (votes[c] > best_votes) {
          best_votes = votes[c];
          cell.most_chosen = c;
        }
    }
  }
  out.pareto = pareto_front(result);
  return out;
}

}  // namespace optscale::replay
