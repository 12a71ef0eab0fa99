// The JSON shape of one pool line (docs/pool-format.md): conversion between a
// parsed JSON object and pool::Problem. Internal to the pool layer.
#pragma once
#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

#include "optscale/pool/pool.hpp"

namespace optscale::pool::detail {

// A field of one line is missing, of the wrong type, or unknown. `field` is the
// path inside the line ("samples[3].tokens"); the reader adds file and line.
class FieldError : public std::runtime_error {
 public:
  FieldError(std::string field, const std::string& what)
      : std::runtime_error(what), field_(std::move(field)) {}
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

// Strings that stand for the non-JSON literals NaN, Infinity and -Infinity
// (which Python's json module writes): the reader substitutes them so that
// such a score is reported as "got NaN" rather than as a syntax error.
inline constexpr const char* kNanToken = "\x01NaN";
inline constexpr const char* kInfToken = "\x01Infinity";
inline constexpr const char* kNegInfToken = "\x01-Infinity";

// The line with each bare NaN, Infinity and -Infinity outside strings replaced
// by the JSON string of its stand-in above.
std::string substitute_non_finite_literals(std::string_view line);

// Any JSON number, or one of the stand-ins (as NaN, inf or -inf, which the
// value rules then report by name); FieldError otherwise.
double read_number(const nlohmann::json& value, const std::string& field);

// Builds a problem from one line's object. Checks presence, types and unknown
// fields only; value rules are pool::problem_violations. Throws FieldError.
Problem problem_from_json(nlohmann::json&& line);

// The line for one problem, fields in documented order, absent optionals omitted.
nlohmann::ordered_json problem_to_json(const Problem& problem);

// "NaN", "inf", "-inf", or the shortest decimal that reads back as `value`.
std::string format_number(double value);

}  // namespace optscale::pool::detail
