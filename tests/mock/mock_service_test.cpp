// The mock server's request handling, without HTTP: problem and sample
// lookup, seeds -> pool order, token counts, scoring shapes, judging,
// embeddings and refusals.
#include "optscale/mock/mock_service.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

namespace optscale::mock {
namespace {

using nlohmann::json;

pool::Sample sample(std::optional<std::string> text, double score, long long tokens,
                    std::vector<double> steps = {}, std::optional<std::string> answer = {}) {
  pool::Sample s;
  s.text = std::move(text);
  s.score = score;
  s.tokens = tokens;
  s.step_scores = std::move(steps);
  s.answer = std::move(answer);
  return s;
}

pool::Pool test_pool() {
  pool::Pool pool;
  pool::Problem p1;
  p1.id = "p1";
  p1.problem = "What is 1+1?";
  p1.samples = {sample("Add them.\n\nSo \\boxed{2}", 0.9, 10),
                sample("I think \\boxed{3}", 0.2, 7),
                sample(std::nullopt, 0.75, 5, {}, "2"),
                sample("a\n\nb", 0.9, 4, {0.8, 1.0}),
                sample("x\n\ny\n\nz", 0.3, 9)};
  pool::Problem p2;
  p2.id = "p2";
  p2.problem = "Compute 2+2.";
  p2.samples = {sample("\\boxed{4}", 0.99, 3)};
  pool::Problem dup_a, dup_b;
  dup_a.id = "dup-a";
  dup_b.id = "dup-b";
  dup_a.problem = dup_b.problem = "Same question?";
  dup_a.samples = dup_b.samples = {sample("yes", 0.5, 1)};
  pool.problems = {p1, p2, dup_a, dup_b};
  return pool;
}

std::string qwen(std::string_view problem, std::string_view response) {
  return "<|im_start|>system\nPlease reason step by step.<|im_end|>\n<|im_start|>user\n" +
         std::string(problem) + "<|im_end|>\n<|im_start|>assistant\n" + std::string(response) +
         "<|im_end|>\n";
}

json post(MockService& service, std::string_view path, const json& body, int expected_status = 200) {
  MockReply reply = service.handle("POST", path, body.dump());
  EXPECT_EQ(reply.status, expected_status) << reply.body;
  return json::parse(reply.body);
}

json chat(std::string_view content, std::optional<long long> seed, int n = 1) {
  json body = {{"model", "m"}, {"messages", {{{"role", "user"}, {"content", content}}}}, {"n", n}};
  if (seed) body["seed"] = *seed;
  return body;
}

TEST(MockService, SeedPicksThePoolSampleAndNTheFollowingOnes) {
  MockService service(test_pool(), {});
  json out = post(service, "/v1/chat/completions", chat("What is 1+1?", 1, 2));
  ASSERT_EQ(out["choices"].size(), 2u);
  EXPECT_EQ(out["choices"][0]["message"]["content"], "I think \\boxed{3}");
  EXPECT_EQ(out["choices"][0]["completion_tokens"], 7);
  EXPECT_EQ(out["choices"][1]["message"]["content"],
            "Sample 2 of problem p1.\n\nThe answer is \\boxed{2}.");
  EXPECT_EQ(out["choices"][1]["completion_tokens"], 5);
  EXPECT_EQ(out["usage"]["completion_tokens"], 12);
  EXPECT_EQ(out["object"], "chat.completion");
}

TEST(MockService, SeedBaseShiftsTheSampleIndex) {
  MockOptions options;
  options.seed_base = 100;
  MockService service(test_pool(), options);
  json out = post(service, "/v1/chat/completions", chat("What is 1+1?", 103));
  EXPECT_EQ(out["choices"][0]["message"]["content"], "a\n\nb");
  post(service, "/v1/chat/completions", chat("What is 1+1?", 99), 400);
}

TEST(MockService, CompletionsFindTheProblemInsideATemplate) {
  MockService service(test_pool(), {});
  json body = {{"model", "m"}, {"prompt", "<|im_start|>user\nCompute 2+2.<|im_end|>\n<|im_start|>assistant\n"},
               {"seed", 0}};
  json out = post(service, "/v1/completions", body);
  EXPECT_EQ(out["choices"][0]["text"], "\\boxed{4}");
  EXPECT_EQ(out["object"], "text_completion");
}

TEST(MockService, AskingBeyondThePoolIsRefusedNamingTheProblem) {
  MockService service(test_pool(), {});
  MockReply reply = service.handle("POST", "/v1/chat/completions", chat("Compute 2+2.", 0, 2).dump());
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(reply.body.find("problem p2 has 1 samples"), std::string::npos) << reply.body;
}

TEST(MockService, SeedlessRequestsGetTheNextUnservedSamples) {
  MockService service(test_pool(), {});
  json first = post(service, "/v1/chat/completions", chat("What is 1+1?", std::nullopt, 2));
  json second = post(service, "/v1/chat/completions", chat("What is 1+1?", std::nullopt, 1));
  EXPECT_EQ(first["choices"][0]["completion_tokens"], 10);
  EXPECT_EQ(first["choices"][1]["completion_tokens"], 7);
  EXPECT_EQ(second["choices"][0]["completion_tokens"], 5);
}

TEST(MockService, MaxChoicesSilentlyReturnsFewer) {
  MockOptions options;
  options.max_choices = 1;
  MockService service(test_pool(), options);
  json out = post(service, "/v1/chat/completions", chat("What is 1+1?", 0, 4));
  EXPECT_EQ(out["choices"].size(), 1u);
}

TEST(MockService, RejectNRefusesSeveralChoices) {
  MockOptions options;
  options.reject_n = true;
  MockService service(test_pool(), options);
  post(service, "/v1/chat/completions", chat("What is 1+1?", 0, 2), 400);
  post(service, "/v1/chat/completions", chat("What is 1+1?", 0, 1), 200);
}

TEST(MockService, TokenCountsCanComeOnlyFromUsageOrTokenIds) {
  MockOptions options;
  options.choice_tokens = false;
  MockService service(test_pool(), options);
  json body = chat("What is 1+1?", 0);
  json out = post(service, "/v1/chat/completions", body);
  EXPECT_FALSE(out["choices"][0].contains("completion_tokens"));
  EXPECT_EQ(out["usage"]["completion_tokens"], 10);
  body["return_token_ids"] = true;
  out = post(service, "/v1/chat/completions", body);
  EXPECT_EQ(out["choices"][0]["token_ids"].size(), 10u);
}

TEST(MockService, PoolingReturnsOneRowPerStepTagAveragingToTheScore) {
  MockService service(test_pool(), {});
  json out = post(service, "/pooling",
                  {{"model", "prm"}, {"input", qwen("What is 1+1?", "x<extra_0>y<extra_0>z<extra_0>")}});
  const json& rows = out["data"][0]["data"];
  ASSERT_EQ(rows.size(), 3u);
  double sum = 0;
  for (const json& row : rows) {
    EXPECT_DOUBLE_EQ(row[0].get<double>() + row[1].get<double>(), 1.0);
    EXPECT_EQ(row[1].get<double>(), 0.3);
    sum += row[1].get<double>();
  }
  EXPECT_NEAR(sum / 3, 0.3, 1e-15);
  EXPECT_EQ(out["object"], "list");
  EXPECT_EQ(out["data"][0]["object"], "pooling");
}

TEST(MockService, PoolingUsesThePoolsStepScoresWhenTheyFit) {
  MockService service(test_pool(), {});
  json out = post(service, "/pooling", {{"input", qwen("What is 1+1?", "a<extra_0>b<extra_0>")}});
  const json& rows = out["data"][0]["data"];
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][1], 0.8);
  EXPECT_EQ(rows[1][1], 1.0);
}

