// The hot-path JSON reader (pool lines, problems files, plan batches): the
// simdjson DOM parser, a few times faster than parse_json, with parse_json's
// depth limit. It only says yes (the value) or no: on no, the caller reads
// the same text again with parse_json and its own field checks, so a text
// either reads alike on both paths or reports exactly parse_json's message
// (file:line: field: what). Every simdjson parse in src/ and tools/ goes
// through this class (tests/util/json_limits_test.cpp holds it).
#pragma once
#include <simdjson.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

namespace optscale::util {

// Bytes that must be readable past the end of a text given to FastJson::parse
// (their values do not matter).
inline constexpr std::size_t kFastJsonPadding = simdjson::SIMDJSON_PADDING;

class FastJson {
 public:
  FastJson();
  ~FastJson();
  FastJson(const FastJson&) = delete;
  FastJson& operator=(const FastJson&) = delete;

  // The value of `text`, which must have kFastJsonPadding readable bytes past
  // its end; nullopt for anything simdjson refuses: a syntax error, nesting
  // deeper than kMaxJsonDepth, a number outside a double or an integer past
  // 64 bits, bytes that are not UTF-8, control characters in strings. The
  // value lives in this parser until its next parse.
  std::optional<simdjson::dom::element> parse(std::string_view text);

  // The same for a text without padding (copied once into a padded buffer).
  std::optional<simdjson::dom::element> parse_unpadded(std::string_view text);

 private:
  struct Parser;  // simdjson's, named only in fast_json.cpp (the parse guard's rule)
  std::unique_ptr<Parser> parser_;
};

}  // namespace optscale::util
