// ProblemRun, the one policy driver: live runs (observe / step) and runs over
// existing samples (take) decide the same, the policy contract is checked in
// one place, and the examples (a merge a prefix has not drawn; a 2-2
// vote tie) decide as documented.
#include "optscale/policy/problem_run.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "optscale/answers/answers.hpp"
#include "optscale/policy/run.hpp"
#include "policy_test_util.hpp"

namespace optscale::policy {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;
using testing::problem;
using testing::strategy;

DirectFitProvider g_fits;

struct Drawn {
  std::string answer;
  double score;
};

// A live run fed one sample at a time, as the engine and the proxy feed it.
RunResult live(const Strategy& s, const std::vector<Drawn>& pool) {
  ProblemRun run(s, problem("p", &g_fits));
  std::size_t next = 0;
  for (int k = run.next().draw; k > 0; k = run.next().draw)
    for (int i = 0; i < k; ++i, ++next) {
      const std::string text = "So \\boxed{" + pool.at(next).answer + "}";
      run.observe(DrawnSample{pool[next].score, 10, std::nullopt, std::string_view(text)});
    }
  return run.finish();
}

// A run over the same samples as a numbered stream, as the replay runs it.
RunResult replayed(const Strategy& s, const std::vector<Drawn>& pool) {
  answers::AnswerTable table;
  std::vector<Observation> observations;
  std::vector<int> ids;
  for (const Drawn& d : pool) {
    observations.push_back(testing::obs(d.score, -1, 10));
    ids.push_back(table.intern(answers::extract_answer("So \\boxed{" + d.answer + "}")));
  }
  const NumberedStream stream = NumberedStream::number(observations, ids, table);
  ProblemRun run(s.start(problem("p", &g_fits)), s.budget(), RunName{&s, "p"}, stream);
  return run_to_end(run);
}

TEST(ProblemRun, ALaterMergeIsNotSeenByTheShorterPrefix) {
  // The example: after 2 the answers differ (1.414213 != 1.414214);
  // \sqrt{2} merges them only once drawn. esc must not stop "consistent".
  const std::vector<Drawn> pool{{"1.414213", 0.5}, {"1.414214", 0.5}, {"\\sqrt{2}", 0.5}, {"7", 0.5}};
  const auto esc = strategy("esc:n=4,window=2");
  for (const RunResult& r : {live(*esc, pool), replayed(*esc, pool)}) {
    EXPECT_EQ(r.consumed, 4);
    EXPECT_EQ(r.reason, "budget");
    EXPECT_EQ(r.selected, 0);  // the merged class (3 votes) beats 7; its first sample
    EXPECT_EQ(r.rounds, 2);
    EXPECT_EQ(r.tokens, 40);
  }
}

TEST(ProblemRun, AVoteTieGoesToTheClassDrawnFirstEverywhere) {
  // Answers 5, 5, 4, 4 with rising scores: two votes each. The rule
  // (vote.hpp): the class whose first sample was drawn first wins; scores
  // do not break a plain vote's tie.
  const std::vector<Drawn> pool{{"5", 0.1}, {"5", 0.2}, {"4", 0.3}, {"4", 0.4}};
  const auto sc = strategy("sc:n=4");
  EXPECT_EQ(live(*sc, pool).selected, 0);
  EXPECT_EQ(replayed(*sc, pool).selected, 0);
  // A weighted vote is no tie here: 4 carries more score.
  const auto wsc = strategy("wsc:n=4");
  EXPECT_EQ(live(*wsc, pool).selected, 2);
  EXPECT_EQ(replayed(*wsc, pool).selected, 2);
}

TEST(ProblemRun, LiveAndStreamRunsDecideAlikeForEveryStrategy) {
  const std::vector<Drawn> pool{{"3.14159265", 0.61}, {"7", 0.72}, {"3.1415926535", 0.55}, {"\\pi", 0.93},
                                {"7", 0.40}, {"1.414213", 0.83}, {"1.414214", 0.77}, {"\\sqrt{2}", 0.68}};
  for (const char* spec : {"bon:n=8", "sc:n=8", "wsc:n=8", "esc:n=8,window=2", "asc:n=8",
                           "optscale0:n=8,peek=3,target=0.9", "optscale-seq:n=8,peek=3,target=0.97,batch=2"}) {
    SCOPED_TRACE(spec);
    const auto s = strategy(spec);
    const RunResult a = live(*s, pool), b = replayed(*s, pool);
    EXPECT_EQ(a.consumed, b.consumed);
    EXPECT_EQ(a.selected, b.selected);
    EXPECT_EQ(a.reason, b.reason);
    EXPECT_EQ(a.tokens, b.tokens);
    EXPECT_EQ(a.rounds, b.rounds);
  }
}

// A policy that plays back fixed steps.
class ScriptedPolicy final : public ProblemPolicy {
 public:
  explicit ScriptedPolicy(std::vector<Step> steps, int selection = 0)
      : steps_(std::move(steps)), selection_(selection) {}
  Step next(std::span<const Observation>) override { return steps_.at(call_++); }
  int select(std::span<const Observation>) const override { return selection_; }

