// The plots the replay commands write: accuracy against mean tokens per
// problem, one colour per strategy family, the Best-of-N curve for
// reference, titled SIMULATED when the pool is simulated.
#pragma once
#include <string>

#include "optscale/replay/replay.hpp"
#include "optscale/replay/svg_plot.hpp"
#include "optscale/replay/tuning.hpp"

namespace optscale::replay {

// "SIMULATED pool — <title>" for a simulated pool, else the title.
std::string report_title(const ReplayResult& result, const std::string& title);

// One series per family. A family with one configuration per budget is drawn
// as markers with their confidence intervals, joined in budget order; a
// family with several (a sweep) as faint markers joined along its own Pareto
// front. `bon_curve`, when given, is drawn as a dashed grey reference line in
// budget order.
Plot accuracy_plot(const ReplayResult& result, const ReplayResult* bon_curve, const std::string& title,
                   const std::string& subtitle);

// Every configuration faint, each family's tuned (held-out for cv) figures
// bold and joined by budget, the overall in-sample Pareto front in black, and
// the BoN reference curve.
Plot tuning_plot(const ReplayResult& result, const TuningResult& tuning, const ReplayResult* bon_curve,
                 const std::string& title, const std::string& subtitle);

}  // namespace optscale::replay
