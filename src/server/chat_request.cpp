#include "optscale/server/chat_request.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>

#include "optscale/server/api_error.hpp"
#include "optscale/util/json_limits.hpp"

namespace optscale::server {
namespace {

using nlohmann::json;

[[noreturn]] void reject(const std::string& param, const std::string& message) {
  throw ApiError(400, message, "invalid_request", param);
}

// The text of a message's content: a string, or the text parts of a list.
std::string content_text(const json& content, const std::string& where) {
  if (content.is_string()) return content.get<std::string>();
  if (content.is_null()) return {};
  if (!content.is_array()) reject(where, where + " must be a string or a list of content parts");
  std::string text;
  for (std::size_t i = 0; i < content.size(); ++i) {
    const json& part = content[i];
    const std::string here = where + "[" + std::to_string(i) + "]";
    if (!part.is_object() || !part.contains("type") || !part["type"].is_string())
      reject(here, here + " must be an object with a string `type`");
    if (part["type"] != "text") continue;  // images and audio are for the generator only
    if (!part.contains("text") || !part["text"].is_string()) reject(here, here + " has no string `text`");
    if (!text.empty()) text += "\n";
    text += part["text"].get<std::string>();
  }
  return text;
}

std::string read_problem(const json& messages) {
  if (!messages.is_array() || messages.empty())
    reject("messages", "`messages` must be a non-empty list of messages");
  std::optional<std::string> last_user;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const json& message = messages[i];
    const std::string where = "messages[" + std::to_string(i) + "]";
    if (!message.is_object()) reject(where, where + " must be an object");
    if (!message.contains("role") || !message["role"].is_string())
      reject(where + ".role", where + " has no string `role`");
    const std::string text =
        content_text(message.contains("content") ? message["content"] : json(nullptr), where + ".content");
    if (message["role"] == "user") last_user = text;
  }
  if (!last_user) reject("messages", "`messages` has no user turn: the verifier scores answers to one");
  return *last_user;
}

bool is_integer(const json& value) {
  if (value.is_number_integer()) return true;
  if (!value.is_number_float()) return false;
  const double d = value.get<double>();
  return std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15;
}

double read_number(const json& object, const char* key, double lo, double hi, bool open, const std::string& param) {
  const json& value = object[key];
  auto text = [](double x) {
    char out[32];
    std::snprintf(out, sizeof out, "%g", x);
    return std::string(out);
  };
  const std::string range = (open ? "in (" : "in [") + text(lo) + ", " + text(hi) + (open ? ")" : "]");
  if (!value.is_number()) reject(param, "`" + param + "` must be a number " + range);
  const double d = value.get<double>();
  const bool inside = open ? (d > lo && d < hi) : (d >= lo && d <= hi);
  if (!std::isfinite(d) || !inside) reject(param, "`" + param + "` is " + util::json_excerpt(value) + ", expected a number " + range);
  return d;
}

RequestOverrides read_overrides(const json& field) {
  if (!field.is_object()) reject("optscale", "`optscale` must be an object (keys: target, confidence, budget, policy)");
  RequestOverrides overrides;
  for (const auto& [key, value] : field.items()) {
    if (key == "target") {
      overrides.target = read_number(field, "target", 0.0, 1.0, false, "optscale.target");
    } else if (key == "confidence") {
      overrides.confidence = read_number(field, "confidence", 0.0, 1.0, true, "optscale.confidence");
    } else if (key == "budget") {
      if (!is_integer(value) || value.get<double>() < 1 || value.get<double>() > std::numeric_limits<int>::max())
        reject("optscale.budget", "`optscale.budget` is " + util::json_excerpt(value) + ", expected an integer >= 1");
      overrides.budget = static_cast<int>(value.get<double>());
    } else if (key == "policy") {
      if (!value.is_string() || value.get<std::string>().empty())
        reject("optscale.policy", "`optscale.policy` must be a non-empty strategy spec such as \"bon:n=8\"");
      overrides.policy = value.get<std::string>();
    } else {
      reject("optscale." + key, "unknown key `optscale." + key + "` (known: target, confidence, budget, policy)");
    }
  }
  return overrides;
}

}  // namespace

