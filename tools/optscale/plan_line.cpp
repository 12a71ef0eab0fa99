#include "plan_line.hpp"

#include <climits>
#include <cstdint>
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

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

std::optional<double> fast_number(element value) {
  switch (value.type()) {
    case element_type::INT64: return static_cast<double>(value.get_int64().value_unsafe());
    case element_type::UINT64: return static_cast<double>(value.get_uint64().value_unsafe());
    case element_type::DOUBLE: return value.get_double().value_unsafe();
    default: return std::nullopt;
  }
}

std::optional<int> fast_integer(element value) {
  if (value.type() != element_type::INT64) return std::nullopt;
  const std::int64_t x = value.get_int64().value_unsafe();
  if (x < INT_MIN || x > INT_MAX) return std::nullopt;
  return static_cast<int>(x);
}

struct FastPlan {
  double mu, sigma;
  stats::SampleBoundRequest request;
};

// The line's law and request when it is an object of just the known fields,
// each of the right type, none missing and the confidence in (0, 1); nullopt
// for anything else, which the nlohmann path then reads and names.
std::optional<FastPlan> fast_plan(std::string_view line, util::FastJson& parser, stats::BoundMethod method) {
  const auto root = parser.parse(line);
  if (!root || root->type() != element_type::OBJECT) return std::nullopt;
  simdjson::dom::object object;
  if (root->get_object().get(object) != simdjson::SUCCESS) return std::nullopt;
  std::optional<double> mu, sigma, target, confidence;
  std::optional<int> budget;
  FastPlan plan{};
  plan.request.method = method;
  for (const auto field : object) {  // a repeated key: the last one wins, as in parse_json
    const std::string_view key = field.key;
    if (key == "mu") {
      if (!(mu = fast_number(field.value))) return std::nullopt;
    } else if (key == "sigma") {
      if (!(sigma = fast_number(field.value))) return std::nullopt;
    } else if (key == "target") {
      if (!(target = fast_number(field.value))) return std::nullopt;
    } else if (key == "confidence") {
      if (!(confidence = fast_number(field.value))) return std::nullopt;
    } else if (key == "budget") {
      if (!(budget = fast_integer(field.value))) return std::nullopt;
    } else if (key == "peek") {
      const auto peek = fast_integer(field.value);
      if (!peek) return std::nullopt;
      plan.request.peek = *peek;
    } else if (key == "method") {
      std::string_view name;
      if (field.value.get_string().get(name) != simdjson::SUCCESS) return std::nullopt;
      if (name == "exact") plan.request.method = stats::BoundMethod::exact;
      else if (name == "grid") plan.request.method = stats::BoundMethod::grid;
      else return std::nullopt;
    } else {
      return std::nullopt;
    }
  }
  if (!mu || !sigma || !target || !confidence || !budget) return std::nullopt;
  if (!(*confidence > 0.0 && *confidence < 1.0)) return std::nullopt;
  plan.mu = *mu;
  plan.sigma = *sigma;
  plan.request.target = *target;
  plan.request.risk = 1.0 - *confidence;
  plan.request.budget = *budget;
  return plan;
}

}  // namespace

stats::SampleBound plan_line(std::string_view padded_line, util::FastJson& parser,
                             stats::BoundMethod default_method) {
  if (const auto plan = fast_plan(padded_line, parser, default_method))
    return stats::required_samples(stats::TruncatedNormal(plan->mu, plan->sigma), plan->request);
  return plan_line(std::string(padded_line), default_method);
}

}  // namespace optscale::cli
