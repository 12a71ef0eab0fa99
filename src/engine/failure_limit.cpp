#include "failure_limit.hpp"

#include <algorithm>

namespace optscale::engine {

std::optional<std::string> FailureLimit::failed(int index, const std::string& reason) {
  ++failed_;
  problems_failed_.try_emplace(index, reason);
  const long long attempted = std::max(attempted_, 1LL);
  // A fraction applies to max(attempted, 100), so that the first failures of
  // a run do not stop it.
  const double allowed = options_.max_failed_fraction
                             ? *options_.max_failed_fraction * static_cast<double>(std::max(attempted, 100LL))
                             : static_cast<double>(options_.max_failed_count.value_or(0));
  if (static_cast<double>(failed_) <= allowed) return std::nullopt;
  std::string names;
  int listed = 0;
  for (const auto& [problem, first_reason] : problems_failed_) {
    if (listed++ == 10) {
      names += "; ... (" + std::to_string(problems_failed_.size() - 10) + " more problems)";
      break;
    }
    names += (names.empty() ? "" : "; ") + problems_[static_cast<std::size_t>(problem)].id + ": " + first_reason;
  }
  return std::to_string(failed_) + " samples failed (of " + std::to_string(attempted) +
         " attempted), more than --max-failed-samples allows; failed samples by problem (first reason): " + names +
         " (every failure is in the store's sample_issues table)";
}

}  // namespace optscale::engine
