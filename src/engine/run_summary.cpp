#include "optscale/engine/controller.hpp"

namespace optscale::engine {

using nlohmann::json;

// The run's summary as `optscale run` prints it (mean_* per problem).
json RunSummary::to_json() const {
  json reasons = json::object();
  for (const auto& [reason, count] : stop_reasons) reasons[reason] = count;
  const double n = problems > 0 ? static_cast<double>(problems) : 1.0;
  json out = {{"problems", problems},
              {"resumed", resumed},
              {"mean_samples", static_cast<double>(samples) / n},
              {"mean_tokens", static_cast<double>(tokens) / n},
              {"samples", samples},
              {"tokens", tokens},
              {"stop_reasons", reasons},
              {"drawn", drawn},
              {"scored", scored},
              {"attempts", attempts},
              {"failed_attempts", failed_attempts},
              {"failed_samples", failed_samples},
              {"unreadable_judgements", unreadable_judgements},
              {"truncated_inputs", truncated_inputs},
              {"wasted_tokens", wasted_tokens},
              {"engine_latency_ms", {{"queue_p50", queue_ms[0]}, {"queue_p99", queue_ms[1]},
                                     {"handling_p50", handling_ms[0]}, {"handling_p99", handling_ms[1]}}},
              {"seconds", seconds}};
  if (graded > 0) {
    out["graded"] = graded;
    out["correct"] = correct;
    out["accuracy"] = static_cast<double>(correct) / static_cast<double>(graded);
  }
  return out;
}

}  // namespace optscale::engine
