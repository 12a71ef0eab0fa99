// The statistics behind the calibration report and `pool stats`: quantiles,
// Spearman correlation, the reference Best-of-N pick and its accuracy curve.
#include <gtest/gtest.h>

#include <cmath>

#include "optscale/pool/pool_stats.hpp"
#include "optscale/pool/simulator_calibration.hpp"

namespace optscale::pool {
namespace {

TEST(Quantile, InterpolatesLinearly) {
  EXPECT_DOUBLE_EQ(quantile({3, 1, 2, 4}, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(quantile({3, 1, 2, 4}, 1.0), 4.0);
  EXPECT_DOUBLE_EQ(quantile({3, 1, 2, 4}, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(quantile({10, 20}, 0.25), 12.5);
  EXPECT_TRUE(std::isnan(quantile({}, 0.5)));
}

TEST(Spearman, RanksWithTiesAndMonotoneMaps) {
  EXPECT_DOUBLE_EQ(spearman({1, 2, 3, 4}, {10, 20, 30, 40}), 1.0);
  EXPECT_DOUBLE_EQ(spearman({1, 2, 3, 4}, {1, 8, 27, 64}), 1.0);  // rank, not linear
  EXPECT_DOUBLE_EQ(spearman({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0);
  // Ties share their average rank: x ranks 1, 2.5, 2.5, 4.
  EXPECT_NEAR(spearman({1, 2, 2, 3}, {1, 2, 3, 4}), 4.5 / std::sqrt(4.5 * 5.0), 1e-12);
  EXPECT_TRUE(std::isnan(spearman({1, 1, 1}, {1, 2, 3})));
}

Sample sample(double score, std::optional<bool> correct, std::optional<std::string> text = {}) {
  Sample s;
  s.score = score;
  s.tokens = 1;
  s.correct = correct;
  s.text = std::move(text);
  return s;
}

TEST(BestOfNPick, FirstHighestScoreAndTheEmptyCompletionRule) {
  Problem p;
  p.samples = {sample(0.5, false), sample(0.9, true), sample(0.9, false)};
  EXPECT_EQ(best_of_n_pick(p, 1), 0);
  EXPECT_EQ(best_of_n_pick(p, 3), 1);  // ties: the first
  EXPECT_EQ(best_of_n_pick(p, 99), 1);
  // An empty completion is passed over ...
  p.samples = {sample(0.4, true, "x"), sample(0.95, false, ""), sample(0.7, true, "y")};
  EXPECT_EQ(best_of_n_pick(p, 3), 2);
  // ... and with nothing above 0 left there is no pick.
  p.samples = {sample(0.0, true, "x"), sample(0.95, false, "")};
  EXPECT_EQ(best_of_n_pick(p, 2), -1);
  EXPECT_EQ(best_of_n_pick(p, 0), -1);
}

TEST(BestOfNCurve, AccuracyPerNAndUnknownCorrectness) {
  Pool pool;
  Problem a, b;
  a.samples = {sample(0.5, false), sample(0.9, true)};
  b.samples = {sample(0.8, true), sample(0.85, false)};
  pool.problems = {a, b};
  const auto curve = best_of_n_curve(pool, 3);
  ASSERT_TRUE(curve.has_value());
  EXPECT_EQ(*curve, (std::vector<double>{0.5, 0.5, 0.5}));
  pool.problems[0].samples[1].correct.reset();
  EXPECT_FALSE(best_of_n_curve(pool, 2).has_value());
}

TEST(SampleCorrectness, FieldFirstThenGold) {
  Problem p;
  Sample s = sample(0.5, std::nullopt);
  EXPECT_FALSE(sample_correctness(p, s).has_value());
  p.gold = "12";
  s.answer = "12";
  EXPECT_EQ(sample_correctness(p, s), true);
  s.answer.reset();
  EXPECT_EQ(sample_correctness(p, s), false);  // no answer = wrong
  s.text = "so the answer is \\boxed{12}.";
  EXPECT_EQ(sample_answer(s), "12");
  EXPECT_EQ(sample_correctness(p, s), true);
  s.correct = false;  // an explicit field wins
  EXPECT_EQ(sample_correctness(p, s), false);
}

TEST(PoolStats, CountsAndAccuracies) {
  Pool pool;
  Problem a, b;
  a.id = "a";
  a.samples = {sample(0.5, false), sample(0.9, true)};
  a.samples[0].tokens = 10;
  a.samples[1].tokens = 30;
  a.prior = std::array<double, 2>{0.9, -0.1};
  b.id = "b";
  b.samples = {sample(0.8, true)};
  b.samples[0].tokens = 20;
  b.synthetic = true;
  pool.problems = {a, b};
  const PoolStats s = compute_pool_stats(pool);
  EXPECT_EQ(s.problems, 2u);
  EXPECT_EQ(s.samples, 3u);
  EXPECT_EQ(s.min_samples, 1u);
  EXPECT_EQ(s.max_samples, 2u);
  EXPECT_DOUBLE_EQ(s.mean_tokens_per_sample, 20.0);
  EXPECT_DOUBLE_EQ(s.mean_tokens_per_problem, 30.0);
  EXPECT_NEAR(s.score_mean, 2.2 / 3.0, 1e-12);
  EXPECT_NEAR(s.mean_problem_score_std, (0.2 + 0.0) / 2.0, 1e-12);
  EXPECT_EQ(s.problems_with_prior, 1u);
  EXPECT_EQ(s.priors_with_nonpositive_sigma, 1u);
  EXPECT_TRUE(s.synthetic);
  EXPECT_NEAR(*s.sample_accuracy, 2.0 / 3.0, 1e-12);
  EXPECT_DOUBLE_EQ(*s.first_sample_accuracy, 0.5);
  EXPECT_DOUBLE_EQ(*s.best_of_n_accuracy, 1.0);
  EXPECT_DOUBLE_EQ(*s.oracle_accuracy, 1.0);
}

}  // namespace
}  // namespace optscale::pool
