#include "optscale/predict/text_features.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "optscale/util/error.hpp"

namespace optscale::predict {
namespace {

const std::vector<std::string> kTexts = {
    "What is $3 \\cdot 4$?",
    "Find the value of $x$ if $2x + 3 = 11$.",
    "How many positive divisors does 123456 have?",
    "Compute $\\frac{1}{2} + \\frac{1}{3}$.",
    "What is the sum of the roots of $x^2 - 5x + 6 = 0$?",
    "[asy]\ndraw((0,0)--(1,1));\n[/asy]\nFind the area of the triangle.",
};

TEST(WordTokens, SplitsWordsCommandsNumbersAndSymbols) {
  EXPECT_EQ(word_tokens("Find $\\frac{3}{4}$ of 12345, x."),
            (std::vector<std::string>{"find", "$", "\\frac", "{", "3", "}", "{", "4", "}", "$", "of",
                                      "5-digit-number", ",", "x", "."}));
  EXPECT_EQ(word_tokens("3.25 and 7."), (std::vector<std::string>{"3.25", "and", "7", "."}));
}

TEST(StructuralFeatures, MeasuresTheText) {
  const auto s = structural_features("[asy]\nx\n[/asy]\nIs $\\frac{1}{2} = 0.5$? Yes.");
  const auto& names = structural_feature_names();
  auto value = [&](const std::string& name) {
    for (std::size_t k = 0; k < names.size(); ++k) {
      if (names[k] == name) return s[k];
    }
    ADD_FAILURE() << "no feature " << name;
    return 0.0;
  };
  EXPECT_EQ(value("has_asy_diagram"), 1.0);
  EXPECT_NEAR(value("log_dollar_signs"), std::log1p(2.0), 1e-15);
  EXPECT_NEAR(value("log_latex_commands"), std::log1p(1.0), 1e-15);
  EXPECT_NEAR(value("log_numbers"), std::log1p(3.0), 1e-15);  // 1, 2, 0.5
  EXPECT_NEAR(value("log_question_marks"), std::log1p(1.0), 1e-15);
  EXPECT_EQ(value("ends_with_question"), 0.0);
  EXPECT_NEAR(value("log_line_breaks"), std::log1p(3.0), 1e-15);
  EXPECT_NEAR(value("log_max_brace_depth"), std::log1p(1.0), 1e-15);
}

TEST(TextFeaturizer, RowsAreSortedBlocksNormalisedStructuralAtTheEnd) {
  TextFeatureConfig config;
  config.hash_bits = 12;
  config.min_df = 1;
  config.structural_weight = 0.0;
  TextFeaturizer f(config);
  f.fit(kTexts);
  EXPECT_EQ(f.dimension(), 4096u + kStructuralFeatureCount);
  const SparseRow row = f.transform(kTexts[1]);
  ASSERT_FALSE(row.index.empty());
  double norm_sq = 0.0;
  for (std::size_t k = 0; k < row.index.size(); ++k) {
    if (k > 0) {
      EXPECT_GT(row.index[k], row.index[k - 1]);
    }
    EXPECT_LT(row.index[k], 4096u);  // no structural block at weight 0
    norm_sq += static_cast<double>(row.value[k]) * row.value[k];
  }
  // Two unit blocks: their sum has squared norm 2 up to the overlap of buckets.
  EXPECT_NEAR(norm_sq, 2.0, 0.2);

  config.structural_weight = 1.0;
  TextFeaturizer with_structure(config);
  with_structure.fit(kTexts);
  const SparseRow row2 = with_structure.transform(kTexts[1]);
  ASSERT_GE(row2.index.size(), kStructuralFeatureCount);
  EXPECT_EQ(row2.index.back(), 4096u + kStructuralFeatureCount - 1);
}

TEST(TextFeaturizer, MinDfDropsRareBucketsAndUnseenTextsStillWork) {
  TextFeatureConfig config;
  config.hash_bits = 16;
  config.min_df = 2;
  config.structural_weight = 0.0;
  TextFeaturizer f(config);
  f.fit(kTexts);
  // A text of characters never seen has no surviving bucket.
  const SparseRow row = f.transform("\xce\xb1\xce\xb2\xce\xb3");
  EXPECT_TRUE(row.index.empty());
  EXPECT_FALSE(f.transform("What is the value of $x$?").index.empty());
}

TEST(TextFeaturizer, HashingIsStable) {
  // Bucket choice is part of the model file format: a change in hashing
  // would silently break every saved model, so pin one row.
  TextFeatureConfig config;
  config.hash_bits = 10;
  config.word_ngram_max = 1;
  config.char_ngram_max = 0;
  config.min_df = 1;
  config.structural_weight = 0.0;
  TextFeaturizer f(config);
  f.fit(std::vector<std::string>{"find x"});
  const SparseRow row = f.transform("find x");
  // tokens "find", "x", and the positional "<first>find" and "<last-sentence>find".
  EXPECT_EQ(row.index, (std::vector<std::uint32_t>{89, 409, 738, 993}));
}

TEST(TextFeaturizer, JsonRoundTripGivesIdenticalRows) {
  TextFeatureConfig config;
  config.hash_bits = 14;
  TextFeaturizer f(config);
  f.fit(kTexts);
  const TextFeaturizer back = TextFeaturizer::from_json(f.to_json());
  for (const auto& text : kTexts) {
    const auto a = f.transform(text), b = back.transform(text);
    EXPECT_EQ(a.index, b.index);
    EXPECT_EQ(a.value, b.value);
  }
}

TEST(TextFeaturizer, RejectsBadConfigAndUnfittedUse) {
  TextFeatureConfig bad;
  bad.hash_bits = 30;
  EXPECT_THROW(TextFeaturizer{bad}, Error);
  bad = {};
  bad.char_ngram_min = 4;
  bad.char_ngram_max = 2;
  EXPECT_THROW(TextFeaturizer{bad}, Error);
  bad = {};
  bad.word_weight = -1.0;
  EXPECT_THROW(TextFeaturizer{bad}, Error);
  TextFeaturizer unfitted;
  EXPECT_THROW(unfitted.transform("x"), Error);
  EXPECT_THROW(unfitted.fit(std::vector<std::string>{}), Error);
  auto j = [] {
    TextFeaturizer f;
    f.fit(kTexts);
    return f.to_json();
  }();
  j["kept_buckets"] = j["kept_buckets"].get<std::size_t>() + 1;
  EXPECT_THROW(TextFeaturizer::from_json(j), Error);
}

// Pinned before the hashes moved to util/hash.hpp: saved models store bucket
// numbers, so the word and character n-gram buckets must not move.
TEST(TextFeatures, BucketsArePinned) {
  TextFeatureConfig config;
  config.hash_bits = 10;
  config.min_df = 1;
  config.char_ngram_max = 3;
  TextFeaturizer featurizer(config);
  const std::vector<std::string> texts{"Find x if x^2 = 4", "What is \\frac{1}{2}?"};
  featurizer.fit(texts);
  const std::vector<std::uint32_t> expected{68, 74, 87, 89, 132, 245, 303, 357, 366, 381, 409, 411,
                                            471, 509, 557, 707, 738, 993};
  const SparseRow row = featurizer.transform("Find x");
  ASSERT_GE(row.index.size(), expected.size());
  EXPECT_EQ(std::vector<std::uint32_t>(row.index.begin(), row.index.begin() + static_cast<long>(expected.size())),
            expected);
}

}  // namespace
}  // namespace optscale::predict
