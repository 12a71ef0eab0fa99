#include "optscale/replay/accuracy_plot.hpp"

#include <algorithm>
#include <array>
#include <map>

#include "optscale/replay/report.hpp"

namespace optscale::replay {
namespace {

constexpr std::array<const char*, 9> kFamilyColors = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                                      "#edc948", "#b07aa1", "#ff9da7", "#9c755f"};

std::string point_label(const std::string& name, const Figure& accuracy, const Figure& tokens) {
  std::string label = name + ": accuracy " + fixed(100.0 * accuracy.mean, 2) + "%";
  if (accuracy.ci_lo) label += " [" + fixed(100.0 * *accuracy.ci_lo, 2) + ", " + fixed(100.0 * *accuracy.ci_hi, 2) + "]";
  return label + ", tokens " + fixed(tokens.mean, 0);
}

PlotPoint point_of(const StrategyResult& r, bool with_interval) {
  PlotPoint p;
  p.x = r.tokens.mean;
  p.y = r.accuracy.mean;
  if (with_interval) {
    p.y_lo = r.accuracy.ci_lo;
    p.y_hi = r.accuracy.ci_hi;
  }
  p.label = point_label(r.spec, r.accuracy, r.tokens);
  return p;
}

// Families in order of first appearance, with their strategy indices.
std::vector<std::pair<std::string, std::vector<std::size_t>>> families(const ReplayResult& result) {
  std::vector<std::pair<std::string, std::vector<std::size_t>>> out;
  std::map<std::string, std::size_t> where;
  for (std::size_t s = 0; s < result.strategies.size(); ++s) {
    const std::string& family = result.strategies[s].family;
    auto [it, inserted] = where.emplace(family, out.size());
    if (inserted) out.push_back({family, {}});
    out[it->second].second.push_back(s);
  }
  return out;
}

bool one_per_budget(const ReplayResult& result, const std::vector<std::size_t>& members) {
  std::map<int, int> count;
  for (std::size_t s : members)
    if (++count[result.strategies[s].budget] > 1) return false;
  return true;
}

std::vector<std::size_t> by_budget(const ReplayResult& result, std::vector<std::size_t> members) {
  std::stable_sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
    return result.strategies[a].budget < result.strategies[b].budget;
  });
  return members;
}

void add_bon_curve(Plot& plot, const ReplayResult* bon_curve) {
  if (!bon_curve || bon_curve->strategies.empty()) return;
  PlotSeries series;
  const auto& first = bon_curve->strategies.front();
  const auto& last = bon_curve->strategies.back();
  series.name = "BoN n=" + std::to_string(first.budget) + ".." + std::to_string(last.budget) + " (reference)";
  series.reference = true;
  std::vector<std::size_t> all(bon_curve->strategies.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  for (std::size_t s : by_budget(*bon_curve, all)) {
    PlotPoint p = point_of(bon_curve->strategies[s], false);
    series.line.push_back(p);
    series.markers.push_back(p);
  }
  plot.series.push_back(std::move(series));
}

Plot base_plot(const ReplayResult& result, const std::string& title, const std::string& subtitle) {
  Plot plot;
  plot.title = report_title(result, title);
  plot.subtitle = subtitle;
  plot.x_label = "mean tokens per problem";
  plot.y_label = "accuracy (%)";
  plot.y_scale = 100.0;
  return plot;
}

}  // namespace

std::string report_title(const ReplayResult& result, const std::string& title) {
  return result.synthetic ? "SIMULATED pool \u2014 " + title : title;
}

