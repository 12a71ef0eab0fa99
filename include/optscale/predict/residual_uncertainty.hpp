// How far a model's predictions fall from the truth, from cross-validated
// residuals: the root mean square error of mu and of sigma within bins of
// the predicted mu (problems predicted hard are predicted less surely).
// These become OptScale^t's prior standard deviations.
#pragma once
#include <span>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace optscale::predict {

struct ResidualUncertainty {
  // Bin k holds predicted mu in (upper_edges[k-1], upper_edges[k]]; the last
  // edge is +inf (written as null), so every prediction has a bin.
  std::vector<double> upper_edges;
  std::vector<double> mu_std;
  std::vector<double> sigma_std;
  std::vector<std::size_t> counts;  // residuals per bin (provenance)

  // (mu_std, sigma_std) for a predicted mu.
  std::pair<double, double> lookup(double predicted_mu) const;

  // Equal-count bins of the predicted mu (at least 50 residuals each, so
  // fewer bins for small sets). Throws optscale::Error for empty input.
  static ResidualUncertainty fit(std::span<const double> predicted_mu,
                                 std::span<const double> true_mu,
                                 std::span<const double> predicted_sigma,
                                 std::span<const double> true_sigma, int bins);

  nlohmann::json to_json() const;
  static ResidualUncertainty from_json(const nlohmann::json& j);
};

}  // namespace optscale::predict
