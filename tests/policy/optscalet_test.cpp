#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "optscale/policy/run.hpp"
#include "optscale/policy/stop_reason.hpp"
#include "policy_test_util.hpp"

namespace optscale::policy {
namespace {

using testing::flat;
using testing::problem;
using testing::ScriptedFits;
using testing::strategy;

TEST(OptScaleT, FitsMapWithThePredictorPriorAndTheFixedStd) {
  ScriptedFits fits(0.97, 0.02);
  ProblemInfo info = problem("p", &fits);
  info.prior = std::array<double, 2>{0.6, 0.12};
  const RunResult r = run_policy(*strategy("optscalet:n=16,target=0.9"), info, flat(16));
  EXPECT_EQ(r.consumed, 5);
  EXPECT_EQ(r.reason, stop_reason::kBound);
  ASSERT_EQ(fits.calls.size(), 1u);
  EXPECT_EQ(fits.calls[0].count, 5);
  ASSERT_TRUE(fits.calls[0].prior.has_value());
  EXPECT_DOUBLE_EQ(fits.calls[0].prior->mean_mu, 0.6);
  EXPECT_DOUBLE_EQ(fits.calls[0].prior->mean_sigma, 0.12);
  EXPECT_DOUBLE_EQ(fits.calls[0].prior->std_mu, 0.1);
  EXPECT_DOUBLE_EQ(fits.calls[0].prior->std_sigma, 0.1);
}

TEST(OptScaleT, PriorStdFromKeyOrPredictor) {
  ScriptedFits fits(0.97, 0.02);
  ProblemInfo info = problem("p", &fits);
  info.prior = std::array<double, 2>{0.6, 0.12};
  run_policy(*strategy("optscalet:n=16,prior_std=0.25"), info, flat(16));
  EXPECT_DOUBLE_EQ(fits.calls.back().prior->std_mu, 0.25);
  EXPECT_DOUBLE_EQ(fits.calls.back().prior->std_sigma, 0.25);

  info.prior_std = std::array<double, 2>{0.03, 0.07};
  run_policy(*strategy("optscalet:n=16,prior_std=predictor"), info, flat(16));
  EXPECT_DOUBLE_EQ(fits.calls.back().prior->std_mu, 0.03);
  EXPECT_DOUBLE_EQ(fits.calls.back().prior->std_sigma, 0.07);
}

TEST(OptScaleT, NegativePredictedSigmaIsUsedAsGiven) {
  // The reference's priors include sigma < 0; the prior mean is kept (paper-spec §2).
  ScriptedFits fits(0.97, 0.02);
  ProblemInfo info = problem("p", &fits);
  info.prior = std::array<double, 2>{0.5, -0.053};
  run_policy(*strategy("optscalet:n=8"), info, flat(8));
  EXPECT_DOUBLE_EQ(fits.calls.back().prior->mean_sigma, -0.053);
}

TEST(OptScaleT, MissingPriorIsAnErrorNamingTheProblem) {
  ScriptedFits fits(0.97, 0.02);
  const ProblemInfo info = problem("q42", &fits);
  EXPECT_THAT([&] { strategy("optscalet:n=8")->start(info); },
              ::testing::ThrowsMessage<Error>(::testing::AllOf(
                  ::testing::HasSubstr("problem 'q42'"), ::testing::HasSubstr("missing_prior=mle"))));
}

TEST(OptScaleT, MissingPriorFallsBackToMleWhenAsked) {
  ScriptedFits fits(0.97, 0.02);
  run_policy(*strategy("optscalet:n=8,missing_prior=mle"), problem("p", &fits), flat(8));
  ASSERT_EQ(fits.calls.size(), 1u);
  EXPECT_FALSE(fits.calls[0].prior.has_value());
}

TEST(OptScaleT, PredictorStdMissingIsAnError) {
  ScriptedFits fits(0.97, 0.02);
  ProblemInfo info = problem("p", &fits);
  info.prior = std::array<double, 2>{0.6, 0.12};
  EXPECT_THROW(strategy("optscalet:n=8,prior_std=predictor")->start(info), Error);
}

}  // namespace
}  // namespace optscale::policy
