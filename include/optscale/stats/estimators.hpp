// Estimating a problem's score law from observed scores (paper-spec §2):
// truncated-normal maximum likelihood (OptScale^0) and maximum a posteriori
// with Gaussian priors on mu and sigma (OptScale^t).
#pragma once
#include <optional>
#include <span>
#include <string>

namespace optscale::stats {

// Box the optimiser keeps (mu, sigma) in. The defaults fix the reference's
// runaway fits from 3 peeks (paper-spec §7.4); reference_parity() is the
// reference's own box: mu unbounded, sigma >= 1e-6.
struct FitBounds {
  double mu_min = -1.0;
  double mu_max = 2.0;
  double sigma_min = 0.005;
  double sigma_max = 10.0;
  static FitBounds reference_parity();
};

// Gaussian priors N(mu; mean_mu, std_mu^2) and N(sigma; mean_sigma, std_sigma^2).
struct FitPrior {
  double mean_mu = 0.0;
  double mean_sigma = 0.1;
  double std_mu = 0.1;     // the paper's default for both
  double std_sigma = 0.1;
};

struct FitResult {
  double mu = 0.0;
  double sigma = 0.0;
  double log_likelihood = 0.0;  // of the scores alone, at (mu, sigma)
  double objective = 0.0;       // log likelihood + log prior (== log_likelihood for MLE)
  bool converged = false;       // projected-gradient optimality reached
  int iterations = 0;
  // The optimality measure at (mu, sigma): the largest change of the
  // objective per one-sigma move of mu or per factor-e move of sigma, over the
  // directions the bounds leave free. converged == (stationarity <= 1e-9 (k+1)).
  double stationarity = 0.0;
};

// Throws optscale::Error("<where>: score i of k (index i-1) is ...") unless
// there is at least one score and each is finite and in [0, 1].
void check_scores(std::span<const double> scores, const std::string& where);

// MLE when `prior` is empty, MAP otherwise. Scores must be finite and in
// [0, 1] and there must be at least one; otherwise optscale::Error naming the
// offending index. Starts at the sample mean / population std (MLE) or at the
// prior means (MAP), clipped into the bounds, as the reference does.
FitResult fit_truncated_normal(std::span<const double> scores,
                               const std::optional<FitPrior>& prior = std::nullopt,
                               const FitBounds& bounds = {});

// Log likelihood of the scores under TN(mu, sigma) (-inf for sigma <= 0, with
// NaN gradients), and its gradient with respect to (mu, sigma). Scores are
// checked as by check_scores; a non-finite mu or sigma throws optscale::Error.
double truncated_normal_log_likelihood(std::span<const double> scores, double mu, double sigma,
                                       double* d_mu = nullptr, double* d_sigma = nullptr);

}  // namespace optscale::stats
