#include "plan_line.hpp"

#include <climits>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "optscale/stats/truncated_normal.hpp"
#include "optscale/util/error.hpp"
#include "optscale/util/json_limits.hpp"

namespace optscale::cli {

stats::SampleBound plan_line(const std::string& line, stats::BoundMethod default_method) {
  nlohmann::json object;
  try {
    object = util::parse_json(line, "");
  } catch (const util::JsonInputError& e) {  // the caller adds file:line
    if (e.kind() != util::JsonInputError::Kind::syntax) throw Error(e.reason());
    throw Error("not valid JSON (" + e.reason() + ")");
  }
  if (!object.is_object())
    throw Error("expected a JSON object, got " + std::string(object.type_name()));
  std::optional<double> mu, sigma, target, confidence;
  std::optional<int> budget;
  stats::SampleBoundRequest request;
  request.method = default_method;
  auto number = [](const std::string& key, const nlohmann::json& value) {
    if (!value.is_number()) {
      throw Error("\"" + key + "\" must be a number, got " + value.dump());
    }
    const double x = value.get<double>();
    if (!std::isfinite(x)) throw Error("\"" + key + "\" must be finite, got " + value.dump());
    return x;
  };
  auto integer = [](const std::string& key, const nlohmann::json& value) {
    const bool fits = value.is_number_unsigned()
                          ? value.get<unsigned long long>() <= INT_MAX
                          : value.is_number_integer() && value.get<long long>() >= INT_MIN &&
                                value.get<long long>() <= INT_MAX;
    if (!fits)
      throw Error("\"" + key + "\" must be an integer of at most 10 digits, got " + value.dump());
    return static_cast<int>(value.get<long long>());
  };
  for (const auto& [key, value] : object.items()) {
    if (key == "mu") {
      mu = number(key, value);
    } else if (key == "sigma") {
      sigma = number(key, value);
    } else if (key == "target") {
      target = number(key, value);
    } else if (key == "confidence") {
      confidence = number(key, value);
    } else if (key == "budget") {
      budget = integer(key, value);
    } else if (key == "peek") {
      request.peek = integer(key, value);
    } else if (key == "method") {
      if (!value.is_string()) throw Error("\"method\" must be a string, got " + value.dump());
      request.method = stats::parse_bound_method(value.get<std::string>());
    } else {
      throw Error("unknown field \"" + key +
                  "\" (expected mu, sigma, target, confidence, budget, peek, method)");
    }
  }
  for (auto [present, name] : {std::pair{mu.has_value(), "mu"},
                               {sigma.has_value(), "sigma"},
                               {target.has_value(), "target"},
                               {confidence.has_value(), "confidence"},
                               {budget.has_value(), "budget"}}) {
    if (!present) throw Error(std::string("missing field \"") + name + "\"");
  }
  if (!(*confidence > 0.0 && *confidence < 1.0)) {
    throw Error("\"confidence\" must be in (0, 1), got " + object["confidence"].dump());
  }
  request.target = *target;
  request.risk = 1.0 - *confidence;
  request.budget = *budget;
  return stats::required_samples(stats::TruncatedNormal(*mu, *sigma), request);
}

}  // namespace optscale::cli