TEST(MockService, PoolingTakesListsAndMessages) {
  MockService service(test_pool(), {});
  json out = post(service, "/pooling",
                  {{"input", {qwen("Compute 2+2.", "\\boxed{4}<extra_0>"),
                              qwen("What is 1+1?", "I think \\boxed{3}<extra_0>")}}});
  ASSERT_EQ(out["data"].size(), 2u);
  EXPECT_EQ(out["data"][0]["data"][0][1], 0.99);
  EXPECT_EQ(out["data"][1]["data"][0][1], 0.2);
  EXPECT_EQ(out["data"][1]["index"], 1);
  json messages = {{"messages", {{{"role", "user"}, {"content", "Compute 2+2."}},
                                 {{"role", "assistant"}, {"content", "\\boxed{4}<extra_0>"}}}}};
  out = post(service, "/pooling", messages);
  EXPECT_EQ(out["data"][0]["data"][0][1], 0.99);
}

TEST(MockService, ScoringAnUnknownTextIsRefused) {
  MockService service(test_pool(), {});
  MockReply reply = service.handle(
      "POST", "/pooling", json{{"input", qwen("Compute 2+2.", "\\boxed{5}<extra_0>")}}.dump());
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(reply.body.find("none of the samples of problem p2"), std::string::npos);
  reply = service.handle("POST", "/pooling", json{{"input", "no template here"}}.dump());
  EXPECT_EQ(reply.status, 400);
}

