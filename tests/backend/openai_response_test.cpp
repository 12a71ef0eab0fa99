// Parsing completion, judge and error responses in every shape servers send.
#include "optscale/backend/openai_response.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace optscale::backend {
namespace {

TEST(CompletionResponse, ReadsChatChoicesWithPerChoiceTokenCounts) {
  auto r = parse_completion_response(R"({"choices":[
      {"index":1,"message":{"role":"assistant","content":"B"},"finish_reason":"length","completion_tokens":7},
      {"index":0,"message":{"role":"assistant","content":"A"},"finish_reason":"stop","completion_tokens":5}],
      "usage":{"prompt_tokens":3,"completion_tokens":12}})",
                                     true);
  ASSERT_EQ(r.choices.size(), 2u);
  EXPECT_EQ(r.choices[0].text, "A");  // ordered by index
  EXPECT_EQ(r.choices[0].tokens, 5);
  EXPECT_EQ(r.choices[1].finish_reason, "length");
  EXPECT_EQ(r.usage_completion_tokens, 12);
}

TEST(CompletionResponse, FindsTokenCountsInEveryKnownField) {
  const char* chat_shapes[] = {
      R"({"choices":[{"message":{"content":"x"},"usage":{"completion_tokens":4}}]})",
      R"({"choices":[{"message":{"content":"x"},"tokens_predicted":4}]})",
      R"({"choices":[{"message":{"content":"x"},"token_ids":[1,2,3,4]}]})",
      R"({"choices":[{"message":{"content":"x"},"logprobs":{"content":[{},{},{},{}]}}]})",
  };
  for (const char* body : chat_shapes) {
    auto r = parse_completion_response(body, true);
    EXPECT_EQ(r.choices.at(0).tokens, 4) << body;
  }
  auto c = parse_completion_response(R"({"choices":[{"text":"x","logprobs":{"tokens":["a","b"]}}]})", false);
  EXPECT_EQ(c.choices.at(0).tokens, 2);
  auto none = parse_completion_response(R"({"choices":[{"text":"x"}],"usage":{"completion_tokens":9}})", false);
  EXPECT_FALSE(none.choices[0].tokens.has_value());
  EXPECT_EQ(none.usage_completion_tokens, 9);
}

TEST(CompletionResponse, PrependsSplitOffReasoningUnlessAskedNotTo) {
  const char* body = R"({"choices":[{"message":{"content":"\\boxed{2}","reasoning_content":"think"}}]})";
  EXPECT_EQ(parse_completion_response(body, true).choices[0].text, "think\n\n\\boxed{2}");
  EXPECT_EQ(parse_completion_response(body, true, false).choices[0].text, "\\boxed{2}");
  EXPECT_EQ(parse_completion_response(R"({"choices":[{"message":{"content":null}}]})", true).choices[0].text, "");
}

TEST(CompletionResponse, RejectsMalformedBodies) {
  EXPECT_THROW(parse_completion_response("{\"choices\":[", true), MalformedResponse);
  EXPECT_THROW(parse_completion_response("[]", true), MalformedResponse);
  EXPECT_THROW(parse_completion_response(R"({"id":"x"})", true), MalformedResponse);
  EXPECT_THROW(parse_completion_response(R"({"choices":[{"text":"x"}]})", true), MalformedResponse);
  EXPECT_THROW(parse_completion_response(R"({"choices":[{"message":{"content":"x"}}]})", false),
               MalformedResponse);
  EXPECT_THROW(parse_completion_response(R"({"choices":[{"message":{"content":5}}]})", true),
               MalformedResponse);
}

TEST(JudgeResponse, RenormalisesYesOverYesAndNo) {
  double p = *parse_judge_response(R"({"choices":[{"logprobs":{"content":[{"token":"Yes","logprob":-0.1,
      "top_logprobs":[{"token":"Yes","logprob":-0.1},{"token":" yes","logprob":-4.0},{"token":"No","logprob":-2.5},
      {"token":"Maybe","logprob":-6}]}]}}]})",
                                  "Yes", "No");
  double yes = std::exp(-0.1) + std::exp(-4.0), no = std::exp(-2.5);
  EXPECT_NEAR(p, yes / (yes + no), 1e-15);
}

TEST(JudgeResponse, ReadsCompletionsStyleAndDegenerateLists) {
  std::optional<double> p = parse_judge_response(R"({"choices":[{"logprobs":{"top_logprobs":[{"Yes":-1.0,"No":-1.0}]}}]})",
                                  "Yes", "No");
  EXPECT_DOUBLE_EQ(*p, 0.5);
  // Neither verdict word among the top tokens: unreadable, not a "No".
  EXPECT_EQ(parse_judge_response(R"({"choices":[{"logprobs":{"content":[{"token":"Hmm","logprob":-0.01,
      "top_logprobs":[{"token":"Hmm","logprob":-0.01}]}]}}]})",
                                 "Yes", "No"),
            std::nullopt);
  EXPECT_EQ(parse_judge_response(R"({"choices":[{"logprobs":{"content":[{"token":"Yes","logprob":0}]}}]})",
                                 "Yes", "No"),
            1.0);
  EXPECT_THROW(parse_judge_response(R"({"choices":[{"message":{"content":"Yes"}}]})", "Yes", "No"),
               MalformedResponse);
}

TEST(ServerErrorMessage, ReadsTheUsualShapes) {
  EXPECT_EQ(server_error_message(R"({"error":{"message":"bad n"}})"), "bad n");
  EXPECT_EQ(server_error_message(R"({"object":"error","message":"no model"})"), "no model");
  EXPECT_EQ(server_error_message(R"({"detail":"Not Found"})"), "Not Found");
  EXPECT_EQ(server_error_message(""), "(empty body)");
  EXPECT_EQ(server_error_message(std::string(400, 'x')).size(), 303u);
}

}  // namespace
}  // namespace optscale::backend
