#include "optscale/policy/run.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

#include "optscale/util/invariant.hpp"
#include "policy_test_util.hpp"

namespace optscale::policy {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;
using testing::answers;
using testing::obs;
using testing::problem;
using testing::strategy;

// A policy that plays back fixed steps and a fixed selection.
class ScriptedPolicy final : public ProblemPolicy {
 public:
  ScriptedPolicy(std::vector<Step> steps, int selection) : steps_(std::move(steps)), selection_(selection) {}
  Step next(std::span<const Observation> observed) override {
    seen.push_back(static_cast<int>(observed.size()));
    return steps_.at(call_++);
  }
  int select(std::span<const Observation>) const override { return selection_; }
  std::vector<int> seen;

 private:
  std::vector<Step> steps_;
  std::size_t call_ = 0;
  int selection_;
};

TEST(RunPolicy, FeedsPrefixesAndSumsTokensOfTheConsumedSamples) {
  ScriptedPolicy policy({Step::more(2), Step::more(3), Step::stop("done")}, 4);
  std::vector<Observation> o;
  for (int i = 0; i < 8; ++i) o.push_back(obs(0.5, 0, 1LL << i));
  const RunResult r = run_policy(policy, o);
  EXPECT_EQ(policy.seen, (std::vector<int>{0, 2, 5}));
  EXPECT_EQ(r.consumed, 5);
  EXPECT_EQ(r.rounds, 2);
  EXPECT_EQ(r.selected, 4);
  EXPECT_EQ(r.reason, "done");
  EXPECT_EQ(r.tokens, 1 + 2 + 4 + 8 + 16);
}

TEST(RunPolicy, RejectsRequestsBeyondTheAvailableSamples) {
  EXPECT_THAT([] { run_policy(*strategy("bon:n=8"), problem("p7"), answers({1, 2, 3})); },
              ThrowsMessage<Error>(HasSubstr("bon:n=8 on problem 'p7': policy asked for 8 samples but "
                                             "only 3 are available")));
}

TEST(RunPolicy, RejectsInvalidObservations) {
  std::vector<Observation> o = answers({1, 2, 3});
  o[1].score = 1.5;
  EXPECT_THAT([&] { run_policy(*strategy("bon:n=3"), problem("p"), o); },
              ThrowsMessage<Error>(HasSubstr("sample 1: score must be finite and in [0, 1]")));
  o[1].score = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(run_policy(*strategy("bon:n=3"), problem("p"), o), Error);
  o[1].score = 0.5;
  o[2].tokens = -1;
  EXPECT_THAT([&] { run_policy(*strategy("bon:n=3"), problem("p"), o); },
              ThrowsMessage<Error>(HasSubstr("sample 2: tokens must be >= 0")));
  o[2].tokens = 0;
  o[0].answer_class = -2;
  EXPECT_THAT([&] { run_policy(*strategy("bon:n=3"), problem("p"), o); },
              ThrowsMessage<Error>(HasSubstr("sample 0: answer class must be >= -1")));
}

TEST(RunPolicy, RejectsMisbehavingPolicies) {
  const auto o = answers({1, 2, 3});
  ScriptedPolicy negative({Step{-1, {}}}, -1);
  EXPECT_THROW(run_policy(negative, o), Error);
  ScriptedPolicy silent({Step::stop("")}, -1);
  EXPECT_THAT([&] { run_policy(silent, o); }, ThrowsMessage<Error>(HasSubstr("without a reason")));
  ScriptedPolicy out_of_range({Step::more(2), Step::stop("x")}, 2);
  EXPECT_THAT([&] { run_policy(out_of_range, o); },
              ThrowsMessage<Error>(HasSubstr("selected sample 2 of 2 consumed")));
}

TEST(RunStrategy, RunsPerProblemStrategiesOverASet) {
  const std::vector<ProblemInfo> problems{problem("a"), problem("b")};
  const std::vector<std::vector<Observation>> o{answers({1, 1, 1, 1, 1}), answers({1, 2, 3, 4, 5})};
  const auto r = run_strategy(*strategy("asc:n=5"), problems, o);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].consumed, 4);
  EXPECT_EQ(r[1].consumed, 5);
  EXPECT_THROW(run_strategy(*strategy("asc:n=5"), problems, std::span(o).first(1)), Error);
}

TEST(DefaultPlan, StartsEachProblemWithoutProbing) {
  const std::vector<ProblemInfo> problems{problem("a")};
  int probes = 0;
  const ProbeFn probe = [&](std::size_t, int) {
    ++probes;
    return std::vector<Observation>{};
  };
  const auto sc = strategy("sc:n=3");  // a plan refers to its strategy: keep it alive
  const auto plan = sc->plan(problems, probe);
  EXPECT_NE(plan->start(0), nullptr);
  EXPECT_THROW(plan->start(1), InvariantError);  // runners start only the plan's problems
  EXPECT_EQ(probes, 0);
}

}  // namespace
}  // namespace optscale::policy
