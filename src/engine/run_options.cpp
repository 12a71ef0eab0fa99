#include "optscale/engine/controller.hpp"

#include "optscale/util/error.hpp"

namespace optscale::engine {

// The flags' names: the options are what `optscale run` parsed.
void RunOptions::validate() const {
  if (max_in_flight < 1) throw Error("--max-in-flight must be at least 1");
  if (scorer_in_flight < 0) throw Error("--scorer-in-flight must be at least 0");
  if (token_budget && *token_budget < 0) throw Error("--token-budget must be non-negative");
  if (max_failed_count && *max_failed_count < 0) throw Error("--max-failed-samples must be non-negative");
  if (max_failed_fraction && !(*max_failed_fraction > 0.0 && *max_failed_fraction < 1.0))
    throw Error("--max-failed-samples: a fraction must be in (0, 1)");
}

}  // namespace optscale::engine
