#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>

#include "optscale/policy/beta_criterion.hpp"
#include "optscale/policy/run.hpp"
#include "optscale/policy/stop_reason.hpp"
#include "optscale/util/invariant.hpp"
#include "policy_test_util.hpp"

namespace optscale::policy {
namespace {

using testing::answers;
using testing::problem;
using testing::strategy;

// P(Beta(a+1, b+1) > 1/2) by direct quadrature of x^a (1-x)^b, as the
// reference integrates it (composite Simpson; for a + b <= 40 its own error
// is about 1e-12).
double beta_tail_by_quadrature(int a, int b) {
  const auto integral = [a, b](double lo, double hi) {
    const int steps = 4000;
    const double h = (hi - lo) / steps;
    long double sum = 0.0L;
    for (int i = 0; i <= steps; ++i) {
      const double x = lo + i * h;
      const double f = std::pow(x, a) * std::pow(1.0 - x, b);
      sum += f * (i == 0 || i == steps ? 1 : (i % 2 == 1 ? 4 : 2));
    }
    return sum * h / 3.0L;
  };
  return static_cast<double>(integral(0.5, 1.0) / integral(0.0, 1.0));
}

// The same from the binomial sum in long double.
double beta_tail_binomial(int a, int b) {
  const int m = a + b + 1;
  long double term = std::ldexp(1.0L, -m), tail = term;
  for (int j = 0; j < b; ++j) {
    term *= static_cast<long double>(m - j) / (j + 1);
    tail += term;
  }
  return static_cast<double>(1.0L - tail);
}

TEST(MajorityConfidence, MatchesDirectIntegration) {
  for (int a = 0; a <= 20; ++a)
    for (int b = 0; b <= a; ++b)
      EXPECT_NEAR(majority_confidence(a, b), beta_tail_by_quadrature(a, b), 1e-10)
          << "a=" << a << " b=" << b;
}

TEST(MajorityConfidence, MatchesTheBinomialSumToRounding) {
  for (int a = 0; a <= 200; ++a)
    for (int b = 0; b <= a; b += 3)
      EXPECT_NEAR(majority_confidence(a, b), beta_tail_binomial(a, b), (b + 1) * 1.2e-16)
          << "a=" << a << " b=" << b;
}

TEST(MajorityConfidence, KnownValues) {
  EXPECT_DOUBLE_EQ(majority_confidence(3, 0), 1.0 - 1.0 / 16);  // 0.9375 < 0.95
  EXPECT_DOUBLE_EQ(majority_confidence(4, 0), 1.0 - 1.0 / 32);  // 0.96875: 4 identical stop
  EXPECT_DOUBLE_EQ(majority_confidence(4, 1), 1.0 - 7.0 / 64);
  EXPECT_DOUBLE_EQ(majority_confidence(5, 5), 0.5);              // a tie is a coin flip
}

TEST(MajorityConfidence, LargeCountsStayAccurateAcrossTheMethodSwitch) {
  // m = a + b + 1 crosses 1000, where the sum moves to log space; compare
  // with the same sum in long double (whose exponent range holds 2^-1200).
  for (int a : {499, 500, 520, 560, 600}) {
    const int b = 500 - (a - 500) / 2 - 1;
    if (b < 0 || b > a) continue;
    EXPECT_NEAR(majority_confidence(a, b), beta_tail_binomial(a, b), 1e-11)
        << "a=" << a << " b=" << b;
  }
  EXPECT_GT(majority_confidence(3000, 2900), 0.9);
  EXPECT_LT(majority_confidence(3000, 2900), 1.0);
}

// Its callers tally the votes: a runner-up above the top is a bug of ours.
TEST(MajorityConfidence, RejectsRunnerUpAboveTopAsABrokenInvariant) {
  EXPECT_THROW(majority_confidence(2, 3), InvariantError);
  EXPECT_THROW(majority_confidence(2, -1), InvariantError);
}

TEST(Asc, StopsAfterFourIdenticalAnswers) {
  const auto o = answers({6, 6, 6, 6, 6, 6, 6, 6});
  const RunResult r = run_policy(*strategy("asc:n=8"), problem("p"), o);
  EXPECT_EQ(r.consumed, 4);
  EXPECT_EQ(r.reason, stop_reason::kConsistent);
  EXPECT_EQ(r.selected, 0);
  // Nothing can stop before the fourth sample, so it asks for all four at once.
  EXPECT_EQ(r.rounds, 1);
}

TEST(Asc, ThresholdKeyMovesTheStop) {
  const auto o = answers({6, 6, 6, 6, 6, 6, 6, 6});
  // p(3, 0) = 0.9375 >= 0.93 stops at 3; p(5, 0) = 0.984 is the first >= 0.98.
  EXPECT_EQ(run_policy(*strategy("asc:n=8,threshold=0.93"), problem("p"), o).consumed, 3);
  EXPECT_EQ(run_policy(*strategy("asc:n=8,threshold=0.98"), problem("p"), o).consumed, 5);
}

TEST(Asc, DisagreementDelaysTheStopAndTheVoteCoversThePrefix) {
  // After 6: a = 5, b = 1: p = 1 - 8/128 = 0.9375; after 7: a = 6, b = 1:
  // p = 1 - 9/256 = 0.965 -> stop at 7.
  const auto o = answers({2, 8, 8, 8, 8, 8, 8, 2, 2, 2});
  const RunResult r = run_policy(*strategy("asc:n=10"), problem("p"), o);
  EXPECT_EQ(r.consumed, 7);
  EXPECT_EQ(r.selected, 1);
  EXPECT_EQ(r.reason, stop_reason::kConsistent);
}

TEST(Asc, SpendsTheBudgetWhenAnswersKeepDisagreeing) {
  const auto o = answers({1, 2, 1, 2, 1, 2});
  const RunResult r = run_policy(*strategy("asc:n=6"), problem("p"), o);
  EXPECT_EQ(r.consumed, 6);
  EXPECT_EQ(r.reason, stop_reason::kBudget);
}

// The reference's loop: after each sample i >= 2 compute p on the prefix.
int reference_asc_stop(const std::vector<Observation>& o, int budget, double threshold, bool none_votes) {
  for (int i = 1; i <= budget; ++i) {
    std::map<int, int> counts;
    for (int j = 0; j < i; ++j)
      if (o[j].answer_class >= 0 || none_votes) ++counts[o[j].answer_class];
    int top = 0, second = 0;
    for (const auto& [cls, c] : counts) {
      if (c > top) {
        second = top;
        top = c;
      } else if (c > second) {
        second = c;
      }
    }
    if (i >= 2 && beta_tail_binomial(top, second) >= threshold) return i;
  }
  return budget;
}

TEST(Asc, BatchedRequestsStopExactlyWhereTheOneAtATimeLoopStops) {
  std::mt19937_64 rng(20240611);
  for (int trial = 0; trial < 300; ++trial) {
    const int classes = 1 + static_cast<int>(rng() % 4);
    const bool none_votes = trial % 2 == 1;
    const double threshold = trial % 3 == 0 ? 0.9 : 0.95;
    std::vector<Observation> o;
    for (int i = 0; i < 24; ++i) {
      // Skewed towards class 0 so that many runs stop early.
      const int draw = static_cast<int>(rng() % (classes + 3));
      o.push_back(testing::obs(0.5, draw >= classes + 1 ? 0 : draw - 1, 1));
    }
    const std::string spec = "asc:n=24,threshold=" + std::string(threshold == 0.9 ? "0.9" : "0.95") +
                             ",none_votes=" + (none_votes ? "1" : "0");
    const RunResult r = run_policy(*strategy(spec), problem("p"), o);
    ASSERT_EQ(r.consumed, reference_asc_stop(o, 24, threshold, none_votes)) << "trial " << trial;
  }
}

}  // namespace
}  // namespace optscale::policy
