#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <utility>

#include "optscale/policy/run.hpp"
#include "optscale/policy/stop_reason.hpp"
#include "optscale/util/invariant.hpp"
#include "policy_test_util.hpp"

namespace optscale::policy {
namespace {

using testing::answers;
using testing::strategy;

// Six problems given out of difficulty order. By predicted mu the ranking is
// a (0.9), b, c, d, e, f (0.4); the first five answers agree for a..d only
// where it matters: c and d (probed, easy), e and f (probed, not easy).
// Binary search: mid 3 judges c, d -> easy, marks a..d, l = 4; mid 5 judges
// e, f -> not easy, r = 5; mid 4 judges d (known), e (known) -> r = 4.
struct Fixture {
  std::vector<ProblemInfo> problems;
  std::vector<std::vector<Observation>> observations;

  void add(const std::string& id, double mu, std::vector<Observation> o) {
    ProblemInfo info;
    info.id = id;
    info.prior = std::array<double, 2>{mu, 0.1};
    problems.push_back(info);
    observations.push_back(std::move(o));
  }

  Fixture() {
    add("c", 0.7, answers({4, 4, 4, 4, 4, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2}));
    add("f", 0.4, answers({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}));
    add("a", 0.9, answers({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}));
    add("d", 0.6, answers({7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7}));
    add("b", 0.8, answers({-1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2}));
    add("e", 0.5, answers({1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}));
    // Scores carry the same ranking for difficulty=peek (first score only).
    const double first_scores[] = {0.7, 0.4, 0.9, 0.6, 0.8, 0.5};
    for (std::size_t i = 0; i < observations.size(); ++i) observations[i][0].score = first_scores[i];
  }
};

void expect_reference_outcome(const std::vector<RunResult>& r) {
  ASSERT_EQ(r.size(), 6u);
  // c, d: probed and easy: keep their 5 probe samples.
  EXPECT_EQ(r[0].consumed, 5);
  EXPECT_EQ(r[0].reason, stop_reason::kEasy);
  EXPECT_EQ(r[0].selected, 0);
  EXPECT_EQ(r[0].tokens, 50);
  EXPECT_EQ(r[3].consumed, 5);
  EXPECT_EQ(r[3].reason, stop_reason::kEasy);
  // a, b: marked easy without a probe: one sample. b's is "no answer".
  EXPECT_EQ(r[2].consumed, 1);
  EXPECT_EQ(r[2].reason, stop_reason::kEasy);
  EXPECT_EQ(r[2].selected, 0);
  EXPECT_EQ(r[4].consumed, 1);
  EXPECT_EQ(r[4].selected, -1);
  // e: ASC continues from its probe: (4, 1) after 5, stops at (6, 1) after 7.
  EXPECT_EQ(r[5].consumed, 7);
  EXPECT_EQ(r[5].reason, stop_reason::kConsistent);
  EXPECT_EQ(r[5].selected, 0);
  // f: never agrees: the whole budget.
  EXPECT_EQ(r[1].consumed, 16);
  EXPECT_EQ(r[1].reason, stop_reason::kBudget);
}

TEST(Dsc, EasyPrefixFromPredictorDifficulty) {
  Fixture f;
  const auto r = run_strategy(*strategy("dsc:n=16,difficulty=prior"), f.problems, f.observations);
  expect_reference_outcome(r);
}

TEST(Dsc, ProbesOnlyTheJudgedPositionsInSearchOrder) {
  Fixture f;
  std::vector<std::pair<std::size_t, int>> probes;
  const ProbeFn probe = [&](std::size_t problem, int count) {
    probes.emplace_back(problem, count);
    return std::vector<Observation>(f.observations[problem].begin(),
                                    f.observations[problem].begin() + count);
  };
  auto dsc = strategy("dsc:n=16,difficulty=prior");
  const auto plan = dsc->plan(f.problems, probe);
  // c (index 0), d (3), e (5), f (1): each once.
  EXPECT_EQ(probes, (std::vector<std::pair<std::size_t, int>>{{0, 5}, {3, 5}, {5, 5}, {1, 5}}));
  EXPECT_NE(plan->start(2), nullptr);
  EXPECT_THROW(plan->start(6), InvariantError);  // runners start only the plan's problems
}

TEST(Dsc, EasyPrefixFromPeekedScores) {
  Fixture f;
  std::vector<std::pair<std::size_t, int>> probes;
  const ProbeFn probe = [&](std::size_t problem, int count) {
    probes.emplace_back(problem, count);
    return std::vector<Observation>(f.observations[problem].begin(),
                                    f.observations[problem].begin() + count);
  };
  // No priors needed: the ranking comes from each problem's first score.
  for (auto& p : f.problems) p.prior.reset();
  auto dsc = strategy("dsc:n=16");
  dsc->plan(f.problems, probe);
  ASSERT_GE(probes.size(), 6u);
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(probes[i], (std::pair<std::size_t, int>{i, 1}));
  expect_reference_outcome(run_strategy(*dsc, f.problems, f.observations));
}

TEST(Dsc, WarnsWhenEveryProblemTiesOnDifficulty) {
  Fixture f;
  const ProbeFn probe = [&](std::size_t problem, int count) {
    return std::vector<Observation>(f.observations[problem].begin(),
                                    f.observations[problem].begin() + count);
  };
  auto dsc = strategy("dsc:n=16,difficulty=prior");
  EXPECT_TRUE(dsc->plan(f.problems, probe)->warnings().empty());
  for (auto& p : f.problems) p.prior = std::array<double, 2>{0.5, 0.1};
  const auto warnings = dsc->plan(f.problems, probe)->warnings();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("all 6 problems tie on difficulty (prior mu)"), std::string::npos) << warnings[0];
  // Peeked scores that are all equal: the same.
  for (auto& o : f.observations) o[0].score = 0.5;
  const auto peeked = strategy("dsc:n=16")->plan(f.problems, probe)->warnings();
  ASSERT_EQ(peeked.size(), 1u);
  EXPECT_NE(peeked[0].find("mean of the peeked scores"), std::string::npos);
}

TEST(Dsc, NoneVotesLetsNoAnswerProbesAgree) {
  // One problem whose first five samples have no answer.
  std::vector<ProblemInfo> problems(1);
  problems[0].id = "x";
  problems[0].prior = std::array<double, 2>{0.5, 0.1};
  const std::vector<std::vector<Observation>> o{answers({-1, -1, -1, -1, -1, 3, 3, 3, 3, 3, 3, 3})};
  EXPECT_EQ(run_strategy(*strategy("dsc:n=12,difficulty=prior"), problems, o)[0].reason,
            stop_reason::kConsistent);  // ASC: 3 x four -> stops at 9
  EXPECT_EQ(run_strategy(*strategy("dsc:n=12,difficulty=prior,none_votes=1"), problems, o)[0].reason,
            stop_reason::kEasy);
}

TEST(Dsc, IsCrossProblemOnly) {
  auto dsc = strategy("dsc:n=8");
  EXPECT_TRUE(dsc->cross_problem());
  EXPECT_FALSE(strategy("asc:n=8")->cross_problem());
  ProblemInfo info;
  info.id = "z";
  EXPECT_THAT([&] { dsc->start(info); },
              ::testing::ThrowsMessage<Error>(::testing::HasSubstr("Strategy::plan")));
  const std::vector<ProblemInfo> problems{info};
  EXPECT_THROW(dsc->plan(problems, ProbeFn{}), InvariantError);  // every runner passes one
}

TEST(Dsc, PriorDifficultyNeedsPriors) {
  std::vector<ProblemInfo> problems(1);
  problems[0].id = "np";
  const std::vector<std::vector<Observation>> o{answers({1, 1, 1, 1, 1, 1, 1, 1})};
  EXPECT_THAT([&] { run_strategy(*strategy("dsc:n=8,difficulty=prior"), problems, o); },
              ::testing::ThrowsMessage<Error>(::testing::HasSubstr("problem 'np'")));
}

TEST(Dsc, EmptyProblemSet) {
  EXPECT_TRUE(run_strategy(*strategy("dsc:n=8"), {}, {}).empty());
}

}  // namespace
}  // namespace optscale::policy
