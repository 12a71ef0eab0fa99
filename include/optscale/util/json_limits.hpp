// Reading JSON from outside (requests, pools, problems files, upstream
// responses, model files, batch lines) with limits: a bounded nesting depth, so
// that nothing downstream that recurses over a value (dump, copy, comparison)
// can overflow the stack; numbers inside a double's range; and errors that are
// ours, naming the input and the field. Every JSON parse in src/ and tools/
// goes through parse_json (docs/numerics.md#json-input-limits).
#pragma once
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "optscale/util/error.hpp"

namespace optscale::util {

// Arrays and objects nested inside each other, the top level counting as 1.
// Far above real inputs (OpenAI tool schemas nest about 10 deep, our own
// files 4), far below what recursion over a parsed value can take.
inline constexpr std::size_t kMaxJsonDepth = 256;

// A JSON text that could not be read. what() is "<input>: <reason>"; the
// parts are kept for callers that frame the message themselves (the proxy
// puts reason() in its 400 and field() in the error's `param`).
class JsonInputError : public Error {
 public:
  enum class Kind { syntax, too_deep, number_out_of_range };
  JsonInputError(Kind kind, const std::string& input, std::string reason, std::string field);
  Kind kind() const { return kind_; }
  // Without the input's name: "nested deeper than the limit of 256 ...".
  const std::string& reason() const { return reason_; }
  // Where in the value it happened ("n[0][0]", "samples[3].score"); empty
  // at the top level or when the syntax broke before any field.
  const std::string& field() const { return field_; }

 private:
  Kind kind_;
  std::string reason_;
  std::string field_;
};

// Parses `text` as exactly one JSON value (trailing non-space is an error)
// with at most `max_depth` nested arrays/objects. `input` names the text in
// errors ("pool.jsonl:12", "the request body"). Throws JsonInputError only.
nlohmann::json parse_json(std::string_view text, std::string_view input, std::size_t max_depth = kMaxJsonDepth);

// The JSON text of `value` for an error message: at most `max_chars` bytes,
// cut with "..." (a client's value can be megabytes), never throwing on bytes
// that are not UTF-8.
std::string json_excerpt(const nlohmann::json& value, std::size_t max_chars = 80);

}  // namespace optscale::util
