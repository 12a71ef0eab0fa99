// Lines of `optscale plan --batch` (tools/optscale/plan_line.cpp), one line
// per input. Contract (include/optscale/stats/sample_bound.hpp): a decision or
// optscale::Error; a decision has n in [max(1, peek), budget], p_success a
// probability (NaN only for `"method": "grid"` where the grid's density
// underflows, and then n = budget), n = 1 when certain and n = budget when
// capped or unreachable (unless the peek asks for more).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"
#include "plan_line.hpp"

using namespace optscale;

namespace {

// A reader's verdict: the decision, or the message.
std::string verdict(const std::function<stats::SampleBound()>& decide) {
  try {
    const stats::SampleBound b = decide();
    return "n=" + std::to_string(b.n) + " outcome=" + stats::to_string(b.outcome) + " p=" + std::to_string(b.p_success);
  } catch (const Error& e) {
    return e.what();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string line(fuzz::as_text(data, size));
  // The batch's reader (simdjson first, as `plan --batch` reads) decides or
  // refuses exactly as the nlohmann one does.
  static util::FastJson parser;
  const std::string padded = line + std::string(util::kFastJsonPadding, ' ');
  const std::string fast =
      verdict([&] { return cli::plan_line(std::string_view(padded.data(), line.size()), parser, stats::BoundMethod::exact); });
  const std::string slow = verdict([&] { return cli::plan_line(line, stats::BoundMethod::exact); });
  FUZZ_CHECK(fast == slow, "batch reader: " + fast + "\nnlohmann reader: " + slow);
  stats::SampleBound bound;
  if (!fuzz::refused_or_done([&] { bound = cli::plan_line(line, stats::BoundMethod::exact); })) return 0;
  const std::string what = "n=" + std::to_string(bound.n) + " outcome=" + stats::to_string(bound.outcome) +
                           " p_success=" + std::to_string(bound.p_success) + " for " + line;
  // The line was read, so it is an object with an integer budget.
  const nlohmann::json object = nlohmann::json::parse(line);
  const long long budget = object["budget"].get<long long>();
  const long long peek = object.value("peek", 0LL);
  FUZZ_CHECK(bound.n >= 1 && bound.n <= budget && bound.n >= peek, what);
  const bool grid = object.value("method", "exact") == "grid";
  const bool undefined_on_grid = grid && std::isnan(bound.p_success);
  FUZZ_CHECK((bound.p_success >= 0.0 && bound.p_success <= 1.0) || undefined_on_grid, what);  // false for NaN
  if (undefined_on_grid) FUZZ_CHECK(bound.n == budget, what);
  if (bound.outcome == stats::BoundOutcome::certain) FUZZ_CHECK(bound.n == std::max(1LL, peek), what);
  if (bound.outcome == stats::BoundOutcome::capped || bound.outcome == stats::BoundOutcome::unreachable)
    FUZZ_CHECK(bound.n == budget, what);
  return 0;
}
