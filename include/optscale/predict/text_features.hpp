// The built-in model's features, computed from the problem text alone:
// hashed word n-grams and character n-grams, each block tf-idf weighted and
// L2-normalised, followed by the standardised structural block.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "optscale/predict/featurizer.hpp"
#include "optscale/predict/structural_features.hpp"

namespace optscale::predict {

struct TextFeatureConfig {
  int hash_bits = 17;        // n-gram buckets: 2^hash_bits, shared by both blocks
  int word_ngram_max = 2;    // word n-grams 1..word_ngram_max; 0 turns the block off
  int char_ngram_min = 2;
  int char_ngram_max = 5;    // character n-grams min..max; 0 turns the block off
  int min_df = 2;            // buckets seen in fewer training problems are dropped
  bool sublinear_tf = true;  // 1 + log(tf) instead of tf
  double word_weight = 1.0;  // scale of each L2-normalised block
  double char_weight = 1.0;
  double structural_weight = 1.0;  // scale of the structural block (norm ~1 at 1)

  // Throws optscale::Error naming the field when a value is out of range.
  void validate() const;
  nlohmann::json to_json() const;
  static TextFeatureConfig from_json(const nlohmann::json& j);
};

// Word tokens as the word n-grams see them: lower-case words, LaTeX commands
// (\frac), numbers (longer than 4 characters as "<k>-digit-number"), single symbols.
std::vector<std::string> word_tokens(std::string_view text);

class TextFeaturizer final : public Featurizer {
 public:
  explicit TextFeaturizer(TextFeatureConfig config = {});

  std::string kind() const override { return "text"; }
  // Learns the inverse document frequencies and the structural statistics.
  void fit(std::span<const std::string> texts);
  FeatureMatrix fit_transform(std::span<const std::string> texts) override;
  bool fitted() const { return !idf_.empty(); }

  // 2^hash_bits n-gram columns followed by the structural columns.
  std::size_t dimension() const override;
  SparseRow transform(std::string_view text) const;
  FeatureMatrix transform_all(std::span<const std::string> texts) const override;

  const TextFeatureConfig& config() const { return config_; }

  // Config, kept buckets with their idf (base64 binary) and the structural scaler.
  nlohmann::json to_json() const override;
  static TextFeaturizer from_json(const nlohmann::json& j);

 private:
  // (bucket, count) runs of one block, sorted by bucket.
  using Counts = std::vector<std::pair<std::uint32_t, float>>;
  Counts word_counts(std::string_view text) const;
  Counts char_counts(std::string_view text) const;
  void add_block(const Counts& counts, double weight,
                 std::vector<std::pair<std::uint32_t, float>>& out) const;

  TextFeatureConfig config_;
  std::vector<float> idf_;  // per bucket; 0 = dropped (min_df)
  StructuralScaler structural_;
};

}  // namespace optscale::predict
