#include "optscale/predict/text_features.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "optscale/predict/binary_codec.hpp"
#include "optscale/util/error.hpp"
#include "optscale/util/json_fields.hpp"
#include "optscale/util/hash.hpp"

namespace optscale::predict {
namespace {

// FNV-1a over bytes, finished with the splitmix64 mixer: stable across
// platforms and compilers (std::hash is not), so model files travel.
constexpr std::uint64_t kFnvOffset = util::kFnv1aOffset;
constexpr std::uint64_t kWordSeed = util::kGoldenGamma;
constexpr std::uint64_t kCharSeed = 0xc2b2ae3d27d4eb4full;
constexpr unsigned char kTokenSeparator = 0x1f;

std::uint64_t fnv_step(std::uint64_t h, unsigned char byte) { return util::fnv1a64_step(h, byte); }

std::uint32_t bucket_of(std::uint64_t h, int bits) { return static_cast<std::uint32_t>(util::mix64(h) >> (64 - bits)); }

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Sorted buckets -> (bucket, count) runs.
std::vector<std::pair<std::uint32_t, float>> count_runs(std::vector<std::uint32_t>& buckets) {
  std::sort(buckets.begin(), buckets.end());
  std::vector<std::pair<std::uint32_t, float>> runs;
  for (std::size_t i = 0; i < buckets.size();) {
    std::size_t j = i;
    while (j < buckets.size() && buckets[j] == buckets[i]) ++j;
    runs.emplace_back(buckets[i], static_cast<float>(j - i));
    i = j;
  }
  return runs;
}

}  // namespace

void TextFeatureConfig::validate() const {
  const std::string where = "text feature config";
  require(hash_bits >= 4 && hash_bits <= 24, where, "hash_bits must be in [4, 24]");
  require(word_ngram_max >= 0 && word_ngram_max <= 5, where, "word_ngram_max must be in [0, 5]");
  require(char_ngram_max == 0 || (char_ngram_min >= 1 && char_ngram_min <= char_ngram_max &&
                                  char_ngram_max <= 10),
          where, "character n-grams need 1 <= char_ngram_min <= char_ngram_max <= 10 (or max 0)");
  require(min_df >= 1, where, "min_df must be at least 1");
  for (double w : {word_weight, char_weight, structural_weight}) {
    require(std::isfinite(w) && w >= 0.0, where, "block weights must be finite and >= 0");
  }
}

nlohmann::json TextFeatureConfig::to_json() const {
  return {{"hash_bits", hash_bits},         {"word_ngram_max", word_ngram_max},
          {"char_ngram_min", char_ngram_min}, {"char_ngram_max", char_ngram_max},
          {"min_df", min_df},               {"sublinear_tf", sublinear_tf},
          {"word_weight", word_weight},     {"char_weight", char_weight},
          {"structural_weight", structural_weight}};
}

TextFeatureConfig TextFeatureConfig::from_json(const nlohmann::json& j) {
  TextFeatureConfig c;
  const std::string where = "text feature config.";
  // Ranges wide enough for validate() to give its own message; narrow enough
  // that the value fits an int.
  auto integer = [&](const char* key) {
    return static_cast<int>(util::json_integer(util::json_field(j, key, where + key), where + key, -1000000, 1000000));
  };
  auto number = [&](const char* key) { return util::json_number(util::json_field(j, key, where + key), where + key); };
  c.hash_bits = integer("hash_bits");
  c.word_ngram_max = integer("word_ngram_max");
  c.char_ngram_min = integer("char_ngram_min");
  c.char_ngram_max = integer("char_ngram_max");
  c.min_df = integer("min_df");
  c.sublinear_tf = util::json_bool(util::json_field(j, "sublinear_tf", where + "sublinear_tf"), where + "sublinear_tf");
  c.word_weight = number("word_weight");
  c.char_weight = number("char_weight");
  c.structural_weight = number("structural_weight");
  c.validate();
  return c;
}

std::vector<std::string> word_tokens(std::string_view text) {
  std::vector<std::string> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (is_space(c)) {
      ++i;
    } else if (is_alpha(c)) {
      std::string word;
      while (i < text.size() && is_alpha(text[i])) word += lower(text[i++]);
      tokens.push_back(std::move(word));
    } else if (c == '\\' && i + 1 < text.size() && is_alpha(text[i + 1])) {
      std::string command = "\\";
      ++i;
      while (i < text.size() && is_alpha(text[i])) command += text[i++];
      tokens.push_back(std::move(command));
    } else if (is_digit(c)) {
      std::string number;
      while (i < text.size() && is_digit(text[i])) number += text[i++];
      if (i + 1 < text.size() && text[i] == '.' && is_digit(text[i + 1])) {
        number += text[i++];
        while (i < text.size() && is_digit(text[i])) number += text[i++];
      }
      // Long numbers are rare as strings; their size is what generalises.
      if (number.size() > 4) number = std::to_string(number.size()).append("-digit-number");
      tokens.push_back(std::move(number));
    } else {
      tokens.emplace_back(1, c);
      ++i;
    }
  }
  return tokens;
}

