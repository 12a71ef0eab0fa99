#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "optscale/policy/run.hpp"
#include "optscale/policy/stop_reason.hpp"
#include "optscale/stats/truncated_normal.hpp"
#include "policy_test_util.hpp"

namespace optscale::policy {
namespace {

using testing::flat;
using testing::obs;
using testing::problem;
using testing::ScriptedFits;
using testing::strategy;

std::vector<int> fit_counts(const ScriptedFits& fits) {
  std::vector<int> counts;
  for (const auto& call : fits.calls) counts.push_back(call.count);
  return counts;
}

TEST(OptScaleSeq, StopsWhenAPeekReachesTheTarget) {
  ScriptedFits fits(0.9, 0.05);
  std::vector<Observation> o = flat(16);
  o[2].score = 0.97;
  const RunResult r =
      run_policy(*strategy("optscale-seq:n=16,peek=5,target=0.95"), problem("p", &fits), o);
  EXPECT_EQ(r.consumed, 3);
  EXPECT_EQ(r.rounds, 3);  // batch=1: one sample per round
  EXPECT_EQ(r.reason, stop_reason::kTargetReached);
  EXPECT_EQ(r.selected, 2);
  EXPECT_TRUE(fits.calls.empty());  // never got as far as the first fit
}

TEST(OptScaleSeq, RefitsOnEverythingDrawnUntilTheTargetIsReached) {
  ScriptedFits fits(0.9, 0.05);
  std::vector<Observation> o = flat(16);
  o[6].score = 0.96;
  const RunResult r =
      run_policy(*strategy("optscale-seq:n=16,peek=5,target=0.95"), problem("p", &fits), o);
  EXPECT_EQ(r.consumed, 7);
  EXPECT_EQ(r.reason, stop_reason::kTargetReached);
  EXPECT_EQ(fit_counts(fits), (std::vector<int>{5, 6}));
}

TEST(OptScaleSeq, EmptySamplesDoNotReachTheTarget) {
  ScriptedFits fits(0.9, 0.05);
  std::vector<Observation> o = flat(4);
  o[1] = obs(0.99, 0, 10, /*empty=*/true);
  const RunResult r =
      run_policy(*strategy("optscale-seq:n=4,peek=4,target=0.95"), problem("p", &fits), o);
  EXPECT_EQ(r.consumed, 4);
  EXPECT_EQ(r.reason, stop_reason::kBudget);
  EXPECT_EQ(r.selected, 0);
}

TEST(OptScaleSeq, FutilityStopsAHopelessProblem) {
  // TN(0.3, 0.05): reaching 0.95 in the 11 draws left has probability ~1e-36.
  ScriptedFits fits(0.3, 0.05);
  const RunResult r =
      run_policy(*strategy("optscale-seq:n=16,peek=5,target=0.95"), problem("p", &fits), flat(16));
  EXPECT_EQ(r.consumed, 5);
  EXPECT_EQ(r.reason, stop_reason::kFutility);
  EXPECT_EQ(fit_counts(fits), std::vector<int>{5});
}

TEST(OptScaleSeq, FutilityUsesTheRemainingBudget) {
  // TN(0.8, 0.1) gives one draw P(>= 0.95) = 1 - F ~ 0.045. With futility 0.2
  // the policy goes on while 1 - F^r >= 0.2, i.e. while r >= 5, and stops
  // once only 4 draws are left: after 12 of 16.
  const double log_f = stats::TruncatedNormal(0.8, 0.1).log_cdf(0.95);
  int expected_stop = 0;
  for (int drawn = 5; drawn < 16; ++drawn)
    if (-std::expm1((16 - drawn) * log_f) < 0.2) {
      expected_stop = drawn;
      break;
    }
  ASSERT_EQ(expected_stop, 12);
  ScriptedFits fits(0.8, 0.1);
  const RunResult r = run_policy(*strategy("optscale-seq:n=16,peek=5,target=0.95,futility=0.2"),
                                 problem("p", &fits), flat(16));
  EXPECT_EQ(r.consumed, expected_stop);
  EXPECT_EQ(r.reason, stop_reason::kFutility);
}

TEST(OptScaleSeq, SpendsTheBudgetWhenHopefulButUnlucky) {
  ScriptedFits fits(0.9, 0.05);
  const RunResult r =
      run_policy(*strategy("optscale-seq:n=16,peek=5,target=0.95"), problem("p", &fits), flat(16));
  EXPECT_EQ(r.consumed, 16);
  EXPECT_EQ(r.reason, stop_reason::kBudget);
  EXPECT_EQ(fits.calls.size(), 11u);  // after every sample from the 5th to the 15th
}

TEST(OptScaleSeq, FutilityZeroNeverGivesUp) {
  ScriptedFits fits(0.3, 0.05);
  const RunResult r = run_policy(*strategy("optscale-seq:n=8,peek=3,target=0.95,futility=0"),
                                 problem("p", &fits), flat(8));
  EXPECT_EQ(r.consumed, 8);
  EXPECT_EQ(r.reason, stop_reason::kBudget);
}

TEST(OptScaleSeq, DrawsWhatTheBoundRequiresCappedByBatch) {
  // TN(0.95, 0.05): F(0.93) ~ 0.41, so N* = ceil(ln 0.05 / ln F) = 4 draws
  // are needed from here whatever has been drawn; batch 8 does not bind.
  const double log_f = stats::TruncatedNormal(0.95, 0.05).log_cdf(0.93);
  const int needed = static_cast<int>(std::ceil(std::log(0.05) / log_f));
  ASSERT_EQ(needed, 4);
  ScriptedFits fits(0.95, 0.05);
  const RunResult r = run_policy(*strategy("optscale-seq:n=16,peek=2,batch=8,target=0.93"),
                                 problem("p", &fits), flat(16));
  // Rounds: the 2 peeks, then 4, 4, 4 and the last 2 (capped by the budget).
  EXPECT_EQ(fit_counts(fits), (std::vector<int>{2, 6, 10, 14}));
  EXPECT_EQ(r.consumed, 16);
  EXPECT_EQ(r.rounds, 5);
  EXPECT_EQ(r.reason, stop_reason::kBudget);
}

TEST(OptScaleSeq, PeekIsDrawnInBatches) {
  // TN(0.9, 0.05) needs far more than the budget to reach 0.99, so every
  // round is the batch of 2 (or what is left); futility is off.
  ScriptedFits fits(0.9, 0.05);
  const RunResult r = run_policy(*strategy("optscale-seq:n=10,peek=5,batch=2,target=0.99,futility=0"),
                                 problem("p", &fits), flat(10));
  // Rounds: peeks 2 + 2 + 1, then 2, 2, 1.
  EXPECT_EQ(r.rounds, 6);
  EXPECT_EQ(fit_counts(fits), (std::vector<int>{5, 7, 9}));
  EXPECT_EQ(r.consumed, 10);
  EXPECT_EQ(r.reason, stop_reason::kBudget);
}

TEST(OptScaleSeq, PriorUse) {
  ScriptedFits fits(0.9, 0.05);
  ProblemInfo with_prior = problem("p", &fits);
  with_prior.prior = std::array<double, 2>{0.7, 0.2};
  const ProblemInfo without_prior = problem("q", &fits);
  const auto o = flat(6);

  run_policy(*strategy("optscale-seq:n=6,peek=5"), with_prior, o);
  EXPECT_FALSE(fits.calls.back().prior.has_value());  // prior=none by default

  run_policy(*strategy("optscale-seq:n=6,peek=5,prior=auto,prior_std=0.3"), with_prior, o);
  ASSERT_TRUE(fits.calls.back().prior.has_value());
  EXPECT_DOUBLE_EQ(fits.calls.back().prior->mean_mu, 0.7);
  EXPECT_DOUBLE_EQ(fits.calls.back().prior->std_sigma, 0.3);

  run_policy(*strategy("optscale-seq:n=6,peek=5,prior=auto"), without_prior, o);
  EXPECT_FALSE(fits.calls.back().prior.has_value());

  EXPECT_THAT([&] { strategy("optscale-seq:n=6,prior=predictor")->start(without_prior); },
              ::testing::ThrowsMessage<Error>(::testing::HasSubstr("problem 'q'")));
}

}  // namespace
}  // namespace optscale::policy
