// How well predicted values match true ones: mean absolute error, root mean
// squared error and Spearman's rank correlation (average ranks for ties).
#pragma once
#include <span>
#include <vector>

namespace optscale::predict {

struct RegressionMetrics {
  double mae = 0.0;
  double rmse = 0.0;
  double spearman = 0.0;  // 0 when either side is constant (no ranking to compare)
};

// Ranks 1..n, ties sharing the average of their ranks.
std::vector<double> average_ranks(std::span<const double> values);

// Pearson correlation; 0 when either side has zero variance.
double pearson(std::span<const double> a, std::span<const double> b);
double spearman(std::span<const double> a, std::span<const double> b);

// Throws optscale::Error unless both spans have the same, non-zero length and
// every value is finite.
RegressionMetrics regression_metrics(std::span<const double> predicted,
                                     std::span<const double> truth);

}  // namespace optscale::predict
