#include "optscale/predict/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "optscale/util/error.hpp"

namespace optscale::predict {

std::vector<double> average_ranks(std::span<const double> values) {
  const std::size_t n = values.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(n);
  for (std::size_t start = 0; start < n;) {
    std::size_t end = start + 1;
    while (end < n && values[order[end]] == values[order[start]]) ++end;
    // Positions start..end-1 hold equal values: each gets the mean 1-based rank.
    const double rank = 0.5 * static_cast<double>(start + 1 + end);
    for (std::size_t k = start; k < end; ++k) ranks[order[k]] = rank;
    start = end;
  }
  return ranks;
}

double pearson(std::span<const double> a, std::span<const double> b) {
  require(a.size() == b.size(), "pearson", "the two series differ in length");
  const double n = static_cast<double>(a.size());
  if (a.empty()) return 0.0;
  const double mean_a = std::accumulate(a.begin(), a.end(), 0.0) / n;
  const double mean_b = std::accumulate(b.begin(), b.end(), 0.0) / n;
  double cov = 0.0, var_a = 0.0, var_b = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double da = a[i] - mean_a, db = b[i] - mean_b;
    cov += da * db;
    var_a += da * da;
    var_b += db * db;
  }
  if (var_a <= 0.0 || var_b <= 0.0) return 0.0;
  return cov / std::sqrt(var_a * var_b);
}

double spearman(std::span<const double> a, std::span<const double> b) {
  const auto ranks_a = average_ranks(a);
  const auto ranks_b = average_ranks(b);
  return pearson(ranks_a, ranks_b);
}

RegressionMetrics regression_metrics(std::span<const double> predicted,
                                     std::span<const double> truth) {
  require(predicted.size() == truth.size(), "regression_metrics",
          [&] { return std::to_string(predicted.size()) + " predictions for " + std::to_string(truth.size()) +
              " true values"; });
  require(!truth.empty(), "regression_metrics", "no values to compare");
  double abs_sum = 0.0, sq_sum = 0.0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    if (!std::isfinite(predicted[i]) || !std::isfinite(truth[i])) {
      throw Error("regression_metrics: non-finite value at index " + std::to_string(i));
    }
    const double e = predicted[i] - truth[i];
    abs_sum += std::fabs(e);
    sq_sum += e * e;
  }
  const double n = static_cast<double>(truth.size());
  return {abs_sum / n, std::sqrt(sq_sum / n), spearman(predicted, truth)};
}

}  // namespace optscale::predict