ChatRequest parse_chat_request(std::string_view body) {
  json parsed;
  try {
    parsed = util::parse_json(body, "the request body");
  } catch (const util::JsonInputError& e) {
    using Kind = util::JsonInputError::Kind;
    std::optional<std::string> param;
    if (!e.field().empty()) param = e.field().size() > 80 ? e.field().substr(0, 80) + "..." : e.field();
    if (e.kind() == Kind::syntax)
      throw ApiError(400, "the request body is not valid JSON: " + e.reason(), "invalid_json");
    throw ApiError(400, std::string("the request body is ") + (e.kind() == Kind::too_deep ? "" : "not readable: ") +
                            e.reason(),
                   e.kind() == Kind::too_deep ? "too_deeply_nested" : "number_out_of_range", param);
  }
  if (!parsed.is_object()) throw ApiError(400, "the request body must be a JSON object", "invalid_json");

  ChatRequest request;
  if (!parsed.contains("messages")) reject("messages", "missing required field `messages`");
  request.problem = read_problem(parsed["messages"]);

  if (parsed.contains("model") && !parsed["model"].is_null()) {
    if (!parsed["model"].is_string()) reject("model", "`model` must be a string");
    request.model = parsed["model"].get<std::string>();
  }
  if (parsed.contains("n") && !parsed["n"].is_null()) {
    const json& n = parsed["n"];
    if (!is_integer(n) || n.get<double>() < 1 || n.get<double>() > 128)
      reject("n", "`n` is " + util::json_excerpt(n) + ", expected an integer in [1, 128]");
    request.n = static_cast<int>(n.get<double>());
  }
  if (parsed.contains("stream") && !parsed["stream"].is_null()) {
    if (!parsed["stream"].is_boolean()) reject("stream", "`stream` must be true or false");
    request.stream = parsed["stream"].get<bool>();
  }
  if (parsed.contains("stream_options") && !parsed["stream_options"].is_null()) {
    const json& options = parsed["stream_options"];
    if (!options.is_object()) reject("stream_options", "`stream_options` must be an object");
    if (options.contains("include_usage")) {
      if (!options["include_usage"].is_boolean())
        reject("stream_options.include_usage", "`stream_options.include_usage` must be true or false");
      request.include_usage = options["include_usage"].get<bool>();
    }
  }
  if (parsed.contains("seed") && !parsed["seed"].is_null()) {
    const json& seed = parsed["seed"];
    const bool too_large = seed.is_number_unsigned() &&
                           seed.get<unsigned long long>() > static_cast<unsigned long long>(
                                                                std::numeric_limits<long long>::max());
    if (!is_integer(seed) || too_large) reject("seed", "`seed` must be a 64-bit integer");
    request.seed = seed.is_number_integer() ? seed.get<long long>() : static_cast<long long>(seed.get<double>());
  }
  request.uses_tools = (parsed.contains("tools") && !parsed["tools"].is_null()) ||
                       (parsed.contains("functions") && !parsed["functions"].is_null());
  if (parsed.contains("optscale")) {
    request.has_overrides_field = true;
    request.overrides = read_overrides(parsed["optscale"]);
  }

  for (const char* owned : {"n", "stream", "stream_options", "optscale"}) parsed.erase(owned);
  request.upstream_body = std::move(parsed);
  return request;
}

std::optional<std::string> passthrough_reason(const ChatRequest& request, std::string_view optscale_header) {
  std::string header(optscale_header);
  for (char& c : header) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::optional<std::string> reason;
  if (header == "off") {
    reason = "header";
  } else if (!header.empty() && header != "on") {
    throw ApiError(400, "header X-OptScale must be `on` or `off`", "invalid_request");
  } else if (request.n > 1) {
    reason = "client-n";
  } else if (request.uses_tools) {
    reason = "tools";
  }
  if (reason && request.has_overrides_field)
    throw ApiError(400,
                   "`optscale` overrides apply only to requests the proxy answers, but this one passes through "
                   "unchanged (" + *reason + "); drop the field or the reason",
                   "invalid_request", "optscale");
  return reason;
}

}  // namespace optscale::server