 private:
  std::vector<Step> steps_;
  std::size_t call_ = 0;
  int selection_;
};

ProblemRun scripted(std::vector<Step> steps, int budget = 4) {
  return ProblemRun(std::make_unique<ScriptedPolicy>(std::move(steps)), budget, RunName{nullptr, "p9"});
}

const DrawnSample kSample{0.5, 3, std::string("1"), std::nullopt};

TEST(ProblemRun, ChecksThePolicyContractNamingTheProblem) {
  EXPECT_THAT([] { scripted({Step::more(-1)}).start(); },
              ThrowsMessage<Error>(HasSubstr("problem 'p9': policy asked for a negative number of samples")));
  EXPECT_THAT([] { scripted({Step{0, ""}}).start(); },
              ThrowsMessage<Error>(HasSubstr("policy stopped without a reason")));
  EXPECT_THAT([] { scripted({Step::more(5)}).start(); },
              ThrowsMessage<Error>(HasSubstr("policy asked for 5 samples in all, over its budget of 4")));
  const auto over_in_the_second_round = [] {
    ProblemRun run = scripted({Step::more(3), Step::more(2)});
    run.start();
    const std::vector<DrawnSample> three{kSample, kSample, kSample};
    run.feed(three);
  };
  EXPECT_THAT(over_in_the_second_round, ThrowsMessage<Error>(HasSubstr("policy asked for 5 samples in all, over its budget of 4")));
}

TEST(ProblemRun, RefusesSamplesNotAskedForAndStepsBeforeTheyArrive) {
  ProblemRun run = scripted({Step::more(2), Step::stop("done")});
  run.start();
  run.observe(kSample);
  EXPECT_EQ(run.wanted(), 1);
  EXPECT_THAT([&] { run.step(); }, ThrowsMessage<Error>(HasSubstr("1 of the 2 samples asked for not observed yet")));
  run.observe(kSample);
  EXPECT_THAT([&] { run.observe(kSample); },
              ThrowsMessage<Error>(HasSubstr("observed sample 3 but the policy asked for 2")));
  EXPECT_EQ(run.step().reason, "done");
  const RunResult r = run.finish();
  EXPECT_EQ(r.consumed, 2);
  EXPECT_EQ(r.tokens, 6);
  EXPECT_EQ(r.rounds, 1);
  EXPECT_EQ(r.selected, 0);
}

TEST(ProblemRun, RefusesInvalidSamples) {
  ProblemRun run = scripted({Step::more(1)});
  run.start();
  DrawnSample bad = kSample;
  bad.score = 1.5;
  EXPECT_THAT([&] { run.observe(bad); }, ThrowsMessage<Error>(HasSubstr("sample 0: score must be finite and in [0, 1]")));
  bad = kSample;
  bad.tokens = -1;
  EXPECT_THAT([&] { run.observe(bad); }, ThrowsMessage<Error>(HasSubstr("sample 0: tokens must be >= 0")));
}

TEST(ProblemRun, TheRunnersOwnStopForgetsTheRoundNotDrawn) {
  ProblemRun run = scripted({Step::more(1), Step::more(2)});
  run.start();
  run.observe(kSample);
  EXPECT_EQ(run.step().draw, 2);
  run.stop("token-budget");
  EXPECT_TRUE(run.stopped());
  EXPECT_THAT([&] { run.observe(kSample); }, ThrowsMessage<Error>(HasSubstr("after the stop")));
  const RunResult r = run.finish();
  EXPECT_EQ(r.reason, "token-budget");
  EXPECT_EQ(r.consumed, 1);
  EXPECT_EQ(r.rounds, 1);
}

TEST(ProblemRun, KeepsEachSamplesAnswerAndExtractsItFromTheText) {
  ProblemRun run(*strategy("sc:n=3"), problem("p"));
  EXPECT_EQ(run.start().draw, 3);
  run.observe(DrawnSample{0.2, 1, std::nullopt, std::string_view("so \\boxed{12}")});
  run.observe(DrawnSample{0.3, 1, std::string("12"), std::nullopt});
  run.observe(DrawnSample{0.9, 1, std::nullopt, std::string_view("")});
  EXPECT_EQ(run.step().reason, "budget");
  EXPECT_EQ(*run.answer(0), "12");
  EXPECT_FALSE(run.answer(2).has_value());
  EXPECT_TRUE(run.observations()[2].empty);
  EXPECT_EQ(run.observations()[1].answer_class, 0);
  EXPECT_EQ(run.observations()[2].answer_class, -1);
  EXPECT_EQ(run.finish().selected, 0);
}

TEST(ProblemRun, WithoutAnObservationNothingIsSelected) {
  ProblemRun run = scripted({Step::stop("easy")}, 4);
  EXPECT_TRUE(run.start().draw == 0);
  EXPECT_EQ(run.finish().selected, -1);
}

}  // namespace
}  // namespace optscale::policy
