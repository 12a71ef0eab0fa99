#include "optscale/policy/vote.hpp"

#include <gtest/gtest.h>

#include "optscale/policy/run.hpp"
#include "optscale/policy/stop_reason.hpp"
#include "policy_test_util.hpp"

namespace optscale::policy {
namespace {

using testing::answers;
using testing::obs;
using testing::problem;
using testing::strategy;

TEST(MajorityVote, SelectsTheFirstSampleOfTheLargestClass) {
  EXPECT_EQ(majority_vote(answers({3, 1, 1, 3, 1}), false), 1);
}

TEST(MajorityVote, TiesGoToTheClassSeenFirst) {
  // Classes 7 and 2 both have two votes; 7 appeared first (class numbers do not matter).
  EXPECT_EQ(majority_vote(answers({7, 2, 2, 7}), false), 0);
  EXPECT_EQ(majority_vote(answers({2, 7, 7, 2}), false), 0);
  EXPECT_EQ(majority_vote(answers({5, 2, 7, 7, 2}), false), 1);
}

TEST(MajorityVote, NoAnswerIsIgnoredByDefault) {
  // Three "no answer" samples outnumber the real answer, which still wins.
  EXPECT_EQ(majority_vote(answers({-1, -1, 4, -1}), false), 2);
  EXPECT_EQ(majority_vote(answers({-1, -1}), false), -1);
}

TEST(MajorityVote, NoAnswerCanWinWithNoneVotes) {
  EXPECT_EQ(majority_vote(answers({-1, -1, 4, -1}), true), 0);
  EXPECT_EQ(majority_vote(answers({4, -1, -1, 4}), true), 0);  // tie: 4 came first
}

TEST(WeightedVote, SumsScoresPerClass) {
  // Class 0: 0.9; class 1: 0.4 + 0.4 = 0.8 -> class 0 wins despite fewer votes.
  const std::vector<Observation> o{obs(0.4, 1), obs(0.9, 0), obs(0.4, 1)};
  EXPECT_EQ(weighted_vote(o, false), 1);
  EXPECT_EQ(majority_vote(o, false), 0);
}

TEST(WeightedVote, NoAnswerWeightCountsOnlyWithNoneVotes) {
  const std::vector<Observation> o{obs(0.9, -1), obs(0.95, -1), obs(0.5, 3)};
  EXPECT_EQ(weighted_vote(o, false), 2);
  EXPECT_EQ(weighted_vote(o, true), 0);
}

TEST(VoteCounter, TopAndRunnerUpCounts) {
  VoteCounter counter(false);
  const auto o = answers({1, 2, 1, -1, 3, 2, 1});
  for (std::size_t i = 0; i < o.size(); ++i) counter.add(o[i], static_cast<int>(i));
  EXPECT_EQ(counter.top_count(), 3);
  EXPECT_EQ(counter.runner_up_count(), 2);
  EXPECT_EQ(counter.winner(), 0);
}

TEST(AllAgree, RequiresOneRealAnswerUnlessNoneVotes) {
  EXPECT_TRUE(all_agree(answers({2, 2, 2}), false));
  EXPECT_FALSE(all_agree(answers({2, 2, 3}), false));
  EXPECT_FALSE(all_agree(answers({-1, -1}), false));
  EXPECT_TRUE(all_agree(answers({-1, -1}), true));
  EXPECT_FALSE(all_agree({}, true));
}

TEST(ScStrategy, DrawsTheBudgetAndSelectsTheMajority) {
  auto sc = strategy("sc:n=6");
  const auto o = answers({1, 2, 2, 1, 3, 2, 1, 1});
  const RunResult r = run_policy(*sc, problem("p"), o);
  EXPECT_EQ(r.consumed, 6);
  EXPECT_EQ(r.selected, 1);  // class 2: 3 votes in the first six
  EXPECT_EQ(r.reason, stop_reason::kBudget);
  EXPECT_EQ(r.tokens, 60);
}

TEST(ScStrategy, NoneVotesKeyLetsNoAnswerWin) {
  const auto o = answers({-1, 5, -1, -1});
  EXPECT_EQ(run_policy(*strategy("sc:n=4"), problem("p"), o).selected, 1);
  EXPECT_EQ(run_policy(*strategy("sc:n=4,none_votes=1"), problem("p"), o).selected, 0);
}

TEST(WscStrategy, SelectsByScoreWeight) {
  const std::vector<Observation> o{obs(0.3, 1), obs(0.3, 1), obs(0.95, 2), obs(0.2, 1)};
  const RunResult r = run_policy(*strategy("wsc:n=3"), problem("p"), o);
  EXPECT_EQ(r.consumed, 3);
  EXPECT_EQ(r.selected, 2);  // 0.95 > 0.3 + 0.3
}

}  // namespace
}  // namespace optscale::policy
