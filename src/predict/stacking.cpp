#include "optscale/predict/stacking.hpp"

#include <Eigen/Dense>

#include <cmath>

#include "optscale/util/error.hpp"

namespace optscale::predict {

std::array<double, PairStacker::kInputs> PairStacker::inputs(double m, double s) {
  return {1.0, m, s, m * m, s * s, m * s};
}

std::array<double, 2> PairStacker::apply(double t_mu, double t_sigma) const {
  const auto x = inputs(t_mu, t_sigma);
  double a = 0.0, b = 0.0;
  for (std::size_t k = 0; k < kInputs; ++k) {
    a += mu[k] * x[k];
    b += sigma[k] * x[k];
  }
  return {a, b};
}

PairStacker PairStacker::fit(std::span<const double> first_mu, std::span<const double> first_sigma,
                             std::span<const double> target_mu,
                             std::span<const double> target_sigma) {
  const std::size_t n = first_mu.size();
  require(first_sigma.size() == n && target_mu.size() == n && target_sigma.size() == n,
          "PairStacker::fit", "all four series need the same length");
  require(n > kInputs, "PairStacker::fit", "needs more than 6 rows");
  Eigen::MatrixXd design(n, kInputs);
  Eigen::MatrixXd targets(n, 2);
  for (std::size_t i = 0; i < n; ++i) {
    const auto a = inputs(first_mu[i], first_sigma[i]);
    for (std::size_t k = 0; k < kInputs; ++k) design(i, k) = a[k];
    targets(i, 0) = target_mu[i];
    targets(i, 1) = target_sigma[i];
  }
  // Column-pivoting QR: exact on exact data and stable when inputs are
  // nearly collinear (the two first-stage predictions often are).
  const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(design);
  require(qr.rank() == static_cast<Eigen::Index>(kInputs), "PairStacker::fit",
          [&] { return "the first-stage predictions are degenerate (rank " + std::to_string(qr.rank()) + " of 6)"; });
  const Eigen::MatrixXd w = qr.solve(targets);
  const Eigen::VectorXd w_mu = w.col(0), w_sigma = w.col(1);
  PairStacker s;
  for (std::size_t k = 0; k < kInputs; ++k) {
    require(std::isfinite(w_mu[k]) && std::isfinite(w_sigma[k]), "PairStacker::fit",
            "non-finite coefficients");
    s.mu[k] = w_mu[k];
    s.sigma[k] = w_sigma[k];
  }
  return s;
}

nlohmann::json PairStacker::to_json() const {
  return {{"inputs", {"1", "mu", "sigma", "mu^2", "sigma^2", "mu*sigma"}},
          {"mu", mu},
          {"sigma", sigma}};
}

namespace {
constexpr double kCoefficientLimit = 1e100;
}  // namespace

PairStacker PairStacker::from_json(const nlohmann::json& j) {
  PairStacker s;
  try {
    const auto a = j.at("mu").get<std::vector<double>>();
    const auto b = j.at("sigma").get<std::vector<double>>();
    require(a.size() == kInputs && b.size() == kInputs, "stacking",
            "expected 6 coefficients for mu and for sigma");
    for (std::size_t k = 0; k < kInputs; ++k) {
      // Fitted coefficients are of order 1-100; this bound keeps every
      // stacked value finite for inputs the model clips to +-700
      // (PredictorModel::predict_row), so a prediction is never NaN.
      require(std::isfinite(a[k]) && std::isfinite(b[k]), "stacking", "non-finite coefficient");
      require(std::abs(a[k]) <= kCoefficientLimit && std::abs(b[k]) <= kCoefficientLimit, "stacking",
              [&] { return "coefficient " + std::to_string(k) + " beyond +-1e100"; });
      s.mu[k] = a[k];
      s.sigma[k] = b[k];
    }
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("stacking: ") + e.what());
  }
  return s;
}

}  // namespace optscale::predict
