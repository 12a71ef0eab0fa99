// Reports of a replay: the table printed on stdout, JSON and CSV. Every
// report made from a simulated pool says SIMULATED (docs/replay.md).
#pragma once
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "optscale/replay/replay.hpp"

namespace optscale::replay {

// Where the results came from, echoed into every report.
struct ReportSource {
  std::string pool_path;
  // For each strategy of the result, the --strategy argument it was expanded
  // from (empty: not recorded).
  std::vector<std::string> given;
};

// The banner every report of a simulated pool carries.
inline constexpr const char* kSimulatedBanner =
    "SIMULATED: the pool is simulated; these figures are not measurements of a real model";

// How the intervals were computed, in words (shared by all reports).
std::string interval_method(const ReplayResult& result);

// "12.34" with `decimals` digits after the point ("-" for NaN).
std::string fixed(double value, int decimals);

// "[lo, hi]" of the figure's interval times `scale`; "" when it has none.
std::string interval_text(const Figure& figure, double scale, int decimals);

// [lo, hi] or null.
nlohmann::json interval_json(const Figure& figure);

// Columns separated by two spaces, padded to the widest cell; the last
// column is left unpadded when left-aligned.
std::string render_table(const std::vector<std::string>& headers,
                         const std::vector<std::vector<std::string>>& rows,
                         const std::vector<bool>& right_aligned);

// The banner (simulated pools) and the line naming the pool, its size, the
// orders and the answer grouping: the first lines of every text report.
std::string report_header(const ReplayResult& result, const ReportSource& source);

// The stdout table: a header naming the pool, orders, seed and interval
// method (and the SIMULATED banner first when the pool is simulated), then one
// row per strategy.
std::string format_table(const ReplayResult& result, const ReportSource& source);

// One result as JSON: strategy, family, budget, accuracy, accuracy_ci,
// mean_tokens, tokens_ci, mean_samples, samples_ci, *_order_sd, stop_reasons.
nlohmann::json strategy_json(const StrategyResult& result);

// {"results": [...], "synthetic": bool, "data": "SIMULATED"|"real", "pool",
//  "problems", "orders", "seed", "answer_grouping", "confidence",
//  "interval_method", "fits": {...}}.
nlohmann::json to_json(const ReplayResult& result, const ReportSource& source);

// RFC 4180 CSV, one row per strategy; the first column, `data`, is
// SIMULATED or real on every row.
std::string to_csv(const ReplayResult& result, const ReportSource& source);

// Writes text to a file, throwing optscale::Error naming the path on failure.
void write_text_file(const std::string& path, const std::string& text);

}  // namespace optscale::replay
