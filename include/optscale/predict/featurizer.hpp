// What turns problem texts into the feature rows the regression head reads.
// Two kinds: "text" (n-grams of the text itself, built in) and "embeddings"
// (vectors from a language-model embeddings server).
#pragma once
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "optscale/predict/feature_matrix.hpp"

namespace optscale::predict {

class Featurizer {
 public:
  virtual ~Featurizer() = default;
  virtual std::string kind() const = 0;
  // Learns label-free statistics (idf, standardisation) from the training
  // texts and returns their rows, computing each text's features once.
  virtual FeatureMatrix fit_transform(std::span<const std::string> texts) = 0;
  virtual FeatureMatrix transform_all(std::span<const std::string> texts) const = 0;
  virtual std::size_t dimension() const = 0;
  // Everything needed to rebuild it, with "kind".
  virtual nlohmann::json to_json() const = 0;
};

// Overrides applied when a featurizer is read back from a model file.
struct FeaturizerOverrides {
  std::string embed_url;      // replaces the recorded embeddings URL when non-empty
  std::string embed_api_key;  // bearer token for the embeddings server
};

// Rebuilds a featurizer from its to_json(); throws optscale::Error naming
// the field for a malformed or unknown one.
std::unique_ptr<Featurizer> featurizer_from_json(const nlohmann::json& j,
                                                 const FeaturizerOverrides& overrides = {});

}  // namespace optscale::predict