TEST(MockService, ClassifyReturnsTwoClassProbabilities) {
  MockService service(test_pool(), {});
  json out = post(service, "/classify", {{"input", qwen("What is 1+1?", "I think \\boxed{3}")}});
  EXPECT_EQ(out["data"][0]["probs"][1], 0.2);
  EXPECT_EQ(out["data"][0]["num_classes"], 2);
  EXPECT_EQ(out["data"][0]["label"], "LABEL_0");
}

TEST(MockService, JudgingRequestsAnswerWithTheScoreAsProbabilityOfYes) {
  MockService service(test_pool(), {});
  json body = {{"model", "judge"},
               {"messages", {{{"role", "user"},
                              {"content", "Problem:\nWhat is 1+1?\n\nSolution:\nAdd them.\n\nSo \\boxed{2}\n\nCorrect?"}}}},
               {"logprobs", true}, {"top_logprobs", 5}, {"max_tokens", 1}};
  json out = post(service, "/v1/chat/completions", body);
  const json& choice = out["choices"][0];
  EXPECT_EQ(choice["message"]["content"], "Yes");
  const json& top = choice["logprobs"]["content"][0]["top_logprobs"];
  EXPECT_EQ(top[0]["token"], "Yes");
  EXPECT_NEAR(std::exp(top[0]["logprob"].get<double>()), 0.9, 1e-15);
  EXPECT_NEAR(std::exp(top[1]["logprob"].get<double>()), 0.1, 1e-15);
}

TEST(MockService, EmbeddingsAreDeterministicUnitVectors) {
  MockOptions options;
  options.embedding_dimensions = 16;
  MockService service(test_pool(), options);
  json out = post(service, "/v1/embeddings", {{"input", {"hello world", "hello world"}}});
  ASSERT_EQ(out["data"].size(), 2u);
  EXPECT_EQ(out["data"][0]["embedding"], out["data"][1]["embedding"]);
  double norm = 0;
  for (const json& v : out["data"][0]["embedding"]) norm += v.get<double>() * v.get<double>();
  EXPECT_NEAR(norm, 1.0, 1e-12);
  out = post(service, "/v1/embeddings", {{"input", "x"}, {"dimensions", 8}});
  EXPECT_EQ(out["data"][0]["embedding"].size(), 8u);
}

TEST(MockService, RefusesUnknownModelsProblemsAndBadBodies) {
  MockOptions options;
  options.model = "served";
  MockService service(test_pool(), options);
  MockReply reply = service.handle("POST", "/v1/chat/completions", chat("What is 1+1?", 0).dump());
  EXPECT_EQ(reply.status, 404);
  EXPECT_NE(reply.body.find("does not exist"), std::string::npos);
  json body = chat("Unknown problem", 0);
  body["model"] = "served";
  EXPECT_EQ(service.handle("POST", "/v1/chat/completions", body.dump()).status, 400);
  EXPECT_EQ(service.handle("POST", "/v1/chat/completions", "{not json").status, 400);
  EXPECT_EQ(service.handle("POST", "/nowhere", "{}").status, 404);
}

TEST(MockService, ProblemsSharingATextAreRefusedAndReported) {
  MockService service(test_pool(), {});
  MockReply reply = service.handle("POST", "/v1/chat/completions", chat("Same question?", 0).dump());
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(reply.body.find("dup-a, dup-b"), std::string::npos) << reply.body;
  ASSERT_FALSE(service.index().warnings().empty());
}

TEST(MockService, HealthAndModels) {
  MockService service(test_pool(), {});
  EXPECT_EQ(service.handle("GET", "/health", "").status, 200);
  json models = json::parse(service.handle("GET", "/v1/models", "").body);
  EXPECT_EQ(models["data"][0]["id"], "optscale-mock");
  const MockReply one = service.handle("GET", "/v1/models/optscale-mock", "");
  EXPECT_EQ(one.status, 200);
  EXPECT_EQ(json::parse(one.body)["object"], "model");
  EXPECT_EQ(service.handle("GET", "/v1/models/other", "").status, 404);
}

