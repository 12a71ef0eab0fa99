// A live run's per-problem result: the line it writes, read back for a
// resumed run, and counted by the summary from the struct itself.
#include "optscale/engine/problem_result.hpp"

#include <gtest/gtest.h>

#include "optscale/engine/controller.hpp"
#include "optscale/util/error.hpp"

namespace optscale::engine {
namespace {

ProblemResult graded_result() {
  ProblemResult r;
  r.id = "p1";
  r.answer = "5";
  r.text = "so the answer is \\boxed{5}";
  r.selected = 1;
  r.samples_used = 3;
  r.tokens = 120;
  r.scores = {0.25, 0.75, 0.5};
  r.stop_reason = "consistent";
  r.failed.push_back({{"draw", 2}, {"stage", "score"}, {"reason", "HTTP 500"}});
  r.correct = true;
  return r;
}

TEST(ProblemResult, LineKeepsItsKeyOrderAndRoundTrips) {
  const ProblemResult r = graded_result();
  const std::string line = r.to_json().dump();
  EXPECT_EQ(line,
            R"({"id":"p1","answer":"5","text":"so the answer is \\boxed{5}","selected":1,"samples_used":3,)"
            R"("tokens":120,"scores":[0.25,0.75,0.5],"stop_reason":"consistent",)"
            R"("failed":[{"draw":2,"stage":"score","reason":"HTTP 500"}],"correct":true})");
  EXPECT_EQ(ProblemResult::from_json(nlohmann::json::parse(line), "line 1").to_json().dump(), line);

  ProblemResult none;
  none.id = "p2";
  none.stop_reason = "budget";
  const std::string bare = none.to_json().dump();
  EXPECT_EQ(bare, R"({"id":"p2","answer":null,"text":null,"selected":-1,"samples_used":0,"tokens":0,)"
                  R"("scores":[],"stop_reason":"budget"})");
  EXPECT_EQ(ProblemResult::from_json(nlohmann::json::parse(bare), "line 2").to_json().dump(), bare);
}

TEST(ProblemResult, ABrokenStoredLineNamesWhereAndTheField) {
  try {
    ProblemResult::from_json(nlohmann::json::parse(R"({"id":"p1"})"), "the stored result of problem p1");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "the stored result of problem p1: missing field 'answer'");
  }
  EXPECT_THROW(ProblemResult::from_json(nlohmann::json::parse(R"({"id":1,"answer":null,"text":null})"), "x"), Error);
}

TEST(ProblemResult, TheSummaryCountsTheStruct) {
  RunSummary summary;
  count_result(summary, graded_result());
  ProblemResult wrong = graded_result();
  wrong.correct = false;
  wrong.stop_reason = "budget";
  count_result(summary, wrong);
  ProblemResult ungraded = graded_result();
  ungraded.correct.reset();
  count_result(summary, ungraded);
  EXPECT_EQ(summary.samples, 9);
  EXPECT_EQ(summary.tokens, 360);
  EXPECT_EQ(summary.graded, 2u);
  EXPECT_EQ(summary.correct, 1u);
  EXPECT_EQ(summary.stop_reasons["consistent"], 2u);
  EXPECT_EQ(summary.stop_reasons["budget"], 1u);
}

}  // namespace
}  // namespace optscale::engine
