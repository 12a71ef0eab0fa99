// The shipped default model (models/default-predictor.json): it loads, it
// predicts sensibly, and its recorded figures meet the bar.
#include <gtest/gtest.h>

#include <filesystem>

#include "optscale/predict/model_predictor.hpp"

namespace optscale::predict {
namespace {

const std::filesystem::path kDefault = std::filesystem::path(OPTSCALE_SOURCE_DIR) / "models" / "default-predictor.json";

TEST(DefaultModel, IsSmallAndLoads) {
  ASSERT_TRUE(std::filesystem::is_regular_file(kDefault));
  EXPECT_LT(std::filesystem::file_size(kDefault), 4u << 20);
  const auto predictor = ModelPredictor::load(kDefault);
  const auto& model = predictor.model();
  EXPECT_EQ(model.features->kind(), "text");
  EXPECT_EQ(model.training["problems"], 4501);
}

TEST(DefaultModel, PredictsPlausibleLawsAndRanksHarderProblemsLower) {
  const auto predictor = ModelPredictor::load(kDefault);
  const Prediction easy = predictor.predict({"What is $2 + 3$?"});
  const Prediction hard = predictor.predict(
      {"Let $S$ be the set of all ordered triples $(a,b,c)$ of positive integers such that "
       "$a^2 + b^2 + c^2 = 2abc + 1$ and $\\gcd(a,b,c)=1$. Find the number of elements of $S$ "
       "with $a + b + c < 1000$, and prove that for each such triple the polynomial "
       "$x^3 - ax^2 + bx - c$ has exactly one real root."});
  for (const Prediction& p : {easy, hard}) {
    EXPECT_GT(p.mu, 0.5);
    EXPECT_LT(p.mu, 1.02);
    EXPECT_GT(p.sigma, 0.0);
    EXPECT_LT(p.sigma, 0.5);
    EXPECT_GT(p.mu_std, 0.0);
    EXPECT_GT(p.sigma_std, 0.0);
  }
  EXPECT_GT(easy.mu, hard.mu);
  EXPECT_LT(easy.sigma, hard.sigma);
  EXPECT_LT(easy.mu_std, hard.mu_std);  // hard problems are predicted less surely
}

TEST(DefaultModel, RecordedValidationMeetsTheBar) {
  const auto predictor = ModelPredictor::load(kDefault);
  const auto& v = predictor.model().validation;
  ASSERT_TRUE(v.is_object()) << "the default model was trained without --validation-labels";
  EXPECT_EQ(v["n"], 500);
  EXPECT_GE(v["mu"]["spearman"].get<double>(), 0.50);
  EXPECT_LE(v["mu"]["mae"].get<double>(), 0.033);
  EXPECT_GE(v["sigma"]["spearman"].get<double>(), 0.45);
  EXPECT_LE(v["sigma"]["mae"].get<double>(), 0.0235);
  EXPECT_LT(v["mu"]["mae"].get<double>(), v["baseline"]["mu"]["mae"].get<double>());
  EXPECT_LT(v["sigma"]["mae"].get<double>(), v["baseline"]["sigma"]["mae"].get<double>());
}

}  // namespace
}  // namespace optscale::predict
