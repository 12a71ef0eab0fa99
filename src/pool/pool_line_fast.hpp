// The fast path of the pool reader: one line read by util::FastJson straight
// into a Problem, when it holds exactly the format's fields with the right
// types. Anything else (a syntax error, a wrong type, an unknown or missing
// field, an unusual number) gives nullopt, and the reader reads the line again
// with parse_json and problem_from_json, whose messages users see: both paths
// give the same Problem for every line the fast one accepts
// (tests/pool/pool_fast_reader_test.cpp). Internal to the pool layer.
#pragma once
#include <optional>
#include <string_view>

#include "optscale/pool/pool.hpp"
#include "optscale/util/fast_json.hpp"

namespace optscale::pool::detail {

// `line` must have util::kFastJsonPadding readable bytes past its end. With
// Texts::drop, each text is digested (DroppedText) without being copied.
std::optional<Problem> fast_problem_from_line(std::string_view line, util::FastJson& parser, Texts texts);

// What Texts::drop keeps of a completion text.
DroppedText digest_text(std::string_view text, bool has_answer);

}  // namespace optscale::pool::detail
