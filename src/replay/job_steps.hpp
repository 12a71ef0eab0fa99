// The steps `optscale eval`, `tune` and `demo` share (jobs.hpp): reading the
// pool and the specs with a progress line, timing, and writing the reports
// that were asked for.
#pragma once
#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "optscale/pool/pool.hpp"
#include "optscale/replay/jobs.hpp"
#include "optscale/replay/strategy_list.hpp"
#include "optscale/replay/tuning.hpp"

namespace optscale::replay::detail {

struct LoadedReplay {
  pool::Pool pool;
  StrategyList list;
};

// Reads the pool and expands the specs, then reports "<label>replaying N
// configurations x P problems x R orders on T threads".
LoadedReplay load_replay(const std::string& pool_path, const std::vector<std::string>& specs,
                         const ReplayOptions& options, const Progress& progress, const std::string& label = "");

// `options` with its progress lines sent to `progress` (long replays print
// one a second).
ReplayOptions with_progress(ReplayOptions options, const Progress& progress);

// Seconds since `start`, as the progress lines print them (3 decimals).
std::string seconds_since(std::chrono::steady_clock::time_point start);

// "<K>-fold CV, held-out figures" or the test-set selection's warning: what
// the plots' subtitles say of a tuning.
std::string selection_subtitle(const TuningResult& tuning);

// Writes the JSON and, when asked, the CSV and the SVG (made only then);
// returns what goes to stdout: the JSON for `--json` (or `--json-out -`), else the table.
std::string write_reports(const OutputFiles& outputs, const nlohmann::json& json,
                          const std::function<std::string()>& csv, const std::function<std::string()>& svg,
                          const std::function<std::string()>& table);

}  // namespace optscale::replay::detail
