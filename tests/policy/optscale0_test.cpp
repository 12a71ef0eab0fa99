#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "optscale/policy/peek.hpp"
#include "optscale/policy/run.hpp"
#include "optscale/policy/stop_reason.hpp"
#include "optscale/stats/truncated_normal.hpp"
#include "optscale/util/invariant.hpp"
#include "policy_test_util.hpp"

namespace optscale::policy {
namespace {

using testing::obs;
using testing::problem;
using testing::ScriptedFits;
using testing::strategy;

// N* = ceil(ln delta / ln F(s*)) for 0 < F < 1 (paper-spec §1), from the law directly.
int closed_form_bound(double mu, double sigma, double target, double confidence) {
  const double log_f = stats::TruncatedNormal(mu, sigma).log_cdf(target);
  return static_cast<int>(std::ceil(std::log(1.0 - confidence) / log_f));
}

std::vector<Observation> pool(int size) {
  std::vector<Observation> out;
  for (int i = 0; i < size; ++i) out.push_back(obs(0.3 + 0.01 * i, i % 3, 100 + i));
  return out;
}

TEST(DefaultPeek, ReproducesTheReferenceTable) {
  EXPECT_EQ(default_peek(8), 3);
  EXPECT_EQ(default_peek(16), 5);
  EXPECT_EQ(default_peek(32), 10);
  EXPECT_EQ(default_peek(64), 20);
  EXPECT_EQ(default_peek(1), 1);
  EXPECT_EQ(default_peek(2), 1);
  EXPECT_EQ(default_peek(100), 31);
  EXPECT_THROW(default_peek(0), InvariantError);  // the spec reader checks n >= 1 first
}

TEST(OptScale0, DecisionIsTheBoundWhenItExceedsThePeek) {
  // TN(0.85, 0.1): F(0.95) ~ 0.90, N* = 29 at 95 % -- above the peek of 5.
  const int expected = closed_form_bound(0.85, 0.1, 0.95, 0.95);
  ASSERT_GT(expected, 5);
  ASSERT_LE(expected, 64);
  ScriptedFits fits(0.85, 0.1);
  const auto o = pool(64);
  const RunResult r =
      run_policy(*strategy("optscale0:n=64,peek=5,target=0.95,confidence=0.95"), problem("p", &fits), o);
  EXPECT_EQ(r.consumed, expected);
  EXPECT_EQ(r.reason, stop_reason::kBound);
  EXPECT_EQ(r.rounds, 2);  // the peek, then the rest in one request
  // One MLE fit, on the peeked scores only, inside our default box.
  ASSERT_EQ(fits.calls.size(), 1u);
  EXPECT_EQ(fits.calls[0].count, 5);
  EXPECT_FALSE(fits.calls[0].prior.has_value());
  EXPECT_DOUBLE_EQ(fits.calls[0].bounds.sigma_min, stats::FitBounds{}.sigma_min);
  EXPECT_EQ(r.selected, expected - 1);  // scores rise with the index: BoN picks the last drawn
}

TEST(OptScale0, StopsAtThePeekWhenTheBoundIsSmaller) {
  // TN(0.97, 0.02) puts most mass above 0.9: N* = 1 < peek = 5.
  ASSERT_LT(closed_form_bound(0.97, 0.02, 0.9, 0.95), 5);
  ScriptedFits fits(0.97, 0.02);
  const RunResult r =
      run_policy(*strategy("optscale0:n=16,target=0.9"), problem("p", &fits), pool(16));
  EXPECT_EQ(r.consumed, 5);
  EXPECT_EQ(r.rounds, 1);
  EXPECT_EQ(r.reason, stop_reason::kBound);
}

TEST(OptScale0, CappedAtTheBudget) {
  ASSERT_GT(closed_form_bound(0.5, 0.1, 0.9, 0.99), 16);
  ScriptedFits fits(0.5, 0.1);
  const RunResult r = run_policy(*strategy("optscale0:n=16,target=0.9,delta=0.01"),
                                 problem("p", &fits), pool(16));
  EXPECT_EQ(r.consumed, 16);
  EXPECT_EQ(r.reason, stop_reason::kCapped);
}

TEST(OptScale0, UnreachableTargetSpendsTheBudget) {
  ScriptedFits fits(0.9, 0.05);
  const RunResult r =
      run_policy(*strategy("optscale0:n=8,target=1"), problem("p", &fits), pool(8));
  EXPECT_EQ(r.consumed, 8);
  EXPECT_EQ(r.reason, stop_reason::kUnreachable);
}

TEST(OptScale0, NeverStopsEarlyOnAGoodPeek) {
  // The peek already holds a 0.99, yet the decision stands (paper-spec §2).
  ScriptedFits fits(0.85, 0.1);
  std::vector<Observation> o = pool(64);
  o[0].score = 0.99;
  const RunResult r = run_policy(*strategy("optscale0:n=64,target=0.95"), problem("p", &fits), o);
  EXPECT_EQ(r.consumed, closed_form_bound(0.85, 0.1, 0.95, 0.95));
  EXPECT_EQ(r.selected, 0);
}

TEST(OptScale0, ReferenceBoundsKeyPassesTheReferenceBox) {
  ScriptedFits fits(0.8, 0.1);
  run_policy(*strategy("optscale0:n=16,bounds=reference"), problem("p", &fits), pool(16));
  ASSERT_EQ(fits.calls.size(), 1u);
  EXPECT_DOUBLE_EQ(fits.calls[0].bounds.sigma_min, stats::FitBounds::reference_parity().sigma_min);
}

TEST(OptScale0, NeedsAFitProvider) {
  EXPECT_THAT([] { strategy("optscale0:n=8")->start(problem("q7")); },
              ::testing::ThrowsMessage<Error>(::testing::HasSubstr("problem 'q7'")));
}

}  // namespace
}  // namespace optscale::policy
