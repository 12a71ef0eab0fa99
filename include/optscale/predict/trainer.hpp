// Training a predictor: features from the training texts, a ridge head per
// target with its penalty chosen by k-fold cross-validation on the training
// labels only, the stacking stage (its effect measured by a second, nested
// cross-validation), and the uncertainty from the cross-validated residuals.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "optscale/predict/featurizer.hpp"
#include "optscale/predict/labels.hpp"
#include "optscale/predict/metrics.hpp"
#include "optscale/predict/predictor_model.hpp"
#include "optscale/predict/target_transform.hpp"

namespace optscale::predict {

struct TrainOptions {
  std::vector<double> lambdas = {0.5, 1.0, 2.0, 4.0, 8.0};
  int folds = 5;
  std::uint64_t seed = 1;
  int threads = 2;
  TargetTransform mu_transform = TargetTransform::parse("log-gap:0.02");
  TargetTransform sigma_transform = TargetTransform::parse("log:0.1");
  bool stacking = true;
  int uncertainty_bins = 5;
  double sigma_floor = 1e-3;
  double tolerance = 1e-4;
  std::function<void(const std::string&)> progress;  // one line per step (stderr in the CLI)

  void validate() const;  // throws optscale::Error naming the option
  nlohmann::json to_json() const;
};

struct CvFigures {
  RegressionMetrics mu, sigma;
};

struct TrainReport {
  struct PenaltyRow {
    double lambda;
    CvFigures figures;  // first stage alone at this penalty
  };
  std::vector<PenaltyRow> penalties;
  double mu_lambda = 0.0, sigma_lambda = 0.0;
  CvFigures first_stage;  // at the chosen penalties
  CvFigures final_model;  // with stacking when enabled (nested cross-validation)
  CvFigures baseline;     // the training mean of the other folds
  double seconds = 0.0;
};

// Fits `featurizer` on the labels' texts and returns the trained model.
// `provenance` is stored under "training" next to the options and figures.
// Throws optscale::Error for fewer labels than 2 x folds, labels outside a
// transform's domain, or invalid options.
PredictorModel train_predictor(std::unique_ptr<Featurizer> featurizer,
                               const std::vector<LabeledProblem>& labels,
                               const TrainOptions& options, const nlohmann::json& provenance = {},
                               TrainReport* report = nullptr);

nlohmann::json metrics_to_json(const RegressionMetrics& m);

}  // namespace optscale::predict
