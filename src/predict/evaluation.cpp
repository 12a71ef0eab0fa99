#include "optscale/predict/evaluation.hpp"

#include <numeric>

#include "optscale/predict/trainer.hpp"
#include "optscale/util/error.hpp"

namespace optscale::predict {

Evaluation evaluate_predictor(const Predictor& predictor, const std::vector<LabeledProblem>& labels,
                              const std::optional<std::pair<double, double>>& constant) {
  require(!labels.empty(), "evaluate_predictor", "no labels");
  const std::size_t n = labels.size();
  std::vector<ProblemRef> refs;
  refs.reserve(n);
  for (std::size_t i = 0; i < n; ++i) refs.push_back({labels[i].problem, labels[i].id, i});
  const auto predictions = predictor.predict_all(refs);
  require(predictions.size() == n, "evaluate_predictor", "one prediction per label expected");
  std::vector<double> true_mu(n), true_sigma(n), mu(n), sigma(n);
  for (std::size_t i = 0; i < n; ++i) {
    true_mu[i] = labels[i].mu;
    true_sigma[i] = labels[i].sigma;
    mu[i] = predictions[i].mu;
    sigma[i] = predictions[i].sigma;
  }
  Evaluation e;
  e.n = n;
  e.mu = regression_metrics(mu, true_mu);
  e.sigma = regression_metrics(sigma, true_sigma);
  if (constant) {
    e.baseline_mu_value = constant->first;
    e.baseline_sigma_value = constant->second;
    e.baseline_source = "training mean";
  } else {
    e.baseline_mu_value = std::accumulate(true_mu.begin(), true_mu.end(), 0.0) / static_cast<double>(n);
    e.baseline_sigma_value =
        std::accumulate(true_sigma.begin(), true_sigma.end(), 0.0) / static_cast<double>(n);
    e.baseline_source = "mean of these labels";
  }
  e.baseline_mu = regression_metrics(std::vector<double>(n, e.baseline_mu_value), true_mu);
  e.baseline_sigma = regression_metrics(std::vector<double>(n, e.baseline_sigma_value), true_sigma);
  return e;
}

nlohmann::json evaluation_to_json(const Evaluation& e) {
  return {{"mu", metrics_to_json(e.mu)},
          {"sigma", metrics_to_json(e.sigma)},
          {"baseline",
           {{"mu", metrics_to_json(e.baseline_mu)},
            {"sigma", metrics_to_json(e.baseline_sigma)},
            {"constant", {{"mu", e.baseline_mu_value}, {"sigma", e.baseline_sigma_value}}},
            {"source", e.baseline_source}}},
          {"n", e.n}};
}

}  // namespace optscale::predict
