// Second stage of the text and embeddings models: each target is refitted
// on a quadratic in both first-stage predictions (on the transformed scale).
// mu and sigma are strongly tied (rank correlation -0.88 in the MATH
// labels), so the mu head's signal sharpens the sigma prediction.
#pragma once
#include <array>
#include <span>

#include <nlohmann/json.hpp>

namespace optscale::predict {

struct PairStacker {
  static constexpr std::size_t kInputs = 6;  // 1, m, s, m^2, s^2, m*s
  static std::array<double, kInputs> inputs(double t_mu, double t_sigma);

  std::array<double, kInputs> mu{0, 1, 0, 0, 0, 0};     // identity by default
  std::array<double, kInputs> sigma{0, 0, 1, 0, 0, 0};

  // Transformed (mu, sigma) from transformed first-stage predictions.
  std::array<double, 2> apply(double t_mu, double t_sigma) const;

  // Least squares of the transformed targets on inputs(first-stage).
  // Throws optscale::Error when the inputs are degenerate (e.g. constant).
  static PairStacker fit(std::span<const double> first_mu, std::span<const double> first_sigma,
                         std::span<const double> target_mu, std::span<const double> target_sigma);

  nlohmann::json to_json() const;
  static PairStacker from_json(const nlohmann::json& j);
};

}  // namespace optscale::predict
