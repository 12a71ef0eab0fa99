#include "optscale/replay/tuning.hpp"

#include <gtest/gtest.h>

#include "result_fixture.hpp"

#include <numeric>

#include "optscale/util/error.hpp"

namespace optscale::replay {
namespace {

using fixtures::make_result;

ReplayResult make_replay(std::vector<StrategyResult> strategies) {
  ReplayResult result;
  result.problems = strategies.front().problem_accuracy.size();
  result.strategies = std::move(strategies);
  return result;
}

TEST(SelectBest, HighestAccuracyThenFewestTokensThenEarliest) {
  const ReplayResult result = make_replay({
      make_result("a:n=8,target=0.9", 8, {1, 0, 1, 0}, {10, 10, 10, 10}),    // 0.5
      make_result("a:n=8,target=0.95", 8, {1, 1, 1, 0}, {30, 30, 30, 30}),   // 0.75, 30
      make_result("a:n=8,target=0.99", 8, {0, 1, 1, 1}, {20, 20, 20, 20}),   // 0.75, 20
      make_result("a:n=8,target=0.999", 8, {1, 1, 0, 1}, {20, 20, 20, 20}),  // 0.75, 20 (later)
  });
  const std::vector<std::size_t> candidates = {0, 1, 2, 3};
  const std::vector<std::size_t> all = {0, 1, 2, 3};
  EXPECT_EQ(select_best(result, candidates, all), 2u);
  // On problems {0, 1} only: candidates 1 and 3 both score 2/2; 3 is cheaper.
  const std::vector<std::size_t> first_two = {0, 1};
  EXPECT_EQ(select_best(result, candidates, first_two), 3u);
  // On problem 0 only: 0, 1 and 3 score 1/1; 0 is the cheapest.
  EXPECT_EQ(select_best(result, candidates, std::vector<std::size_t>{0}), 0u);
  EXPECT_THROW(select_best(result, std::vector<std::size_t>{}, all), Error);
}

TEST(ParetoFront, KeepsOnlyConfigurationsMoreAccurateThanEveryCheaperOne) {
  const ReplayResult result = make_replay({
      make_result("x:n=1", 1, {1, 0}, {10, 10}),   // 0.5 @ 10  front
      make_result("x:n=2", 2, {1, 0}, {20, 20}),   // 0.5 @ 20  dominated
      make_result("x:n=3", 3, {1, 1}, {30, 30}),   // 1.0 @ 30  front
      make_result("x:n=4", 4, {0, 0}, {5, 5}),     // 0.0 @ 5   front (cheapest)
      make_result("x:n=5", 5, {1, 1}, {40, 40}),   // dominated by n=3
  });
  EXPECT_EQ(pareto_front(result), (std::vector<std::size_t>{3, 0, 2}));
  EXPECT_EQ(pareto_front(result, std::vector<std::size_t>{1, 4}), (std::vector<std::size_t>{1, 4}));
}

// Six problems, two configurations of one cell. Config A is right on problems
// 0-2, config B on problems 3-5 plus problem 0; B costs more.
ReplayResult two_configurations() {
  return make_replay({
      make_result("f:n=8,target=0.9", 8, {1, 1, 1, 0, 0, 0}, {10, 10, 10, 10, 10, 10}),
      make_result("f:n=8,target=0.99", 8, {1, 0, 0, 1, 1, 1}, {20, 20, 20, 20, 20, 20}),
      make_result("g:n=8", 8, {1, 1, 1, 1, 1, 1}, {50, 50, 50, 50, 50, 50}),
  });
}

TEST(Tune, TestSelectionPicksTheBestOnAllProblems) {
  const ReplayResult result = two_configurations();
  const TuningResult tuning = tune(result, TuningOptions{Selection::test, 5, 0});
  ASSERT_EQ(tuning.cells.size(), 2u);
  EXPECT_EQ(tuning.cells[0].family, "f");
  EXPECT_EQ(tuning.cells[0].candidates, (std::vector<std::size_t>{0, 1}));
  // B has 4/6 > A's 3/6.
  EXPECT_EQ(tuning.cells[0].chosen, (std::vector<std::size_t>{1}));
  EXPECT_DOUBLE_EQ(tuning.cells[0].accuracy.mean, 4.0 / 6.0);
  EXPECT_DOUBLE_EQ(tuning.cells[0].tokens.mean, 20.0);
  EXPECT_EQ(tuning.cells[1].chosen, (std::vector<std::size_t>{2}));
  EXPECT_TRUE(tuning.fold_of_problem.empty());
}

TEST(Tune, CrossValidationScoresEachProblemWithTheChoiceMadeWithoutIt) {
  const ReplayResult result = two_configurations();
  const TuningResult tuning = tune(result, TuningOptions{Selection::cv, 3, 11});
  ASSERT_EQ(tuning.fold_of_problem.size(), 6u);
  const TunedCell& cell = tuning.cells[0];
  ASSERT_EQ(cell.chosen.size(), 3u);
  // Recompute by hand: per fold, the winner on the other problems, then the
  // held-out problems' outcomes under that winner.
  double correct = 0.0, tokens = 0.0;
  for (int k = 0; k < 3; ++k) {
    std::vector<std::size_t> train;
    for (std::size_t p = 0; p < 6; ++p)
      if (tuning.fold_of_problem[p] != k) train.push_back(p);
    const std::size_t expected = select_best(result, cell.candidates, train);
    EXPECT_EQ(cell.chosen[static_cast<std::size_t>(k)], expected) << "fold " << k;
    for (std::size_t p = 0; p < 6; ++p)
      if (tuning.fold_of_problem[p] == k) {
        correct += result.strategies[expected].problem_accuracy[p];
        tokens += result.strategies[expected].problem_tokens[p];
      }
  }
  EXPECT_DOUBLE_EQ(cell.accuracy.mean, correct / 6.0);
  EXPECT_DOUBLE_EQ(cell.tokens.mean, tokens / 6.0);
  ASSERT_TRUE(cell.accuracy.ci_lo.has_value());
  // A single-configuration cell is that configuration.
  EXPECT_DOUBLE_EQ(tuning.cells[1].accuracy.mean, 1.0);
}

TEST(Tune, HeldOutFiguresExposeSelectionThatOnlyFitsTheTestSet) {
  // Configuration i is right on problem i alone. Test-set selection reports
  // 1/4 for the (earliest) winner; leave-one-out cross-validation picks, for
  // each problem, a configuration chosen without it, which is always wrong there.
  const ReplayResult result = make_replay({
      make_result("h:n=8,target=0", 8, {1, 0, 0, 0}, {1, 1, 1, 1}),
      make_result("h:n=8,target=1", 8, {0, 1, 0, 0}, {1, 1, 1, 1}),
      make_result("h:n=8,target=2", 8, {0, 0, 1, 0}, {1, 1, 1, 1}),
      make_result("h:n=8,target=3", 8, {0, 0, 0, 1}, {1, 1, 1, 1}),
  });
  const TuningResult test = tune(result, TuningOptions{Selection::test, 2, 0});
  EXPECT_DOUBLE_EQ(test.cells[0].accuracy.mean, 0.25);
  const TuningResult cv = tune(result, TuningOptions{Selection::cv, 4, 0});
  EXPECT_DOUBLE_EQ(cv.cells[0].accuracy.mean, 0.0);
  for (std::size_t p = 0; p < 4; ++p)
    EXPECT_NE(cv.cells[0].chosen[static_cast<std::size_t>(cv.fold_of_problem[p])], p);
}

TEST(Tune, RejectsBadFoldCounts) {
  const ReplayResult result = two_configurations();
  EXPECT_THROW(tune(result, TuningOptions{Selection::cv, 1, 0}), Error);
  EXPECT_THROW(tune(result, TuningOptions{Selection::cv, 7, 0}), Error);
  EXPECT_NO_THROW(tune(result, TuningOptions{Selection::test, 7, 0}));
}

TEST(Tune, ParsesSelectionNames) {
  EXPECT_EQ(parse_selection("cv"), Selection::cv);
  EXPECT_EQ(parse_selection("test"), Selection::test);
  EXPECT_THROW(parse_selection("holdout"), Error);
}

}  // namespace
}  // namespace optscale::replay
