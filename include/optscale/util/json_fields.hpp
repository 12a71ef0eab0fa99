// Typed reads of fields of a parsed JSON value that name the field in every
// error and never convert out of range: a float is never cast to an integer it
// does not fit (1e10 as an int is undefined behaviour in C++), an unsigned
// 2^64-1 never wraps to -1, and a wrong type gives our message, not the JSON
// library's. `name` is the field's full name in errors ("predictor
// model.features.hash_bits").
#pragma once
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace optscale::util {

// object[key]; Error "<name>: missing" when `object` is not an object holding key.
const nlohmann::json& json_field(const nlohmann::json& object, std::string_view key, const std::string& name);

// An integer in [lo, hi]: a JSON integer, or a float with an integral value
// (8.0, as numpy writes counts) of magnitude at most 2^53.
long long json_integer(const nlohmann::json& value, const std::string& name, long long lo, long long hi);
// A finite number.
double json_number(const nlohmann::json& value, const std::string& name);
std::string json_string(const nlohmann::json& value, const std::string& name);
bool json_bool(const nlohmann::json& value, const std::string& name);
// A list of finite numbers / of integers in [lo, hi].
std::vector<double> json_numbers(const nlohmann::json& value, const std::string& name);
std::vector<long long> json_integers(const nlohmann::json& value, const std::string& name, long long lo,
                                     long long hi);

}  // namespace optscale::util
