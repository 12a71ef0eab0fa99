// FastJson: the one place src/ and tools/ parse with simdjson. simdjson
// refuses a document whose depth reaches its max_depth, where parse_json
// refuses one past kMaxJsonDepth: one more makes the same limit on both paths
// (tests/util/fast_json_test.cpp holds 256 deep read and 257 refused).
#include "optscale/util/fast_json.hpp"

#include <new>

#include "optscale/util/json_limits.hpp"

namespace optscale::util {

struct FastJson::Parser {
  simdjson::dom::parser simdjson;
};

FastJson::FastJson() : parser_(std::make_unique<Parser>()) {
  // Capacity grows with the longest text seen; the depth stays.
  if (parser_->simdjson.allocate(64, kMaxJsonDepth + 1) != simdjson::SUCCESS) throw std::bad_alloc();
}

FastJson::~FastJson() = default;

std::optional<simdjson::dom::element> FastJson::parse(std::string_view text) {
  simdjson::dom::element root;
  if (parser_->simdjson.parse(text.data(), text.size(), false).get(root) != simdjson::SUCCESS) return std::nullopt;
  return root;
}

std::optional<simdjson::dom::element> FastJson::parse_unpadded(std::string_view text) {
  simdjson::dom::element root;
  if (parser_->simdjson.parse(text.data(), text.size(), true).get(root) != simdjson::SUCCESS) return std::nullopt;
  return root;
}

}  // namespace optscale::util