TextFeaturizer::TextFeaturizer(TextFeatureConfig config) : config_(config) { config_.validate(); }

std::size_t TextFeaturizer::dimension() const {
  return (std::size_t{1} << config_.hash_bits) + kStructuralFeatureCount;
}

TextFeaturizer::Counts TextFeaturizer::word_counts(std::string_view text) const {
  std::vector<std::uint32_t> buckets;
  if (config_.word_ngram_max == 0) return {};
  const auto tokens = word_tokens(text);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    std::uint64_t h = kFnvOffset ^ kWordSeed;
    for (int n = 1; n <= config_.word_ngram_max && i + n <= tokens.size(); ++n) {
      if (n > 1) h = fnv_step(h, kTokenSeparator);
      for (char c : tokens[i + n - 1]) h = fnv_step(h, static_cast<unsigned char>(c));
      buckets.push_back(bucket_of(h, config_.hash_bits));
    }
  }
  // Question form: the first word of the text and of its last sentence, as
  // positional tokens ("find", "what", "how", "compute", ...).
  auto positional = [&](std::string_view tag, std::size_t from) {
    for (std::size_t k = from; k < tokens.size(); ++k) {
      if (!tokens[k].empty() && is_alpha(tokens[k][0])) {
        std::uint64_t h = kFnvOffset ^ kWordSeed;
        for (char c : tag) h = fnv_step(h, static_cast<unsigned char>(c));
        for (char c : tokens[k]) h = fnv_step(h, static_cast<unsigned char>(c));
        buckets.push_back(bucket_of(h, config_.hash_bits));
        return;
      }
    }
  };
  positional("<first>", 0);
  std::size_t last_sentence = 0;
  for (std::size_t k = 0; k + 1 < tokens.size(); ++k) {
    if (tokens[k] == "." || tokens[k] == "?" || tokens[k] == "!") last_sentence = k + 1;
  }
  positional("<last-sentence>", last_sentence);
  return count_runs(buckets);
}

TextFeaturizer::Counts TextFeaturizer::char_counts(std::string_view text) const {
  if (config_.char_ngram_max == 0) return {};
  // Lower-cased, whitespace runs collapsed, padded so words have edges.
  std::string norm = " ";
  for (char c : text) {
    if (is_space(c)) {
      if (norm.back() != ' ') norm += ' ';
    } else {
      norm += lower(c);
    }
  }
  if (norm.back() != ' ') norm += ' ';
  std::vector<std::uint32_t> buckets;
  buckets.reserve(norm.size() * (config_.char_ngram_max - config_.char_ngram_min + 1));
  for (std::size_t i = 0; i < norm.size(); ++i) {
    std::uint64_t h = kFnvOffset ^ kCharSeed;
    for (int n = 1; n <= config_.char_ngram_max && i + n <= norm.size(); ++n) {
      h = fnv_step(h, static_cast<unsigned char>(norm[i + n - 1]));
      if (n >= config_.char_ngram_min) buckets.push_back(bucket_of(h, config_.hash_bits));
    }
  }
  return count_runs(buckets);
}

void TextFeaturizer::fit(std::span<const std::string> texts) {
  require(!texts.empty(), "TextFeaturizer::fit", "no training texts");
  const std::size_t buckets = std::size_t{1} << config_.hash_bits;
  std::vector<std::uint32_t> df(buckets, 0);
  std::vector<std::uint32_t> seen;
  for (const auto& text : texts) {
    seen.clear();
    for (auto& [b, c] : word_counts(text)) seen.push_back(b);
    for (auto& [b, c] : char_counts(text)) seen.push_back(b);
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    for (auto b : seen) ++df[b];
  }
  const double n = static_cast<double>(texts.size());
  idf_.assign(buckets, 0.0f);
  for (std::size_t b = 0; b < buckets; ++b) {
    if (df[b] >= static_cast<std::uint32_t>(config_.min_df)) {
      // Smoothed idf, as scikit-learn's: log((1 + n) / (1 + df)) + 1 > 0.
      idf_[b] = static_cast<float>(std::log((1.0 + n) / (1.0 + df[b])) + 1.0);
    }
  }
  structural_.fit(texts);
}

