#include <gtest/gtest.h>

#include "optscale/policy/run.hpp"
#include "optscale/policy/stop_reason.hpp"
#include "policy_test_util.hpp"

namespace optscale::policy {
namespace {

using testing::answers;
using testing::problem;
using testing::strategy;

TEST(Esc, StopsAfterTheFirstWindowOfFiveIdenticalAnswers) {
  const auto o = answers({4, 4, 4, 4, 4, 1, 2, 3, 1, 2, 3, 1});
  const RunResult r = run_policy(*strategy("esc:n=12"), problem("p"), o);
  EXPECT_EQ(r.consumed, 5);
  EXPECT_EQ(r.rounds, 1);
  EXPECT_EQ(r.reason, stop_reason::kConsistent);
  EXPECT_EQ(r.selected, 0);
}

TEST(Esc, ChecksOnlyWholeNonOverlappingWindows) {
  // Samples 2..6 agree, but they straddle windows [0,5) and [5,10); the
  // second window [5,10) agrees as a whole, so ESC stops at 10.
  const auto o = answers({1, 2, 7, 7, 7, 7, 7, 7, 7, 7, 3, 3});
  const RunResult r = run_policy(*strategy("esc:n=12"), problem("p"), o);
  EXPECT_EQ(r.consumed, 10);
  EXPECT_EQ(r.rounds, 2);
  EXPECT_EQ(r.reason, stop_reason::kConsistent);
  EXPECT_EQ(r.selected, 2);  // vote over all ten: class 7
}

TEST(Esc, NeverChecksAPartialFinalWindow) {
  // n = 7: windows [0,5) (mixed) then a partial [5,7) that agrees: not checked.
  const auto o = answers({1, 2, 1, 2, 3, 9, 9, 9, 9, 9});
  const RunResult r = run_policy(*strategy("esc:n=7"), problem("p"), o);
  EXPECT_EQ(r.consumed, 7);
  EXPECT_EQ(r.rounds, 2);
  EXPECT_EQ(r.reason, stop_reason::kBudget);
  EXPECT_EQ(r.selected, 0);  // 1, 2 and 9 have two votes each; 1 came first
}

TEST(Esc, BudgetBelowTheWindowDrawsEverything) {
  const auto o = answers({5, 5, 5, 5});
  const RunResult r = run_policy(*strategy("esc:n=3"), problem("p"), o);
  EXPECT_EQ(r.consumed, 3);
  EXPECT_EQ(r.reason, stop_reason::kBudget);
}

TEST(Esc, WindowKeyChangesTheWindow) {
  const auto o = answers({1, 2, 3, 3, 3, 3, 1});
  const RunResult r = run_policy(*strategy("esc:n=7,window=2"), problem("p"), o);
  EXPECT_EQ(r.consumed, 4);  // windows [0,2), [2,4): the second agrees
}

TEST(Esc, NoAnswerWindowsAgreeOnlyWithNoneVotes) {
  const auto o = answers({-1, -1, -1, -1, -1, 2, 2, 2, 2, 2});
  EXPECT_EQ(run_policy(*strategy("esc:n=10"), problem("p"), o).consumed, 10);
  const RunResult parity = run_policy(*strategy("esc:n=10,none_votes=1"), problem("p"), o);
  EXPECT_EQ(parity.consumed, 5);
  EXPECT_EQ(parity.selected, 0);  // "no answer" wins, as in the reference
}

}  // namespace
}  // namespace optscale::policy