Plot accuracy_plot(const ReplayResult& result, const ReplayResult* bon_curve, const std::string& title,
                   const std::string& subtitle) {
  Plot plot = base_plot(result, title, subtitle);
  add_bon_curve(plot, bon_curve);
  std::size_t family_index = 0;
  for (const auto& [family, members] : families(result)) {
    PlotSeries series;
    series.shape = static_cast<int>(family_index);
    series.color = kFamilyColors[family_index++ % kFamilyColors.size()];
    if (one_per_budget(result, members)) {
      series.name = family;
      for (std::size_t s : by_budget(result, members)) {
        series.markers.push_back(point_of(result.strategies[s], true));
        series.line.push_back(series.markers.back());
      }
    } else {
      const std::vector<std::size_t> front = pareto_front(result, members);
      // A one-point front is drawn as a ring (svg_plot.hpp): say so, not "line".
      series.name = family + " (" + std::to_string(members.size()) + " configs; " +
                    (front.size() == 1 ? "ring: its Pareto front, one point)" : "line: its Pareto front)");
      series.faint = true;
      for (std::size_t s : members) series.markers.push_back(point_of(result.strategies[s], false));
      for (std::size_t s : front) series.line.push_back(point_of(result.strategies[s], false));
    }
    plot.series.push_back(std::move(series));
  }
  return plot;
}

Plot tuning_plot(const ReplayResult& result, const TuningResult& tuning, const ReplayResult* bon_curve,
                 const std::string& title, const std::string& subtitle) {
  Plot plot = base_plot(result, title, subtitle);
  add_bon_curve(plot, bon_curve);
  std::size_t family_index = 0;
  const std::string how = tuning.selection == Selection::cv
                              ? "tuned, " + std::to_string(tuning.folds) + "-fold CV held-out"
                              : "tuned on the test set (paper parity)";
  for (const auto& [family, members] : families(result)) {
    const int shape = static_cast<int>(family_index);
    const std::string color = kFamilyColors[family_index++ % kFamilyColors.size()];
    std::vector<const TunedCell*> cells;
    for (const TunedCell& cell : tuning.cells)
      if (cell.family == family) cells.push_back(&cell);
    const bool swept = members.size() > cells.size();
    PlotSeries tuned;
    tuned.name = swept ? family + " (" + how + ")" : family;
    tuned.color = color;
    tuned.shape = shape;
    if (swept) {  // a family without choices has nothing to show besides its points
      PlotSeries grid;
      const std::vector<std::size_t> front = pareto_front(result, members);
      // The family's own front (in-sample, over every configuration): a thin
      // line, or a ring when it is one point (svg_plot.hpp).
      grid.name = family + " (every configuration; " +
                  (front.size() == 1 ? "ring: its Pareto front, one point)" : "thin line: its Pareto front)");
      grid.faint = true;
      grid.color = color;
      grid.shape = shape;
      for (std::size_t s : members) grid.markers.push_back(point_of(result.strategies[s], false));
      for (std::size_t s : front) grid.line.push_back(point_of(result.strategies[s], false));
      plot.series.push_back(std::move(grid));
    }
    std::stable_sort(cells.begin(), cells.end(), [](const TunedCell* a, const TunedCell* b) { return a->budget < b->budget; });
    for (const TunedCell* cell : cells) {
      PlotPoint p;
      p.x = cell->tokens.mean;
      p.y = cell->accuracy.mean;
      p.y_lo = cell->accuracy.ci_lo;
      p.y_hi = cell->accuracy.ci_hi;
      p.label = point_label(family + " n=" + std::to_string(cell->budget) + " " + how, cell->accuracy, cell->tokens);
      tuned.markers.push_back(p);
      tuned.line.push_back(p);
    }
    plot.series.push_back(std::move(tuned));
  }
  PlotSeries front;
  front.name = tuning.pareto.size() == 1 ? "Pareto front: one configuration (ring; in-sample)"
                                         : "Pareto front (every configuration, in-sample)";
  front.color = "#000000";
  for (std::size_t s : tuning.pareto) front.line.push_back(point_of(result.strategies[s], false));
  if (!front.line.empty()) plot.series.push_back(std::move(front));
  return plot;
}

}  // namespace optscale::replay
