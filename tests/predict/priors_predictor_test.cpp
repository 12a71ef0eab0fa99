#include "optscale/predict/priors_predictor.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "optscale/predict/evaluation.hpp"
#include "optscale/predict/labels.hpp"
#include "optscale/util/error.hpp"
#include "test_support.hpp"

namespace optscale::predict {
namespace {

std::filesystem::path fixture(const std::string& name) {
  return optscale::testing::test_data_dir() / "predictor" / name;
}

TEST(PriorsPredictor, ListByIndexKeepsValuesAsWritten) {
  const auto p = PriorsPredictor::from_file(fixture("priors_list.json"));
  EXPECT_EQ(p.size(), 3u);
  const Prediction second = p.predict({"", "", 1});
  EXPECT_EQ(second.mu, 0.45);
  EXPECT_EQ(second.sigma, -0.02);  // the paper's negative sigmas are kept for parity
  EXPECT_EQ(second.mu_std, kParityPriorStd);
  EXPECT_THROW(p.predict({"text", "", 3}), Error);
  EXPECT_THROW(p.predict({"text"}), Error);  // no index
}

TEST(PriorsPredictor, ListJoinedByTextToItsProblems) {
  const auto p = PriorsPredictor::from_file(fixture("priors_list.json"), fixture("problems.json"), 0.05);
  const Prediction third = p.predict({"Compute $2^{10}$."});
  EXPECT_EQ(third.mu, 0.7);
  EXPECT_EQ(third.sigma_std, 0.05);
  EXPECT_THROW(p.predict({"A problem it does not have"}), Error);
}

TEST(PriorsPredictor, MapById) {
  const auto p = PriorsPredictor::from_file(fixture("priors_map.json"));
  EXPECT_EQ(p.predict({"", "q2"}).sigma, 0.2);
  EXPECT_EQ(p.predict({"ignored", "test/algebra/1.json"}).mu, 0.61);
  try {
    p.predict({"", "q9"});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no prior for problem id 'q9'"), std::string::npos);
  }
}

TEST(PriorsPredictor, RejectsMalformedFiles) {
  const auto dir = optscale::testing::make_temp_dir("priors");
  std::ofstream(dir / "short.json") << "[[0.6, 0.1], [0.5]]";
  std::ofstream(dir / "scalar.json") << "0.5";
  std::ofstream(dir / "empty.json") << "[]";
  EXPECT_THROW(PriorsPredictor::from_file(dir / "short.json"), Error);
  EXPECT_THROW(PriorsPredictor::from_file(dir / "scalar.json"), Error);
  EXPECT_THROW(PriorsPredictor::from_file(dir / "empty.json"), Error);
  std::ofstream(dir / "two_problems.json") << R"(["a", "b"])";
  EXPECT_THROW(PriorsPredictor::from_file(fixture("priors_list.json"), dir / "two_problems.json"), Error);
  EXPECT_THROW(PriorsPredictor::from_file(fixture("priors_map.json"), fixture("problems.json")), Error);
  std::filesystem::remove_all(dir);
}

TEST(EvaluatePredictor, PriorsAgainstLabelsWithTheLabelMeanBaseline) {
  const auto p = PriorsPredictor::from_file(fixture("priors_list.json"), fixture("problems.json"));
  const auto labels = read_labels(fixture("mu_sigma.json"), fixture("problems.json"));
  const auto e = evaluate_predictor(p, labels);
  // mu errors 0.38, 0.45, 0.15; sigma errors 0.10, 0.07, 0.00.
  EXPECT_NEAR(e.mu.mae, (0.38 + 0.45 + 0.15) / 3.0, 1e-12);
  EXPECT_NEAR(e.sigma.mae, (0.10 + 0.07 + 0.0) / 3.0, 1e-12);
  EXPECT_NEAR(e.mu.spearman, -0.5, 1e-12);  // ranks (2,1,3) against (3,2,1)
  EXPECT_EQ(e.baseline_source, "mean of these labels");
  EXPECT_NEAR(e.baseline_mu_value, (0.98 + 0.9 + 0.85) / 3.0, 1e-15);
}

}  // namespace
}  // namespace optscale::predict
