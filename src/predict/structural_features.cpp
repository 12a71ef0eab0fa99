#include "optscale/predict/structural_features.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "optscale/util/error.hpp"

namespace optscale::predict {
namespace {

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

const std::array<const char*, kStructuralFeatureCount>& structural_feature_names() {
  static const std::array<const char*, kStructuralFeatureCount> names = {
      "log_chars",          "log_words",          "log_dollar_signs", "log_latex_commands",
      "log_numbers",        "log_max_digits",     "has_asy_diagram",  "log_question_marks",
      "ends_with_question", "log_line_breaks",    "digit_fraction",   "symbol_fraction",
      "log_distinct_numbers", "log_sentences",    "log_max_brace_depth", "log_equals_signs"};
  return names;
}

StructuralVector structural_features(std::string_view text) {
  double chars = static_cast<double>(text.size());
  double words = 0, dollars = 0, commands = 0, numbers = 0, max_digits = 0, questions = 0;
  double line_breaks = 0, digits = 0, symbols = 0, sentences = 0, equals = 0;
  int depth = 0, max_depth = 0;
  std::set<std::string> distinct_numbers;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (is_alpha(c)) {
      while (i < text.size() && is_alpha(text[i])) ++i;
      ++words;
      continue;
    }
    if (is_digit(c)) {
      std::size_t start = i;
      while (i < text.size() && (is_digit(text[i]) || (text[i] == '.' && i + 1 < text.size() &&
                                                        is_digit(text[i + 1])))) {
        ++i;
      }
      ++numbers;
      digits += static_cast<double>(i - start);
      max_digits = std::max(max_digits, static_cast<double>(i - start));
      distinct_numbers.emplace(text.substr(start, i - start));
      continue;
    }
    if (c == '\\' && i + 1 < text.size() && is_alpha(text[i + 1])) ++commands;
    if (c == '$') ++dollars;
    if (c == '?') ++questions;
    if (c == '\n') ++line_breaks;
    if (c == '=') ++equals;
    if ((c == '.' || c == '?' || c == '!') && (i + 1 == text.size() || is_space(text[i + 1]) ||
                                               text[i + 1] == '$')) {
      ++sentences;
    }
    if (c == '{') max_depth = std::max(max_depth, ++depth);
    if (c == '}' && depth > 0) --depth;
    if (!is_space(c)) ++symbols;
    ++i;
  }
  std::size_t last = text.find_last_not_of(" \n\t\r");
  const bool ends_with_question = last != std::string_view::npos && text[last] == '?';
  const bool has_asy = text.find("[asy]") != std::string_view::npos;
  const double denom = std::max(chars, 1.0);
  return {std::log1p(chars),
          std::log1p(words),
          std::log1p(dollars),
          std::log1p(commands),
          std::log1p(numbers),
          std::log1p(max_digits),
          has_asy ? 1.0 : 0.0,
          std::log1p(questions),
          ends_with_question ? 1.0 : 0.0,
          std::log1p(line_breaks),
          digits / denom,
          symbols / denom,
          std::log1p(static_cast<double>(distinct_numbers.size())),
          std::log1p(sentences),
          std::log1p(static_cast<double>(max_depth)),
          std::log1p(equals)};
}

void StructuralScaler::fit(std::span<const std::string> texts) {
  require(!texts.empty(), "StructuralScaler::fit", "no training texts");
  StructuralVector sum{}, sum_sq{};
  for (const auto& text : texts) {
    const auto s = structural_features(text);
    for (std::size_t k = 0; k < kStructuralFeatureCount; ++k) {
      sum[k] += s[k];
      sum_sq[k] += s[k] * s[k];
    }
  }
  const double n = static_cast<double>(texts.size());
  for (std::size_t k = 0; k < kStructuralFeatureCount; ++k) {
    mean_[k] = sum[k] / n;
    const double var = std::max(sum_sq[k] / n - mean_[k] * mean_[k], 0.0);
    // A constant feature carries nothing; std 1 keeps it at zero, finite.
    std_[k] = var > 1e-12 ? std::sqrt(var) : 1.0;
  }
  fitted_ = true;
}

void StructuralScaler::append(std::string_view text, double weight, std::uint32_t first_column,
                              std::vector<std::uint32_t>& index, std::vector<float>& value) const {
  require(fitted_, "StructuralScaler::append", "the scaler has not been fitted");
  if (weight == 0.0) return;
  const auto s = structural_features(text);
  // Each standardised entry has variance 1, so the block's norm is ~sqrt(16):
  // dividing by it puts the block on the scale of the L2-normalised ones.
  const double scale = weight / std::sqrt(static_cast<double>(kStructuralFeatureCount));
  for (std::size_t k = 0; k < kStructuralFeatureCount; ++k) {
    index.push_back(first_column + static_cast<std::uint32_t>(k));
    value.push_back(static_cast<float>(scale * (s[k] - mean_[k]) / std_[k]));
  }
}

nlohmann::json StructuralScaler::to_json() const {
  require(fitted_, "StructuralScaler::to_json", "the scaler has not been fitted");
  nlohmann::json names = nlohmann::json::array();
  for (const char* name : structural_feature_names()) names.push_back(name);
  return {{"names", names}, {"mean", mean_}, {"std", std_}};
}

StructuralScaler StructuralScaler::from_json(const nlohmann::json& j, const std::string& where) {
  StructuralScaler s;
  try {
    const auto names = j.at("names").get<std::vector<std::string>>();
    const auto mean = j.at("mean").get<std::vector<double>>();
    const auto std = j.at("std").get<std::vector<double>>();
    require(names.size() == kStructuralFeatureCount && mean.size() == kStructuralFeatureCount &&
                std.size() == kStructuralFeatureCount,
            where, [&] { return "expected " + std::to_string(kStructuralFeatureCount) + " structural features"; });
    for (std::size_t k = 0; k < kStructuralFeatureCount; ++k) {
      require(names[k] == structural_feature_names()[k], where,
              [&] { return "structural feature " + std::to_string(k) + " is '" + names[k] + "', expected '" +
                  structural_feature_names()[k] + "'"; });
      require(std::isfinite(mean[k]) && std::isfinite(std[k]) && std[k] > 0.0, where,
              "structural statistics must be finite with std > 0");
      s.mean_[k] = mean[k];
      s.std_[k] = std[k];
    }
  } catch (const nlohmann::json::exception& e) {
    throw Error(where + ": " + e.what());
  }
  s.fitted_ = true;
  return s;
}

}  // namespace optscale::predict