FeatureMatrix TextFeaturizer::fit_transform(std::span<const std::string> texts) {
  fit(texts);
  return transform_all(texts);
}

void TextFeaturizer::add_block(const Counts& counts, double weight,
                               std::vector<std::pair<std::uint32_t, float>>& out) const {
  if (weight == 0.0 || counts.empty()) return;
  const std::size_t first = out.size();
  double norm_sq = 0.0;
  for (const auto& [b, c] : counts) {
    if (idf_[b] == 0.0f) continue;
    const double tf = config_.sublinear_tf ? 1.0 + std::log(static_cast<double>(c)) : c;
    const double v = tf * idf_[b];
    out.emplace_back(b, static_cast<float>(v));
    norm_sq += v * v;
  }
  if (norm_sq <= 0.0) return;
  const double scale = weight / std::sqrt(norm_sq);
  for (std::size_t k = first; k < out.size(); ++k) {
    out[k].second = static_cast<float>(out[k].second * scale);
  }
}

SparseRow TextFeaturizer::transform(std::string_view text) const {
  require(fitted(), "TextFeaturizer::transform", "the featurizer has not been fitted");
  std::vector<std::pair<std::uint32_t, float>> entries;
  add_block(word_counts(text), config_.word_weight, entries);
  add_block(char_counts(text), config_.char_weight, entries);
  std::sort(entries.begin(), entries.end());
  SparseRow row;
  row.index.reserve(entries.size() + kStructuralFeatureCount);
  row.value.reserve(entries.size() + kStructuralFeatureCount);
  for (const auto& [b, v] : entries) {
    if (!row.index.empty() && row.index.back() == b) {
      row.value.back() += v;  // the two blocks hashed into one bucket
    } else {
      row.index.push_back(b);
      row.value.push_back(v);
    }
  }
  structural_.append(text, config_.structural_weight,
                     static_cast<std::uint32_t>(std::size_t{1} << config_.hash_bits), row.index,
                     row.value);
  return row;
}

FeatureMatrix TextFeaturizer::transform_all(std::span<const std::string> texts) const {
  FeatureMatrix matrix(dimension());
  for (const auto& text : texts) matrix.append(transform(text));
  return matrix;
}

nlohmann::json TextFeaturizer::to_json() const {
  require(fitted(), "TextFeaturizer::to_json", "the featurizer has not been fitted");
  // Only the kept buckets (df >= min_df) are stored: about half of them.
  std::vector<std::uint32_t> kept;
  std::vector<float> kept_idf;
  for (std::size_t b = 0; b < idf_.size(); ++b) {
    if (idf_[b] != 0.0f) {
      kept.push_back(static_cast<std::uint32_t>(b));
      kept_idf.push_back(idf_[b]);
    }
  }
  return {{"kind", kind()},
          {"config", config_.to_json()},
          {"kept_buckets", kept.size()},
          {"kept_buckets_uint32_base64", encode_uint32s(kept)},
          {"idf_float32_base64", encode_floats(kept_idf)},
          {"structural", structural_.to_json()}};
}

TextFeaturizer TextFeaturizer::from_json(const nlohmann::json& j) {
  const std::string where = "text features";
  try {
    TextFeaturizer f(TextFeatureConfig::from_json(j.at("config")));
    const std::size_t buckets = std::size_t{1} << f.config_.hash_bits;
    const auto kept_count = j.at("kept_buckets").get<std::size_t>();
    require(kept_count <= buckets, where, "more kept buckets than buckets");
    const auto kept = decode_uint32s(j.at("kept_buckets_uint32_base64").get<std::string>(),
                                     kept_count, where + ".kept_buckets_uint32_base64");
    const auto kept_idf = decode_floats(j.at("idf_float32_base64").get<std::string>(), kept_count,
                                        where + ".idf_float32_base64");
    f.idf_.assign(buckets, 0.0f);
    for (std::size_t k = 0; k < kept_count; ++k) {
      if (kept[k] >= buckets || !(kept_idf[k] > 0.0f)) {
        throw Error(where + ": kept bucket " + std::to_string(k) + " out of range or with idf <= 0");
      }
      f.idf_[kept[k]] = kept_idf[k];
    }
    f.structural_ = StructuralScaler::from_json(j.at("structural"), where + ".structural");
    return f;
  } catch (const nlohmann::json::exception& e) {
    throw Error(where + ": " + e.what());
  }
}

}  // namespace optscale::predict
