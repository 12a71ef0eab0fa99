// A trained predictor: featurizer, one linear head per target, the stacking
// stage, the cross-validated uncertainty and where it all came from. Saved
// as one JSON file (docs/predictor.md): long arrays are base64 float32 /
// uint32 inside it, so the default text model stays near 2 MB.
#pragma once
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "optscale/predict/featurizer.hpp"
#include "optscale/predict/linear_head.hpp"
#include "optscale/predict/predictor.hpp"
#include "optscale/predict/residual_uncertainty.hpp"
#include "optscale/predict/stacking.hpp"

namespace optscale::predict {

inline constexpr const char* kModelFormat = "optscale-predictor";
inline constexpr int kModelFormatVersion = 1;

struct PredictorModel {
  std::unique_ptr<Featurizer> features;
  LinearHead mu_head;
  LinearHead sigma_head;
  std::optional<PairStacker> stacker;
  double sigma_floor = 1e-3;  // predicted sigma never goes below this (> 0)
  ResidualUncertainty uncertainty;
  double training_mu_mean = 0.0;     // the constant baseline
  double training_sigma_mean = 0.0;
  nlohmann::json training;           // provenance: labels, options, CV figures
  nlohmann::json validation;         // figures on held-out labels, or null

  Prediction predict_row(const SparseRow& row) const;
  std::vector<Prediction> predict_rows(const FeatureMatrix& rows) const;
  // Featurises (one batch of embedding requests for that kind) and predicts.
  std::vector<Prediction> predict_texts(std::span<const std::string> texts) const;
};

nlohmann::json model_to_json(const PredictorModel& model);
// Throws optscale::Error naming the field for a wrong format, an unsupported
// format_version or malformed content.
PredictorModel model_from_json(const nlohmann::json& j, const FeaturizerOverrides& overrides = {});

void save_model(const PredictorModel& model, const std::filesystem::path& path);
PredictorModel load_model(const std::filesystem::path& path,
                          const FeaturizerOverrides& overrides = {});

}  // namespace optscale::predict
