#include "spec_reader.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

#include "optscale/util/error.hpp"

namespace optscale::policy::detail {

SpecReader::SpecReader(const StrategySpec& spec) : spec_(spec), text_(spec.to_string()) {
  std::set<std::string> seen;
  for (const SpecParam& p : spec_.params) {
    if (p.values.size() != 1)
      fail(p.key, "a list of values needs expand_spec first (make_strategies does it)");
    if (!seen.insert(p.key).second) fail(p.key, "given twice");
  }
}

void SpecReader::fail(const std::string& key, const std::string& what) const {
  throw Error("strategy spec '" + text_ + "': key '" + key + "': " + what);
}

void SpecReader::fail(const std::string& what) const {
  throw Error("strategy spec '" + text_ + "': " + what);
}

const std::string* SpecReader::find(const std::string& key) {
  known_.push_back(key);
  for (const SpecParam& p : spec_.params)
    if (p.key == key) return &p.values.front();
  return nullptr;
}

bool SpecReader::has(const std::string& key) { return find(key) != nullptr; }

const std::string& SpecReader::text(const std::string& key) {
  const std::string* value = find(key);
  if (value == nullptr) fail("missing required key '" + key + "'");
  return *value;
}

int SpecReader::integer(const std::string& key, std::optional<int> fallback, int min, int max) {
  const std::string* value = find(key);
  if (value == nullptr) {
    if (!fallback) fail("missing required key '" + key + "'");
    return *fallback;
  }
  int parsed = 0;
  const char* end = value->data() + value->size();
  const auto [ptr, ec] = std::from_chars(value->data(), end, parsed);
  const std::string expected =
      "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
  if (ec != std::errc() || ptr != end || parsed < min || parsed > max)
    fail(key, "expected " + expected + ", got '" + *value + "'");
  return parsed;
}

double SpecReader::real(const std::string& key, std::optional<double> fallback,
                        const std::function<bool(double)>& valid, const std::string& expected) {
  const std::string* value = find(key);
  if (value == nullptr) {
    if (!fallback) fail("missing required key '" + key + "'");
    return *fallback;
  }
  double parsed = 0.0;
  const char* end = value->data() + value->size();
  const auto [ptr, ec] = std::from_chars(value->data(), end, parsed);
  if (ec != std::errc() || ptr != end || !std::isfinite(parsed) || !valid(parsed))
    fail(key, "expected " + expected + ", got '" + *value + "'");
  return parsed;
}

std::string SpecReader::choice(const std::string& key, const std::string& fallback,
                               const std::vector<std::string>& options) {
  const std::string* value = find(key);
  if (value == nullptr) return fallback;
  for (const std::string& option : options)
    if (*value == option) return option;
  std::string list;
  for (const std::string& option : options) list += (list.empty() ? "" : "|") + option;
  fail(key, "expected one of " + list + ", got '" + *value + "'");
}

void SpecReader::finish() const {
  for (const SpecParam& p : spec_.params) {
    bool known = false;
    for (const std::string& k : known_) known = known || k == p.key;
    if (known) continue;
    std::string list;
    std::set<std::string> listed;
    for (const std::string& k : known_)
      if (listed.insert(k).second) list += (list.empty() ? "" : ", ") + k;
    fail("unknown key '" + p.key + "' for " + spec_.name + " (known keys: " + list + ")");
  }
}

std::string format_number(double value) {
  char buffer[64];
  const auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc() ? std::string(buffer, ptr) : std::to_string(value);
}

SpecWriter& SpecWriter::add(const std::string& key, const std::string& value) {
  text_ += (first_ ? ":" : ",") + key + "=" + value;
  first_ = false;
  return *this;
}

SpecWriter& SpecWriter::add(const std::string& key, int value) {
  return add(key, std::to_string(value));
}

SpecWriter& SpecWriter::add(const std::string& key, double value) {
  return add(key, format_number(value));
}

}  // namespace optscale::policy::detail
