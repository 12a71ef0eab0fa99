// The answer on the wire: which sample is returned, usage over every sample,
// the `optscale` report, and the SSE stream that reassembles to the same text.
#include "optscale/server/chat_completion.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "optscale/server/answer_summary.hpp"
#include "optscale/util/error.hpp"
#include "optscale/util/invariant.hpp"
#include "proxy_fakes.hpp"

namespace optscale::server {
namespace {

using nlohmann::json;
using testing::three_samples;

const CompletionHeader kHeader{"chatcmpl-test", 1700000000, "qwen"};

TEST(AnswerSummary, ReportsThePolicysChoiceAndEveryToken) {
  const AnswerSummary summary = summarize_answer(three_samples(), 8, "optscale-seq:n=8");
  EXPECT_EQ(summary.returned, 1);
  EXPECT_EQ(summary.selection, "policy");
  EXPECT_EQ(summary.samples, 3);
  EXPECT_EQ(summary.completion_tokens, 60);
  EXPECT_EQ(summary.best_score, 0.97);
  const json& r = summary.report;
  EXPECT_EQ(r["policy"], "optscale-seq:n=8");
  EXPECT_EQ(r["samples"], 3);
  EXPECT_EQ(r["budget"], 8);
  EXPECT_EQ(r["budget_saved"], 5);
  EXPECT_EQ(r["stop_reason"], "target-reached");
  EXPECT_EQ(r["best_score"], 0.97);
  EXPECT_EQ(r["selected_index"], 1);
  EXPECT_EQ(r["selected_score"], 0.97);
  EXPECT_EQ(r["scores"], json::array({0.4, 0.97, 0.6}));
  EXPECT_EQ(r["sample_tokens"], json::array({10, 20, 30}));
  EXPECT_EQ(r["completion_tokens"], 60);
}

TEST(AnswerSummary, WithoutAPolicyChoiceTheBestNonEmptySampleIsReturned) {
  AnswerResult result = three_samples();
  result.selected = -1;
  result.samples[1].text = "";  // the best score, but empty
  const AnswerSummary summary = summarize_answer(result, 3, "sc:n=3");
  EXPECT_EQ(summary.returned, 2);
  EXPECT_EQ(summary.selection, "best-score");
  EXPECT_EQ(summary.best_score, 0.97);
  EXPECT_EQ(summary.report["selected_score"], 0.6);

  for (auto& sample : result.samples) sample.text = "";
  const AnswerSummary none = summarize_answer(result, 3, "sc:n=3");
  EXPECT_EQ(none.returned, -1);
  EXPECT_EQ(none.selection, "none");
  EXPECT_TRUE(none.report["selected_index"].is_null());
  EXPECT_EQ(json::parse(completion_body(kHeader, result, none))["choices"][0]["message"]["content"], "");
}

// What the answerer drove through policy::ProblemRun (a sample drawn, within
// the budget, a selection inside) is an invariant; the samples' scores and
// tokens come from upstream and are checked as errors.
TEST(AnswerSummary, InconsistentResultsAreErrors) {
  AnswerResult empty;
  EXPECT_THROW(summarize_answer(empty, 4, "p"), InvariantError);
  EXPECT_THROW(summarize_answer(three_samples(), 2, "p"), InvariantError);  // more than the budget
  AnswerResult bad = three_samples();
  bad.selected = 3;
  EXPECT_THROW(summarize_answer(bad, 4, "p"), InvariantError);
  bad = three_samples();
  bad.samples[0].score = 1.5;
  EXPECT_THROW(summarize_answer(bad, 4, "p"), Error);
  bad.samples[0].score = std::nan("");
  EXPECT_THROW(summarize_answer(bad, 4, "p"), Error);
  bad = three_samples();
  bad.samples[2].tokens = -1;
  EXPECT_THROW(summarize_answer(bad, 4, "p"), Error);
}

TEST(CompletionBody, IsOneChoiceWithUsageOverAllSamples) {
  const AnswerResult result = three_samples();
  const AnswerSummary summary = summarize_answer(result, 8, "optscale-seq:n=8");
  const json body = json::parse(completion_body(kHeader, result, summary));
  EXPECT_EQ(body["id"], "chatcmpl-test");
  EXPECT_EQ(body["object"], "chat.completion");
  EXPECT_EQ(body["created"], 1700000000);
  EXPECT_EQ(body["model"], "qwen");
  ASSERT_EQ(body["choices"].size(), 1u);
  EXPECT_EQ(body["choices"][0]["index"], 0);
  EXPECT_EQ(body["choices"][0]["message"], json({{"role", "assistant"}, {"content", "second answer, the best"}}));
  EXPECT_EQ(body["choices"][0]["finish_reason"], "stop");
  EXPECT_EQ(body["usage"], json({{"prompt_tokens", 7}, {"completion_tokens", 60}, {"total_tokens", 67}}));
  EXPECT_EQ(body["optscale"], summary.report);
}

TEST(CompletionEvents, StreamTheSameAnswerAndEndWithDone) {
  AnswerResult result = three_samples();
  result.samples[1].text = "Step 1: add.\n\nStep 2: the answer is \\boxed{4}. Ünïcödé → ✓ and a long tail of words";
  result.samples[1].finish_reason = "length";
  const AnswerSummary summary = summarize_answer(result, 8, "p");
  const std::vector<std::string> events = completion_events(kHeader, result, summary, true, 8);
  ASSERT_GE(events.size(), 6u);
  EXPECT_EQ(events.back(), "data: [DONE]\n\n");
  std::string text;
  json finish, usage;
  for (std::size_t i = 0; i + 1 < events.size(); ++i) {
    const std::string& event = events[i];
    ASSERT_EQ(event.rfind("data: ", 0), 0u) << event;
    ASSERT_EQ(event.substr(event.size() - 2), "\n\n");
    const json chunk = json::parse(event.substr(6));
    EXPECT_EQ(chunk["id"], "chatcmpl-test");
    EXPECT_EQ(chunk["object"], "chat.completion.chunk");
    EXPECT_EQ(chunk["model"], "qwen");
    if (i == 0) EXPECT_EQ(chunk["choices"][0]["delta"]["role"], "assistant");
    if (chunk["choices"].empty()) {
      usage = chunk["usage"];
      continue;
    }
    EXPECT_TRUE(chunk["usage"].is_null());
    const json& choice = chunk["choices"][0];
    if (choice["delta"].contains("content")) text += choice["delta"]["content"].get<std::string>();
    if (!choice["finish_reason"].is_null()) finish = chunk;
  }
  EXPECT_EQ(text, result.samples[1].text);
  EXPECT_EQ(finish["choices"][0]["finish_reason"], "length");
  EXPECT_EQ(finish["optscale"], summary.report);
  EXPECT_EQ(usage, json({{"prompt_tokens", 7}, {"completion_tokens", 60}, {"total_tokens", 67}}));

  // Without include_usage there is no usage chunk and no usage key.
  const std::vector<std::string> plain = completion_events(kHeader, result, summary, false, 8);
  EXPECT_EQ(plain.size(), events.size() - 1);
  for (std::size_t i = 0; i + 1 < plain.size(); ++i)
    EXPECT_FALSE(json::parse(plain[i].substr(6)).contains("usage"));
}

TEST(SplitForStreaming, PiecesReassembleAndNeverCutACharacter) {
  const std::string text = "aaaa bbbbbbbbbbbbbbbbbbbb ccc\nd ééééééé ✓✓✓✓ 😀😀 end";
  for (std::size_t max : {4u, 5u, 7u, 16u, 200u}) {
    std::string joined;
    for (std::string_view piece : split_for_streaming(text, max)) {
      EXPECT_LE(piece.size(), max);
      EXPECT_FALSE(piece.empty());
      // A piece never starts with a UTF-8 continuation byte.
      EXPECT_NE(static_cast<unsigned char>(piece.front()) & 0xC0, 0x80) << max;
      joined += piece;
    }
    EXPECT_EQ(joined, text) << max;
  }
  EXPECT_TRUE(split_for_streaming("", 8).empty());
  EXPECT_EQ(split_for_streaming("one two three", 8).front(), "one two ");
  EXPECT_EQ(split_for_streaming("one twothree", 8).front(), "one ");
  EXPECT_THROW(split_for_streaming("abc", 3), Error);
}

}  // namespace
}  // namespace optscale::server
