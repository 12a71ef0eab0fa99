// Features from a language model: the problem's embedding from an
// OpenAI-compatible embeddings server, L2-normalised, followed by the same
// standardised structural block as the text model. The paper's predictor is
// a fine-tuned 1.5B model; this keeps the model frozen and fits the same
// ridge head on its embeddings.
#pragma once
#include <cstddef>
#include <span>
#include <string>

#include "optscale/predict/embedding_client.hpp"
#include "optscale/predict/featurizer.hpp"
#include "optscale/predict/structural_features.hpp"

namespace optscale::predict {

struct EmbeddingFeatureConfig {
  EmbeddingEndpoint endpoint;
  double embedding_weight = 1.0;   // norm of the embedding block
  double structural_weight = 1.0;  // norm (typical) of the structural block; 0 turns it off
};

class EmbeddingFeaturizer final : public Featurizer {
 public:
  explicit EmbeddingFeaturizer(EmbeddingFeatureConfig config);

  std::string kind() const override { return "embeddings"; }
  // Embeds every text once, records the dimension and the structural statistics.
  FeatureMatrix fit_transform(std::span<const std::string> texts) override;
  // Throws optscale::Error if the server's dimension differs from training.
  FeatureMatrix transform_all(std::span<const std::string> texts) const override;
  std::size_t dimension() const override { return embedding_dimension_ + kStructuralFeatureCount; }
  std::size_t embedding_dimension() const { return embedding_dimension_; }
  const EmbeddingFeatureConfig& config() const { return config_; }

  // The endpoint (URL, model, batch size; never the API key), the dimension,
  // block weights and structural statistics.
  nlohmann::json to_json() const override;
  static EmbeddingFeaturizer from_json(const nlohmann::json& j, const FeaturizerOverrides& overrides);

 private:
  FeatureMatrix rows(std::span<const std::string> texts,
                     const std::vector<std::vector<float>>& vectors) const;

  EmbeddingFeatureConfig config_;
  std::size_t embedding_dimension_ = 0;
  StructuralScaler structural_;
};

}  // namespace optscale::predict
