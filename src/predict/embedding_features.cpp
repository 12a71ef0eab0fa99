#include "optscale/predict/embedding_features.hpp"

#include <cmath>

#include "optscale/util/error.hpp"
#include "optscale/util/json_fields.hpp"

namespace optscale::predict {

EmbeddingFeaturizer::EmbeddingFeaturizer(EmbeddingFeatureConfig config)
    : config_(std::move(config)) {
  config_.endpoint.validate();
  require(std::isfinite(config_.embedding_weight) && config_.embedding_weight > 0.0 &&
              std::isfinite(config_.structural_weight) && config_.structural_weight >= 0.0,
          "embedding features", "block weights must be finite (embedding > 0, structural >= 0)");
}

FeatureMatrix EmbeddingFeaturizer::fit_transform(std::span<const std::string> texts) {
  require(!texts.empty(), "EmbeddingFeaturizer::fit_transform", "no training texts");
  const auto vectors = EmbeddingClient(config_.endpoint).embed(texts);
  embedding_dimension_ = vectors.front().size();
  structural_.fit(texts);
  return rows(texts, vectors);
}

FeatureMatrix EmbeddingFeaturizer::transform_all(std::span<const std::string> texts) const {
  require(embedding_dimension_ > 0, "EmbeddingFeaturizer", "the featurizer has not been fitted");
  if (texts.empty()) return FeatureMatrix(dimension());
  return rows(texts, EmbeddingClient(config_.endpoint).embed(texts));
}

FeatureMatrix EmbeddingFeaturizer::rows(std::span<const std::string> texts,
                                        const std::vector<std::vector<float>>& vectors) const {
  const std::string where = "embeddings from " + config_.endpoint.url();
  require(vectors.size() == texts.size(), where, "one embedding per problem expected");
  FeatureMatrix matrix(dimension());
  SparseRow row;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const auto& v = vectors[i];
    require(v.size() == embedding_dimension_, where,
            [&] { return "embedding dimension " + std::to_string(v.size()) + ", the model was trained on " +
                std::to_string(embedding_dimension_) + " (a different embedding model?)"; });
    double norm_sq = 0.0;
    for (float x : v) norm_sq += static_cast<double>(x) * x;
    require(norm_sq > 0.0, where, [&] { return "zero embedding for problem " + std::to_string(i); });
    const double scale = config_.embedding_weight / std::sqrt(norm_sq);
    row.index.clear();
    row.value.clear();
    for (std::size_t k = 0; k < v.size(); ++k) {
      row.index.push_back(static_cast<std::uint32_t>(k));
      row.value.push_back(static_cast<float>(v[k] * scale));
    }
    structural_.append(texts[i], config_.structural_weight,
                       static_cast<std::uint32_t>(embedding_dimension_), row.index, row.value);
    matrix.append(row);
  }
  return matrix;
}

nlohmann::json EmbeddingFeaturizer::to_json() const {
  require(embedding_dimension_ > 0, "EmbeddingFeaturizer::to_json", "the featurizer has not been fitted");
  return {{"kind", kind()},
          {"endpoint",
           {{"url", config_.endpoint.base_url},
            {"model", config_.endpoint.model},
            {"batch_size", config_.endpoint.batch_size},
            {"timeout_s", config_.endpoint.timeout_s}}},
          {"embedding_dimension", embedding_dimension_},
          {"embedding_weight", config_.embedding_weight},
          {"structural_weight", config_.structural_weight},
          {"structural", structural_.to_json()}};
}

EmbeddingFeaturizer EmbeddingFeaturizer::from_json(const nlohmann::json& j,
                                                   const FeaturizerOverrides& overrides) {
  const std::string where = "embedding features";
  try {
    EmbeddingFeatureConfig config;
    const auto& endpoint = j.at("endpoint");
    const std::string at = where + ".endpoint.";
    auto field = [&](const nlohmann::json& object, const std::string& prefix, const char* key) -> const nlohmann::json& {
      return util::json_field(object, key, prefix + key);
    };
    config.endpoint.base_url = overrides.embed_url.empty() ? util::json_string(field(endpoint, at, "url"), at + "url")
                                                          : overrides.embed_url;
    config.endpoint.model = util::json_string(field(endpoint, at, "model"), at + "model");
    config.endpoint.batch_size =
        static_cast<int>(util::json_integer(field(endpoint, at, "batch_size"), at + "batch_size", 1, 1 << 20));
    config.endpoint.timeout_s = util::json_number(field(endpoint, at, "timeout_s"), at + "timeout_s");
    config.endpoint.api_key = overrides.embed_api_key;
    config.embedding_weight = util::json_number(field(j, where + ".", "embedding_weight"), where + ".embedding_weight");
    config.structural_weight = util::json_number(field(j, where + ".", "structural_weight"), where + ".structural_weight");
    EmbeddingFeaturizer f(std::move(config));
    f.embedding_dimension_ = static_cast<std::size_t>(util::json_integer(
        field(j, where + ".", "embedding_dimension"), where + ".embedding_dimension", 0, 1 << 20));
    require(f.embedding_dimension_ > 0, where, "embedding_dimension must be > 0");
    f.structural_ = StructuralScaler::from_json(j.at("structural"), where + ".structural");
    return f;
  } catch (const nlohmann::json::exception& e) {
    throw Error(where + ": " + e.what());
  }
}

}  // namespace optscale::predict
