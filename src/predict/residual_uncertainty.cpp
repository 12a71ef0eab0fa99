#include "optscale/predict/residual_uncertainty.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "optscale/util/error.hpp"
#include "optscale/util/json_fields.hpp"

namespace optscale::predict {

std::pair<double, double> ResidualUncertainty::lookup(double predicted_mu) const {
  require(!upper_edges.empty(), "ResidualUncertainty", "no bins");
  std::size_t k = 0;
  while (k + 1 < upper_edges.size() && predicted_mu > upper_edges[k]) ++k;
  return {mu_std[k], sigma_std[k]};
}

ResidualUncertainty ResidualUncertainty::fit(std::span<const double> predicted_mu,
                                             std::span<const double> true_mu,
                                             std::span<const double> predicted_sigma,
                                             std::span<const double> true_sigma, int bins) {
  const std::size_t n = predicted_mu.size();
  require(n > 0 && true_mu.size() == n && predicted_sigma.size() == n && true_sigma.size() == n,
          "ResidualUncertainty::fit", "needs one prediction per label and at least one");
  require(bins >= 1, "ResidualUncertainty::fit", "needs at least one bin");
  constexpr std::size_t kMinPerBin = 50;
  const std::size_t bin_count =
      std::max<std::size_t>(1, std::min<std::size_t>(bins, n / kMinPerBin));
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return predicted_mu[a] < predicted_mu[b]; });
  ResidualUncertainty u;
  for (std::size_t k = 0; k < bin_count; ++k) {
    const std::size_t begin = k * n / bin_count, end = (k + 1) * n / bin_count;
    double sq_mu = 0.0, sq_sigma = 0.0;
    for (std::size_t p = begin; p < end; ++p) {
      const std::size_t i = order[p];
      sq_mu += (predicted_mu[i] - true_mu[i]) * (predicted_mu[i] - true_mu[i]);
      sq_sigma += (predicted_sigma[i] - true_sigma[i]) * (predicted_sigma[i] - true_sigma[i]);
    }
    const double count = static_cast<double>(end - begin);
    u.mu_std.push_back(std::sqrt(sq_mu / count));
    u.sigma_std.push_back(std::sqrt(sq_sigma / count));
    u.counts.push_back(end - begin);
    // The edge sits halfway between this bin's largest and the next's smallest.
    u.upper_edges.push_back(k + 1 == bin_count
                                ? std::numeric_limits<double>::infinity()
                                : 0.5 * (predicted_mu[order[end - 1]] + predicted_mu[order[end]]));
  }
  return u;
}

nlohmann::json ResidualUncertainty::to_json() const {
  nlohmann::json edges = nlohmann::json::array();
  for (double e : upper_edges) edges.push_back(std::isinf(e) ? nlohmann::json() : nlohmann::json(e));
  return {{"method", "cross-validated RMSE of mu and sigma within bins of predicted mu"},
          {"bin_upper_edges", edges},
          {"mu_std", mu_std},
          {"sigma_std", sigma_std},
          {"counts", counts}};
}

ResidualUncertainty ResidualUncertainty::from_json(const nlohmann::json& j) {
  const std::string where = "uncertainty";
  ResidualUncertainty u;
  try {
    for (const auto& e : j.at("bin_upper_edges")) {
      u.upper_edges.push_back(e.is_null() ? std::numeric_limits<double>::infinity()
                                          : e.get<double>());
    }
    u.mu_std = j.at("mu_std").get<std::vector<double>>();
    u.sigma_std = j.at("sigma_std").get<std::vector<double>>();
    if (j.contains("counts")) {
      for (long long count : util::json_integers(j["counts"], where + ".counts", 0, std::numeric_limits<long long>::max()))
        u.counts.push_back(static_cast<std::size_t>(count));
    }
  } catch (const nlohmann::json::exception& e) {
    throw Error(where + ": " + e.what());
  }
  const std::size_t bins = u.upper_edges.size();
  require(bins >= 1 && u.mu_std.size() == bins && u.sigma_std.size() == bins, where,
          "bin_upper_edges, mu_std and sigma_std need the same, non-zero length");
  require(std::isinf(u.upper_edges.back()), where, "the last bin edge must be null (+inf)");
  for (std::size_t k = 0; k < bins; ++k) {
    require(std::isfinite(u.mu_std[k]) && u.mu_std[k] > 0.0 && std::isfinite(u.sigma_std[k]) &&
                u.sigma_std[k] > 0.0,
            where, "standard deviations must be finite and > 0");
    require(k + 1 == bins || (std::isfinite(u.upper_edges[k]) &&
                              (k == 0 || u.upper_edges[k] > u.upper_edges[k - 1])),
            where, "bin edges must be finite and increasing");
  }
  return u;
}

}  // namespace optscale::predict
