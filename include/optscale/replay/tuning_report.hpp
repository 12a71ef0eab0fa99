// Reports of `optscale tune` (and the demo): the tuned figures per (family,
// budget), how they were selected, and the Pareto front.
#pragma once
#include <nlohmann/json.hpp>

#include <string>

#include "optscale/replay/report.hpp"
#include "optscale/replay/tuning.hpp"

namespace optscale::replay {

// One sentence saying how the settings were chosen and what the figures are.
std::string selection_method(const TuningResult& tuning);

// Table of tuned cells, then the Pareto front; SIMULATED banner first for a
// simulated pool.
std::string format_tuning_table(const ReplayResult& result, const TuningResult& tuning,
                                const ReportSource& source);

// {"selection": "cv"|"test", "selection_method", "folds", "seed", "tuned": [...],
//  "pareto": [...], "results": [every configuration], "synthetic", "data", ...}.
nlohmann::json tuning_json(const ReplayResult& result, const TuningResult& tuning,
                           const ReportSource& source);

// One tuned cell as JSON (also used by the demo).
nlohmann::json tuned_cell_json(const ReplayResult& result, const TuningResult& tuning,
                               const TunedCell& cell);

}  // namespace optscale::replay
