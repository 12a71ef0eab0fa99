// Internal: the truncated-normal log likelihood evaluated from the scores'
// sufficient statistics, in the (mu, log sigma) coordinates the fit optimises.
#pragma once
#include <span>
#include <string>

namespace optscale::stats::detail {

// The likelihood depends on the scores only through their count, mean and sum
// of squared deviations from the mean: sum (s - mu)^2 = M2 + k (mean - mu)^2,
// which stays exact when sigma is tiny (no S2 - 2 mu S1 + k mu^2 cancellation).
struct ScoreSummary {
  int count = 0;
  double mean = 0.0;
  double squared_deviations = 0.0;  // M2 = sum (s_i - mean)^2
};

// Validates (Error naming `where` and the offending index) and summarises.
ScoreSummary summarize_scores(std::span<const double> scores, const std::string& where);

struct LikelihoodValue {
  double value = 0.0;        // log likelihood
  double d_mu = 0.0;         // d value / d mu
  double d_log_sigma = 0.0;  // d value / d log sigma (= sigma * d value / d sigma)
};

// Requires finite mu, sigma > 0 finite and log_sigma == log(sigma) (passed
// both so the optimiser's coordinate is used exactly).
LikelihoodValue truncated_normal_log_likelihood(const ScoreSummary& scores, double mu,
                                                double sigma, double log_sigma);

}  // namespace optscale::stats::detail
