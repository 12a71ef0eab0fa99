#include "optscale/util/json_fields.hpp"

#include <cmath>

#include "optscale/util/error.hpp"
#include "optscale/util/json_limits.hpp"

namespace optscale::util {
namespace {

using nlohmann::json;

[[noreturn]] void refuse(const std::string& name, const std::string& expected, const json& value) {
  throw Error(name + ": must be " + expected + ", got " + json_excerpt(value));
}

}  // namespace

const json& json_field(const json& object, std::string_view key, const std::string& name) {
  if (!object.is_object()) refuse(name.substr(0, name.rfind('.')), "an object", object);
  const auto it = object.find(key);
  if (it == object.end()) throw Error(name + ": missing");
  return *it;
}

long long json_integer(const json& value, const std::string& name, long long lo, long long hi) {
  const std::string expected = "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
  if (value.is_number_unsigned()) {
    const auto u = value.get<unsigned long long>();
    if (hi < 0 || u > static_cast<unsigned long long>(hi)) refuse(name, expected, value);
    return static_cast<long long>(u);
  }
  if (value.is_number_integer()) {
    const auto i = value.get<long long>();
    if (i < lo || i > hi) refuse(name, expected, value);
    return i;
  }
  if (value.is_number_float()) {
    constexpr double kExact = 9007199254740992.0;  // 2^53: every integer below is a double
    const double d = value.get<double>();
    if (!(std::fabs(d) <= kExact) || d != std::floor(d)) refuse(name, expected, value);
    const auto i = static_cast<long long>(d);  // in range: |d| <= 2^53
    if (i < lo || i > hi) refuse(name, expected, value);
    return i;
  }
  refuse(name, expected, value);
}

double json_number(const json& value, const std::string& name) {
  if (!value.is_number()) refuse(name, "a number", value);
  const double d = value.get<double>();
  if (!std::isfinite(d)) refuse(name, "a finite number", value);
  return d;
}

std::string json_string(const json& value, const std::string& name) {
  if (!value.is_string()) refuse(name, "a string", value);
  return value.get<std::string>();
}

bool json_bool(const json& value, const std::string& name) {
  if (!value.is_boolean()) refuse(name, "true or false", value);
  return value.get<bool>();
}

std::vector<double> json_numbers(const json& value, const std::string& name) {
  if (!value.is_array()) refuse(name, "a list of numbers", value);
  std::vector<double> out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) out.push_back(json_number(value[i], name + "[" + std::to_string(i) + "]"));
  return out;
}

std::vector<long long> json_integers(const json& value, const std::string& name, long long lo, long long hi) {
  if (!value.is_array()) refuse(name, "a list of integers", value);
  std::vector<long long> out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i)
    out.push_back(json_integer(value[i], name + "[" + std::to_string(i) + "]", lo, hi));
  return out;
}

}  // namespace optscale::util
