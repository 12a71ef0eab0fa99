// The proxy's EngineAnswerer with the real generator and scorer against an
// in-process mock server: the policy's samples with their seeds, scores and
// tokens, servers without `n`, failures mapped to the proxy's error kinds,
// cancellation. Also the generator's chat bodies built from a client's body.
#include "optscale/server/engine_answerer.hpp"

#include <gtest/gtest.h>

#include <mutex>

#include "../backend/mock_fixture.hpp"
#include "optscale/policy/spec.hpp"

namespace optscale::server {
namespace {

using nlohmann::json;
using testing::RunningMock;

backend::GeneratorConfig generator_config(const RunningMock& mock) {
  backend::GeneratorConfig config;
  config.endpoints = {mock.v1()};
  config.model = "m";
  config.retry.base_delay_s = 0.001;
  config.retry.max_delay_s = 0.01;
  config.retry.max_attempts = 3;
  return config;
}

backend::ScorerConfig scorer_config(const RunningMock& mock) {
  backend::ScorerConfig config;
  config.endpoints = {mock.root()};
  config.model = "prm";
  config.retry.base_delay_s = 0.001;
  config.retry.max_delay_s = 0.01;
  config.retry.max_attempts = 3;
  return config;
}

json chat_of(const std::string& problem) {
  return {{"model", "m"}, {"messages", {{{"role", "user"}, {"content", problem}}}}};
}

struct Answering {
  explicit Answering(const RunningMock& mock, backend::GeneratorConfig g, int in_flight = 4)
      : generator(std::move(g)), scorer(backend::make_scorer(scorer_config(mock))),
        answerer(generator, *scorer, EngineAnswererOptions{in_flight}) {}
  explicit Answering(const RunningMock& mock) : Answering(mock, generator_config(mock)) {}
  backend::Generator generator;
  std::unique_ptr<backend::Scorer> scorer;
  EngineAnswerer answerer;
};

AnswerRequest request_for(const RunningMock& mock, int problem, const policy::Strategy& strategy, long long seed = 0) {
  AnswerRequest request;
  request.problem = mock.pool.problems[static_cast<std::size_t>(problem)].problem;
  request.chat_body = chat_of(request.problem);
  request.strategy = &strategy;
  request.seed = seed;
  return request;
}

TEST(GeneratorChatBody, ClientFieldsWinAndTheGeneratorOwnsNAndSeed) {
  backend::GeneratorConfig config;
  config.endpoints = {"http://127.0.0.1:1/v1"};
  config.model = "default-model";
  config.temperature = 0.7;
  config.max_tokens = 100;
  config.extra_body = {{"top_k", 20}, {"repetition_penalty", 1.1}};
  backend::Generator generator(config);
  json client = chat_of("p");
  client["model"] = "client-model";
  client["temperature"] = 0.2;
  client["top_k"] = 5;
  client["n"] = 7;
  const json body = json::parse(generator.chat_request_body(client, 42, 3));
  EXPECT_EQ(body["model"], "client-model");
  EXPECT_EQ(body["temperature"], 0.2);
  EXPECT_EQ(body["max_tokens"], 100);
  EXPECT_EQ(body["top_k"], 5);
  EXPECT_EQ(body["repetition_penalty"], 1.1);
  EXPECT_EQ(body["n"], 3);
  EXPECT_EQ(body["seed"], 42);
  EXPECT_EQ(body["messages"], client["messages"]);

  json bare = chat_of("p");
  bare.erase("model");
  const json single = json::parse(generator.chat_request_body(bare, 1, 1));
  EXPECT_EQ(single["model"], "default-model");
  EXPECT_FALSE(single.contains("n"));
  EXPECT_THROW(generator.chat_request_body(json::array(), 0, 1), Error);
}

TEST(EngineAnswerer, DrawsThePolicysSamplesWithConsecutiveSeedsAndScoresThem) {
  RunningMock mock;
  Answering answering(mock);
  const auto strategy = policy::make_strategy(policy::parse_spec("bon:n=5"));
  const AnswerResult result = answering.answerer.answer(request_for(mock, 1, *strategy, 2));
  const auto& samples = mock.pool.problems[1].samples;
  ASSERT_EQ(result.samples.size(), 5u);
  int best = 0;
  for (int k = 0; k < 5; ++k) {
    const auto& expected = samples[static_cast<std::size_t>(k + 2)];
    EXPECT_EQ(result.samples[k].text, *expected.text) << k;
    EXPECT_EQ(result.samples[k].tokens, expected.tokens) << k;
    EXPECT_NEAR(result.samples[k].score, expected.score, 1e-9) << k;
    if (expected.score > samples[static_cast<std::size_t>(best + 2)].score) best = k;
  }
  EXPECT_EQ(result.selected, best);
  EXPECT_EQ(result.stop_reason, "budget");
  EXPECT_GT(result.prompt_tokens, 0);
  EXPECT_EQ(result.model, "m");
}

TEST(EngineAnswerer, AdaptivePolicyStopsWithinItsBudget) {
  RunningMock mock;
  Answering answering(mock);
  const auto strategy = policy::make_strategy(policy::parse_spec("optscale-seq:n=8,batch=2"));
  const AnswerResult result = answering.answerer.answer(request_for(mock, 0, *strategy));
  ASSERT_GE(result.samples.size(), 1u);
  EXPECT_LE(result.samples.size(), 8u);
  EXPECT_FALSE(result.stop_reason.empty());
  EXPECT_GE(result.selected, -1);
  EXPECT_LT(result.selected, static_cast<int>(result.samples.size()));
}

TEST(EngineAnswerer, ServersRefusingNGetOneRequestPerSample) {
  mock::MockOptions service;
  service.reject_n = true;
  RunningMock mock(service);
  Answering answering(mock);
  const auto strategy = policy::make_strategy(policy::parse_spec("bon:n=4"));
  const AnswerResult result = answering.answerer.answer(request_for(mock, 2, *strategy));
  ASSERT_EQ(result.samples.size(), 4u);
  for (int k = 0; k < 4; ++k) EXPECT_EQ(result.samples[k].text, *mock.pool.problems[2].samples[k].text) << k;
  EXPECT_EQ(answering.generator.samples_per_request(), 1);
}

// A sample the upstream refuses alone (llama.cpp's 500 on invalid UTF-8) is
// left out and replaced by the next draw; the request is still answered.
TEST(EngineAnswerer, ASampleRefusedAloneIsLeftOutAndReplaced) {
  mock::MockOptions service;
  service.failing_samples = {{"q1", 2}};
  RunningMock mock(service);
  backend::GeneratorConfig g = generator_config(mock);
  g.choices_mode = backend::ChoicesMode::single;
  Answering answering(mock, g, 1);
  const auto strategy = policy::make_strategy(policy::parse_spec("bon:n=4"));
  const AnswerResult result = answering.answerer.answer(request_for(mock, 1, *strategy, 0));
  ASSERT_EQ(result.samples.size(), 4u);
  EXPECT_EQ(result.failed_samples, 1);
  EXPECT_NE(result.last_failure.find("invalid UTF-8"), std::string::npos) << result.last_failure;
  const auto& samples = mock.pool.problems[1].samples;
  for (int k = 0; k < 4; ++k)  // draws 0, 1, 3, 4: draw 2 failed and draw 4 replaced it
    EXPECT_EQ(result.samples[k].text, *samples[static_cast<std::size_t>(k < 2 ? k : k + 1)].text) << k;
}

TEST(EngineAnswerer, FailingUpstreamIsUnavailableAndEveryFailedAttemptIsReported) {
  mock::MockServerOptions options;
  options.faults.error_rate = 1.0;
  RunningMock mock({}, options);
  Answering answering(mock);
  const auto strategy = policy::make_strategy(policy::parse_spec("bon:n=2"));
  AnswerRequest request = request_for(mock, 0, *strategy);
  std::mutex mutex;
  std::vector<std::string> kinds;
  request.on_upstream_error = [&](std::string_view kind) {
    std::lock_guard lock(mutex);
    kinds.emplace_back(kind);
  };
  try {
    answering.answerer.answer(request);
    FAIL() << "no error";
  } catch (const UpstreamError& error) {
    EXPECT_EQ(error.kind(), UpstreamError::Kind::unavailable);
  }
  // The refused n=2, then max_attempts (3) with n=1: a failed n > 1 is checked
  // with n = 1, and its retries send n = 1.
  ASSERT_EQ(kinds.size(), 4u);
  for (const auto& kind : kinds) EXPECT_EQ(kind, "server_error");
}

TEST(EngineAnswerer, HangingUpstreamIsATimeout) {
  mock::MockServerOptions options;
  options.faults.hang_rate = 1.0;
  options.faults.hang_ms = 20000;
  RunningMock mock({}, options);
  backend::GeneratorConfig config = generator_config(mock);
  config.timeout = std::chrono::milliseconds(200);
  config.retry.max_attempts = 1;
  Answering answering(mock, config);
  const auto strategy = policy::make_strategy(policy::parse_spec("bon:n=1"));
  try {
    answering.answerer.answer(request_for(mock, 0, *strategy));
    FAIL() << "no error";
  } catch (const UpstreamError& error) {
    EXPECT_EQ(error.kind(), UpstreamError::Kind::timeout);
  }
}

TEST(EngineAnswerer, ACancelledRequestStopsItsTransfers) {
  mock::MockServerOptions options;
  options.faults.hang_rate = 1.0;
  options.faults.hang_ms = 60000;
  RunningMock mock({}, options);
  Answering answering(mock);
  const auto strategy = policy::make_strategy(policy::parse_spec("bon:n=2"));
  std::atomic<bool> cancel{false};
  AnswerRequest request = request_for(mock, 0, *strategy);
  request.cancel = &cancel;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cancel = true;
  });
  EXPECT_THROW(answering.answerer.answer(request), AnswerCancelled);
  canceller.join();
}

TEST(EngineAnswerer, RefusesBadOptions) {
  backend::GeneratorConfig g;
  g.endpoints = {"http://127.0.0.1:1/v1"};
  g.model = "m";
  backend::Generator generator(g);
  backend::ScorerConfig s;
  s.endpoints = {"http://127.0.0.1:1"};
  s.model = "prm";
  auto scorer = backend::make_scorer(s);
  EXPECT_THROW(EngineAnswerer(generator, *scorer, EngineAnswererOptions{0}), Error);
}

}  // namespace
}  // namespace optscale::server
