#include "optscale/replay/memo_fit_provider.hpp"

#include <string>

#include "optscale/util/error.hpp"
#include "optscale/util/invariant.hpp"

namespace optscale::replay {
namespace {

// Exact equality: a cached fit is reused only for bit-identical settings.
bool same_prior(const std::optional<stats::FitPrior>& a, const std::optional<stats::FitPrior>& b) {
  if (a.has_value() != b.has_value()) return false;
  if (!a) return true;
  return a->mean_mu == b->mean_mu && a->mean_sigma == b->mean_sigma && a->std_mu == b->std_mu &&
         a->std_sigma == b->std_sigma;
}

bool same_bounds(const stats::FitBounds& a, const stats::FitBounds& b) {
  return a.mu_min == b.mu_min && a.mu_max == b.mu_max && a.sigma_min == b.sigma_min &&
         a.sigma_max == b.sigma_max;
}

}  // namespace

MemoFitProvider::MemoFitProvider(std::vector<double> stream_scores)
    : scores_(std::move(stream_scores)), by_count_(scores_.size() + 1) {}

void MemoFitProvider::clear() {
  for (auto& entries : by_count_) std::vector<Entry>().swap(entries);
}

bool MemoFitProvider::is_stream_prefix(std::span<const policy::Observation> observed,
                                       int count) const {
  if (count < 0 || static_cast<std::size_t>(count) > observed.size() ||
      static_cast<std::size_t>(count) > scores_.size())
    return false;
  for (int i = 0; i < count; ++i)
    if (observed[static_cast<std::size_t>(i)].score != scores_[static_cast<std::size_t>(i)])
      return false;
  return true;
}

stats::FitResult MemoFitProvider::fit(std::span<const policy::Observation> observed, int count,
                                      const std::optional<stats::FitPrior>& prior,
                                      const stats::FitBounds& bounds) {
  OPTSCALE_INVARIANT(count >= 0 && static_cast<std::size_t>(count) <= observed.size(),
                     "fit provider asked to fit " + std::to_string(count) + " of " + std::to_string(observed.size()) +
                         " observations");
  if (!is_stream_prefix(observed, count)) {
    std::vector<double> scores;
    scores.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) scores.push_back(observed[static_cast<std::size_t>(i)].score);
    ++computed_;
    return stats::fit_truncated_normal(scores, prior, bounds);
  }
  auto& entries = by_count_[static_cast<std::size_t>(count)];
  for (const Entry& entry : entries) {
    if (same_prior(entry.prior, prior) && same_bounds(entry.bounds, bounds)) {
      ++reused_;
      return entry.result;
    }
  }
  ++computed_;
  stats::FitResult result = stats::fit_truncated_normal(
      std::span<const double>(scores_.data(), static_cast<std::size_t>(count)), prior, bounds);
  entries.push_back(Entry{prior, bounds, result});
  return result;
}

}  // namespace optscale::replay
