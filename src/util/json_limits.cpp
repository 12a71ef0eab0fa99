// parse_json: nlohmann's parser (iterative) driving our own DOM builder
// through its SAX interface. The builder refuses the container that would
// pass the depth limit and turns every parser error into a JsonInputError that
// names the field it happened in. Measured against nlohmann::json::parse and
// against the alternatives (a parser_callback that checks the depth; a
// pre-scan of brackets outside strings before nlohmann::json::parse): see
// docs/numerics.md#json-input-limits.
#include "optscale/util/json_limits.hpp"

#include <string>
#include <vector>

namespace optscale::util {
namespace {

using nlohmann::json;

// nlohmann's message without its "[json.exception.parse_error.101] " prefix.
std::string plain_message(const char* what) {
  std::string message = what;
  if (auto end = message.find("] "); message.starts_with("[json.exception") && end != std::string::npos)
    message.erase(0, end + 2);
  return message;
}

class BoundedDomBuilder {
 public:
  BoundedDomBuilder(json& root, std::string_view input, std::size_t max_depth)
      : root_(root), input_(input), max_depth_(max_depth) {}

  bool null() { return put(nullptr); }
  bool boolean(bool value) { return put(value); }
  bool number_integer(json::number_integer_t value) { return put(value); }
  bool number_unsigned(json::number_unsigned_t value) { return put(value); }
  bool number_float(json::number_float_t value, const json::string_t&) { return put(value); }
  bool string(json::string_t& value) { return put(std::move(value)); }
  bool binary(json::binary_t& value) { return put(std::move(value)); }

  bool start_object(std::size_t) { return open(json::value_t::object); }
  bool start_array(std::size_t) { return open(json::value_t::array); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(json::string_t& key) {
    Frame& frame = frames_.back();
    auto& object = frame.container->get_ref<json::object_t&>();
    auto [it, inserted] = object.try_emplace(std::move(key));
    if (!inserted) it->second = nullptr;  // a repeated key: the last one wins, as in nlohmann::json::parse
    frame.key = &it->first;
    element_ = &it->second;
    return true;
  }

  template <typename Exception>
  bool parse_error(std::size_t, const std::string& last_token, const Exception& error) {
    if (error.id == 406) {
      throw JsonInputError(JsonInputError::Kind::number_out_of_range, std::string(input_),
                           where() + "the number " + last_token +
                               " is outside the range of a double (magnitude up to 1.8e308)",
                           path());
    }
    throw JsonInputError(JsonInputError::Kind::syntax, std::string(input_), plain_message(error.what()), path());
  }

 private:
  struct Frame {
    json* container;
    const std::string* key = nullptr;  // the object's current key (a node in its map, so stable)
  };

  template <typename Value>
  json* place(Value&& value) {
    if (frames_.empty()) {
      root_ = json(std::forward<Value>(value));
      return &root_;
    }
    json& container = *frames_.back().container;
    if (container.is_array()) {
      auto& array = container.get_ref<json::array_t&>();
      array.emplace_back(std::forward<Value>(value));
      return &array.back();
    }
    *element_ = json(std::forward<Value>(value));
    return element_;
  }

  template <typename Value>
  bool put(Value&& value) {
    place(std::forward<Value>(value));
    return true;
  }

  bool open(json::value_t type) {
    if (frames_.size() >= max_depth_) {
      std::string at = path();
      if (at.size() > 60) at = at.substr(0, 60) + "...";
      throw JsonInputError(JsonInputError::Kind::too_deep, std::string(input_),
                           "nested deeper than the limit of " + std::to_string(max_depth_) +
                               " arrays/objects" + (at.empty() ? "" : " (at `" + at + "`)"),
                           path());
    }
    frames_.push_back(Frame{place(type)});
    return true;
  }

  bool close() {
    frames_.pop_back();
    return true;
  }

  // The field being read: keys and indexes from the top level down.
  std::string path() const {
    std::string out;
    for (std::size_t i = 0; i < frames_.size(); ++i) {
      const json& container = *frames_[i].container;
      const bool innermost = i + 1 == frames_.size();
      if (container.is_array()) {
        // An open child was appended last; a failing scalar would come next.
        const std::size_t size = container.size();
        out += "[" + std::to_string(innermost ? size : size - 1) + "]";
      } else if (frames_[i].key) {
        if (!out.empty()) out += ".";
        out += *frames_[i].key;
      } else {
        break;
      }
    }
    return out;
  }

  std::string where() const {
    const std::string at = path();
    return at.empty() ? "" : "`" + at + "`: ";
  }

  json& root_;
  std::string_view input_;
  std::size_t max_depth_;
  std::vector<Frame> frames_;
  json* element_ = nullptr;
};

}  // namespace

JsonInputError::JsonInputError(Kind kind, const std::string& input, std::string reason, std::string field)
    : Error(input.empty() ? reason : input + ": " + reason),
      kind_(kind),
      reason_(std::move(reason)),
      field_(std::move(field)) {}

json parse_json(std::string_view text, std::string_view input, std::size_t max_depth) {
  json root;
  BoundedDomBuilder builder(root, input, max_depth);
  json::sax_parse(text.begin(), text.end(), &builder);
  return root;
}

std::string json_excerpt(const json& value, std::size_t max_chars) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > max_chars) text = text.substr(0, max_chars) + "...";
  return text;
}

}  // namespace optscale::util