std::vector<float> decode_float32_base64(const std::string& text) {
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string bytes;
  unsigned value = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    value = (value << 6) | static_cast<unsigned>(alphabet.find(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push_back(static_cast<char>((value >> bits) & 0xff));
    }
  }
  std::vector<float> out(bytes.size() / 4);
  std::memcpy(out.data(), bytes.data(), out.size() * 4);
  return out;
}

TEST(MockService, EmbeddingsComeAsBase64Float32sWhenAsked) {
  MockService service(test_pool(), {});
  const json plain = post(service, "/v1/embeddings", {{"input", "hello"}});
  const json packed = post(service, "/v1/embeddings", {{"input", "hello"}, {"encoding_format", "base64"}});
  const std::vector<float> decoded = decode_float32_base64(packed["data"][0]["embedding"].get<std::string>());
  ASSERT_EQ(decoded.size(), plain["data"][0]["embedding"].size());
  for (std::size_t i = 0; i < decoded.size(); ++i)
    EXPECT_EQ(decoded[i], static_cast<float>(plain["data"][0]["embedding"][i].get<double>())) << i;
  post(service, "/v1/embeddings", {{"input", "hello"}, {"encoding_format", "int8"}}, 400);
}

// The events of a stream, parsed; "[DONE]" last.
std::vector<json> stream_events(const MockReply& reply) {
  EXPECT_EQ(reply.content_type, "text/event-stream");
  std::vector<json> events;
  std::size_t start = 0;
  for (std::size_t end; (end = reply.body.find("\n\n", start)) != std::string::npos; start = end + 2) {
    const std::string event = reply.body.substr(start, end - start);
    EXPECT_EQ(event.rfind("data: ", 0), 0u) << event;
    events.push_back(event == "data: [DONE]" ? json("[DONE]") : json::parse(event.substr(6)));
  }
  EXPECT_EQ(start, reply.body.size());
  return events;
}

TEST(MockService, StreamsChatAndCompletionsAsServerSentEvents) {
  MockService service(test_pool(), {});
  json body = chat("What is 1+1?", 1);
  body["stream"] = true;
  body["stream_options"] = {{"include_usage", true}};
  std::vector<json> events = stream_events(service.handle("POST", "/v1/chat/completions", body.dump()));
  ASSERT_GE(events.size(), 4u);
  EXPECT_EQ(events.back(), "[DONE]");
  std::string text;
  for (const json& e : events)
    if (e.is_object() && !e["choices"].empty() && e["choices"][0]["delta"].contains("content"))
      text += e["choices"][0]["delta"]["content"].get<std::string>();
  EXPECT_EQ(text, "I think \\boxed{3}");
  EXPECT_EQ(events[events.size() - 3]["choices"][0]["finish_reason"], "stop");
  EXPECT_EQ(events[events.size() - 2]["usage"]["completion_tokens"], 7);

  json completion = {{"prompt", "What is 1+1?"}, {"seed", 0}, {"stream", true}};
  events = stream_events(service.handle("POST", "/v1/completions", completion.dump()));
  text.clear();
  for (const json& e : events)
    if (e.is_object()) text += e["choices"][0]["text"].get<std::string>();
  EXPECT_EQ(text, "Add them.\n\nSo \\boxed{2}");
  EXPECT_EQ(events[events.size() - 2]["object"], "text_completion");
}

}  // namespace
}  // namespace optscale::mock

namespace optscale::mock {
namespace {

TEST(MockService, SeedsFarOutsideThePoolWrapAroundIt) {
  MockService service(test_pool(), {});
  // What the proxy derives for a client that sends no seed: served, not refused.
  const long long derived = 395340482;
  json far = post(service, "/v1/chat/completions", chat("What is 1+1?", derived, 2));
  json near = post(service, "/v1/chat/completions", chat("What is 1+1?", derived % 5, 1));
  EXPECT_EQ(far["choices"][0]["message"]["content"], near["choices"][0]["message"]["content"]);
  EXPECT_EQ(far["choices"].size(), 2u);
}

TEST(MockService, ASeedJustPastThePoolSaysWhichSeedsWork) {
  MockService service(test_pool(), {});
  MockReply reply = service.handle("POST", "/v1/chat/completions", chat("Compute 2+2.", 5, 1).dump());
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(reply.body.find("send a seed from 0 to 0, none (the next unserved samples)"), std::string::npos)
      << reply.body;
}

}  // namespace
}  // namespace optscale::mock
