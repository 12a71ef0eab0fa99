// Reading one strategy's keys from a spec without lists, and writing its
// canonical form back. Every strategy factory asks for each of its keys (so
// the reader knows them all), then calls finish() to reject unknown ones.
#pragma once
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "optscale/policy/spec.hpp"

namespace optscale::policy::detail {

class SpecReader {
 public:
  // Throws when the spec has a sweep list or a key given twice.
  explicit SpecReader(const StrategySpec& spec);

  const std::string& name() const { return spec_.name; }
  bool has(const std::string& key);  // marks the key as known

  // A required key when `fallback` is empty.
  int integer(const std::string& key, std::optional<int> fallback, int min, int max);
  double real(const std::string& key, std::optional<double> fallback,
              const std::function<bool(double)>& valid, const std::string& expected);
  std::string choice(const std::string& key, const std::string& fallback,
                     const std::vector<std::string>& options);
  // The raw text of a key that must be present (after has()).
  const std::string& text(const std::string& key);

  [[noreturn]] void fail(const std::string& key, const std::string& what) const;
  [[noreturn]] void fail(const std::string& what) const;
  // Throws naming the first key given that no question asked about.
  void finish() const;

 private:
  const std::string* find(const std::string& key);
  StrategySpec spec_;
  std::string text_;
  std::vector<std::string> known_;  // in the order asked
};

// Shortest text that reads back to the same double ("0.95", "1e-06").
std::string format_number(double value);

// Builds "name:key=value,...": the canonical spec every Strategy::spec() returns.
class SpecWriter {
 public:
  explicit SpecWriter(std::string name) : text_(std::move(name)) {}
  SpecWriter& add(const std::string& key, const std::string& value);
  SpecWriter& add(const std::string& key, int value);
  SpecWriter& add(const std::string& key, double value);
  const std::string& str() const { return text_; }

 private:
  std::string text_;
  bool first_ = true;
};

}  // namespace optscale::policy::detail
