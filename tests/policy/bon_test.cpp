#include <gtest/gtest.h>

#include "optscale/policy/run.hpp"
#include "optscale/policy/selection.hpp"
#include "optscale/policy/stop_reason.hpp"
#include "policy_test_util.hpp"

namespace optscale::policy {
namespace {

using testing::obs;
using testing::problem;
using testing::strategy;

TEST(BestOfN, TakesTheFirstArgmax) {
  const std::vector<Observation> o{obs(0.3), obs(0.9), obs(0.2), obs(0.9)};
  EXPECT_EQ(best_of_n(o), 1);
}

TEST(BestOfN, SkipsEmptyCompletionsByZeroingTheirScores) {
  // The best two are empty: the rule falls through to the third best.
  const std::vector<Observation> o{obs(0.6), obs(0.99, 0, 0, true), obs(0.7), obs(0.95, 0, 0, true)};
  EXPECT_EQ(best_of_n(o), 2);
}

TEST(BestOfN, NoAnswerWhenOnlyEmptyCompletionsHaveScore) {
  // Once the empty samples are zeroed the highest score left is 0.
  const std::vector<Observation> o{obs(0.0), obs(0.8, 0, 0, true), obs(0.0)};
  EXPECT_EQ(best_of_n(o), -1);
}

TEST(BestOfN, KeepsAZeroScoredNonEmptyArgmax) {
  // The reference only zeroes empty samples; a non-empty first argmax of 0 stands.
  const std::vector<Observation> o{obs(0.0), obs(0.0)};
  EXPECT_EQ(best_of_n(o), 0);
}

TEST(BestOfN, NoSamplesNoAnswer) { EXPECT_EQ(best_of_n({}), -1); }

TEST(BestOfN, BestUsableScoreIgnoresEmptySamples) {
  const std::vector<Observation> o{obs(0.4), obs(0.99, 0, 0, true)};
  EXPECT_DOUBLE_EQ(best_usable_score(o), 0.4);
  EXPECT_DOUBLE_EQ(best_usable_score(std::vector<Observation>{obs(0.9, 0, 0, true)}), -1.0);
}

TEST(BonStrategy, DrawsTheWholeBudgetInOneRoundAndSelectsTheBest) {
  auto bon = strategy("bon:n=4");
  std::vector<Observation> o{obs(0.1, 0, 5), obs(0.8, 1, 7), obs(0.3, 2, 11), obs(0.85, 3, 13),
                             obs(1.0, 4, 1000)};
  const RunResult r = run_policy(*bon, problem("p"), o);
  EXPECT_EQ(r.consumed, 4);
  EXPECT_EQ(r.rounds, 1);
  EXPECT_EQ(r.selected, 3);  // sample 4 (score 1.0) lies beyond the budget
  EXPECT_EQ(r.tokens, 5 + 7 + 11 + 13);
  EXPECT_EQ(r.reason, stop_reason::kBudget);
}

}  // namespace
}  // namespace optscale::policy
