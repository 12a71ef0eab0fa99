// One line of `optscale plan --batch FILE.jsonl` read and decided: its own
// file so that the plan_batch fuzz target (fuzz/) runs the program's reader.
#pragma once
#include <string>

#include "optscale/stats/sample_bound.hpp"

namespace optscale::cli {

// {"mu":…,"sigma":…,"target":…,"confidence":…,"budget":…[,"peek":…][,"method":…]}
// -> its decision. Throws optscale::Error (without the file:line prefix, which
// the caller adds) for malformed JSON, unknown, missing or wrongly typed
// fields, and values the bound refuses.
stats::SampleBound plan_line(const std::string& line, stats::BoundMethod default_method);

}  // namespace optscale::cli
