// One line of `optscale plan --batch FILE.jsonl` read and decided: its own
// file so that the plan_batch fuzz target (fuzz/) runs the program's reader.
#pragma once
#include <string>
#include <string_view>

#include "optscale/stats/sample_bound.hpp"
#include "optscale/util/fast_json.hpp"

namespace optscale::cli {

// {"mu":…,"sigma":…,"target":…,"confidence":…,"budget":…[,"peek":…][,"method":…]}
// -> its decision. Throws optscale::Error (without the file:line prefix, which
// the caller adds) for malformed JSON, unknown, missing or wrongly typed
// fields, and values the bound refuses.
stats::SampleBound plan_line(const std::string& line, stats::BoundMethod default_method);

// The same for a line with util::kFastJsonPadding readable bytes past its end
// (a util::LineReader line), read by `parser` when it holds just the fields
// above with the right types, else by the function above: the same decision
// and the same errors either way, about 3x faster on valid lines.
stats::SampleBound plan_line(std::string_view padded_line, util::FastJson& parser,
                             stats::BoundMethod default_method);

}  // namespace optscale::cli
