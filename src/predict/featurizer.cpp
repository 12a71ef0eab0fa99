#include "optscale/predict/featurizer.hpp"

#include "optscale/predict/embedding_features.hpp"
#include "optscale/predict/text_features.hpp"
#include "optscale/util/error.hpp"

namespace optscale::predict {

std::unique_ptr<Featurizer> featurizer_from_json(const nlohmann::json& j,
                                                 const FeaturizerOverrides& overrides) {
  require(j.is_object() && j.contains("kind") && j["kind"].is_string(), "features",
          "missing \"kind\"");
  const auto kind = j["kind"].get<std::string>();
  if (kind == "text") return std::make_unique<TextFeaturizer>(TextFeaturizer::from_json(j));
  if (kind == "embeddings") {
    return std::make_unique<EmbeddingFeaturizer>(EmbeddingFeaturizer::from_json(j, overrides));
  }
  throw Error("features: unknown kind '" + kind + "' (expected text or embeddings)");
}

}  // namespace optscale::predict
