// A predictor against labels: MAE, RMSE and Spearman of mu and of sigma,
// next to the constant predictor (the training means when known).
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "optscale/predict/labels.hpp"
#include "optscale/predict/metrics.hpp"
#include "optscale/predict/predictor.hpp"

namespace optscale::predict {

struct Evaluation {
  std::size_t n = 0;
  RegressionMetrics mu, sigma;
  RegressionMetrics baseline_mu, baseline_sigma;
  double baseline_mu_value = 0.0, baseline_sigma_value = 0.0;
  std::string baseline_source;  // "training mean" or "mean of these labels"
};

// Predicts every label's problem (ProblemRef with text, id and index i) and
// compares. `constant` is the baseline's (mu, sigma); without it, the
// labels' own means (an optimistic baseline, said so in baseline_source).
Evaluation evaluate_predictor(const Predictor& predictor, const std::vector<LabeledProblem>& labels,
                              const std::optional<std::pair<double, double>>& constant = {});

// {"mu": {"mae","rmse","spearman"}, "sigma": {...}, "baseline": {"mu": {...},
//  "sigma": {...}, "constant": {"mu","sigma"}, "source"}, "n"}
nlohmann::json evaluation_to_json(const Evaluation& e);

}  // namespace optscale::predict
