// Predictor labels made from a pool (pool/pool_labels.hpp).
#include "optscale/pool/pool_labels.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "optscale/stats/estimators.hpp"
#include "optscale/util/error.hpp"

namespace optscale::pool {
namespace {

Pool small_pool() {
  Pool p;
  auto add = [&](std::string id, std::string text, std::vector<double> scores, bool synthetic) {
    Problem problem;
    problem.id = std::move(id);
    problem.problem = std::move(text);
    problem.synthetic = synthetic;
    for (double s : scores) {
      Sample sample;
      sample.score = s;
      problem.samples.push_back(sample);
    }
    p.problems.push_back(std::move(problem));
  };
  add("q1", "What is 2+2?", {0.9, 0.95, 0.7, 0.99, 0.85}, false);
  add("q2", "", {0.5, 0.6}, false);
  add("sim-0", "Simulated problem 0", {0.4, 0.8}, true);
  add("q3", "Find x.", {0.2, 0.4, 0.9}, false);
  return p;
}

TEST(LabelsFromPool, MomentsAreMeanAndPopulationStd) {
  PoolLabelSkips skips;
  const auto labels = labels_from_pool(small_pool(), LabelMethod::moments, &skips);
  ASSERT_EQ(labels.size(), 2u);
  EXPECT_EQ(skips.without_text, 1u);
  EXPECT_EQ(skips.synthetic, 1u);
  EXPECT_EQ(labels[0].id, "q1");
  EXPECT_NEAR(labels[0].mu, 0.878, 1e-15);
  const double var = (0.022 * 0.022 + 0.072 * 0.072 + 0.178 * 0.178 + 0.112 * 0.112 + 0.028 * 0.028) / 5.0;
  EXPECT_NEAR(labels[0].sigma, std::sqrt(var), 1e-15);
  EXPECT_NEAR(labels[1].mu, 0.5, 1e-15);
}

TEST(LabelsFromPool, MleIsTheTruncatedNormalFit) {
  const auto pool = small_pool();
  const auto labels = labels_from_pool(pool, LabelMethod::mle);
  ASSERT_EQ(labels.size(), 2u);
  std::vector<double> scores;
  for (const auto& s : pool.problems[3].samples) scores.push_back(s.score);
  const auto fit = stats::fit_truncated_normal(scores);
  EXPECT_EQ(labels[1].mu, fit.mu);
  EXPECT_EQ(labels[1].sigma, fit.sigma);
  EXPECT_EQ(parse_label_method("mle"), LabelMethod::mle);
  EXPECT_THROW(parse_label_method("median"), Error);
}


}  // namespace
}  // namespace optscale::pool
