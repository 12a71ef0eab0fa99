// A FitProvider that remembers: one per (problem, order) stream, shared by
// every strategy and grid point replayed on that stream, so a fit of the same
// (prefix length, prior, bounds) is computed once. Not thread-safe: a stream
// is replayed by one thread.
#pragma once
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "optscale/policy/policy.hpp"

namespace optscale::replay {

class MemoFitProvider final : public policy::FitProvider {
 public:
  // `stream_scores`: the scores of the stream in draw order (copied).
  explicit MemoFitProvider(std::vector<double> stream_scores);

  // Answers from the cache when `observed` is this stream's prefix (checked
  // score by score), else fits directly without caching, so a result is
  // always that of stats::fit_truncated_normal on the given scores.
  stats::FitResult fit(std::span<const policy::Observation> observed, int count,
                       const std::optional<stats::FitPrior>& prior,
                       const stats::FitBounds& bounds) override;

  // Frees the cached fits (the counters stay): for when the stream is done.
  void clear();

  std::size_t fits_computed() const { return computed_; }
  std::size_t fits_reused() const { return reused_; }

 private:
  struct Entry {
    std::optional<stats::FitPrior> prior;
    stats::FitBounds bounds;
    stats::FitResult result;
  };
  bool is_stream_prefix(std::span<const policy::Observation> observed, int count) const;

  std::vector<double> scores_;
  std::vector<std::vector<Entry>> by_count_;  // index: prefix length
  std::size_t computed_ = 0, reused_ = 0;
};

}  // namespace optscale::replay
