// A problem's shape, measured from its text: length, words, LaTeX commands,
// numbers, question form, diagrams... Standardised on the training problems,
// the block is shared by the text and the embeddings models.
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace optscale::predict {

inline constexpr std::size_t kStructuralFeatureCount = 16;
using StructuralVector = std::array<double, kStructuralFeatureCount>;

// Raw measurements (most log1p of a count), before standardisation.
StructuralVector structural_features(std::string_view text);
// Names of the entries above, in order (written to the model file).
const std::array<const char*, kStructuralFeatureCount>& structural_feature_names();

// Standardises the measurements with training means and standard deviations
// and scales the block so that its typical norm is `weight`.
class StructuralScaler {
 public:
  void fit(std::span<const std::string> texts);
  bool fitted() const { return fitted_; }
  // Appends the block as (first_column + k, value) entries.
  void append(std::string_view text, double weight, std::uint32_t first_column,
              std::vector<std::uint32_t>& index, std::vector<float>& value) const;

  nlohmann::json to_json() const;
  static StructuralScaler from_json(const nlohmann::json& j, const std::string& where);

 private:
  bool fitted_ = false;
  StructuralVector mean_{};
  StructuralVector std_{};
};

}  // namespace optscale::predict
