// The Predictor backed by a trained model file (text or embeddings kind).
#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include "optscale/predict/predictor.hpp"
#include "optscale/predict/predictor_model.hpp"

namespace optscale::predict {

struct ModelPredictorOptions {
  // When set, every prediction's mu_std and sigma_std are this value instead
  // of the model's cross-validated ones (kParityPriorStd = the paper's 0.1).
  std::optional<double> fixed_prior_std;
  FeaturizerOverrides overrides;
};

class ModelPredictor final : public Predictor {
 public:
  ModelPredictor(PredictorModel model, std::string source, ModelPredictorOptions options = {});
  // Loads `path`; throws optscale::Error naming the file when it cannot.
  static ModelPredictor load(const std::filesystem::path& path, ModelPredictorOptions options = {});

  // Throws optscale::Error for an empty problem text.
  Prediction predict(const ProblemRef& problem) const override;
  std::vector<Prediction> predict_all(std::span<const ProblemRef> problems) const override;
  std::string describe() const override;

  const PredictorModel& model() const { return model_; }
  // Hands the model back (e.g. to record figures in it and save it).
  PredictorModel release() && { return std::move(model_); }

 private:
  Prediction finish(Prediction p) const;
  PredictorModel model_;
  std::string source_;
  ModelPredictorOptions options_;
};

// The model OptScale^t uses when none is named: $OPTSCALE_PREDICTOR if set,
// else models/default-predictor.json where the program's data files are
// (installed: <bin>/../share/optscale/; else the source tree it was built
// from; util/data_files.hpp). Throws optscale::Error listing the places
// tried when none exists.
std::filesystem::path default_model_path();

}  // namespace optscale::predict
