// The generator against a real (in-process) mock server: n handling and its
// fallbacks, token accounting, retries through every injected fault,
// replicas, API keys, cancellation.
#include "optscale/backend/generator.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "mock_fixture.hpp"
#include "optscale/mock/mock_personality.hpp"

namespace optscale::backend {
namespace {

using testing::RunningMock;

GeneratorConfig config_for(const RunningMock& mock) {
  GeneratorConfig config;
  config.endpoints = {mock.v1()};
  config.model = "m";
  config.retry.base_delay_s = 0.001;
  config.retry.max_delay_s = 0.01;
  return config;
}

struct Notices {
  std::vector<std::string> lines;
  std::mutex mutex;
  std::function<void(const std::string&)> sink() {
    return [this](const std::string& line) {
      std::lock_guard lock(mutex);
      lines.push_back(line);
    };
  }
};

void expect_pool_sample(const RunningMock& mock, int problem, int index, const GeneratedSample& got) {
  const auto& s = mock.pool.problems[problem].samples[index];
  EXPECT_EQ(got.text, *s.text);
  EXPECT_EQ(got.tokens, s.tokens);
}

TEST(Generator, DrawsSeveralSamplesPerRequestWhenNIsHonoured) {
  RunningMock mock;
  Generator generator(config_for(mock));
  auto samples = generator.generate(mock.pool.problems[1].problem, 2, 3, {});
  ASSERT_EQ(samples.size(), 3u);
  for (int j = 0; j < 3; ++j) expect_pool_sample(mock, 1, 2 + j, samples[j]);
  EXPECT_EQ(generator.samples_per_request(), 16);
}

TEST(Generator, FallsBackToOneSamplePerRequestWhenTheServerSilentlyReturnsFewer) {
  mock::MockOptions service;
  service.max_choices = 1;
  RunningMock mock(service);
  Notices notices;
  Generator generator(config_for(mock), notices.sink());
  auto first = generator.generate(mock.pool.problems[0].problem, 0, 4, {});
  ASSERT_EQ(first.size(), 1u);
  expect_pool_sample(mock, 0, 0, first[0]);
  EXPECT_EQ(generator.samples_per_request(), 1);
  ASSERT_EQ(notices.lines.size(), 1u);
  EXPECT_NE(notices.lines[0].find("returned 1 of 4"), std::string::npos);
  auto next = generator.generate(mock.pool.problems[0].problem, 1, 3, {});
  ASSERT_EQ(next.size(), 1u);
  expect_pool_sample(mock, 0, 1, next[0]);
  EXPECT_EQ(notices.lines.size(), 1u);  // warned once
}

TEST(Generator, FallsBackWhenNIsRefused) {
  mock::MockOptions service;
  service.reject_n = true;
  RunningMock mock(service);
  Notices notices;
  Generator generator(config_for(mock), notices.sink());
  // The refusal of n = 2 is checked by asking for the first sample alone,
  // which is kept; the rest come one per request.
  auto first = generator.generate(mock.pool.problems[2].problem, 0, 2, {});
  ASSERT_EQ(first.size(), 1u);
  expect_pool_sample(mock, 2, 0, first[0]);
  EXPECT_EQ(generator.samples_per_request(), 1);
  ASSERT_EQ(notices.lines.size(), 1u);
  EXPECT_NE(notices.lines[0].find("refused n=2"), std::string::npos) << notices.lines[0];
  auto second = generator.generate(mock.pool.problems[2].problem, 1, 1, {});
  ASSERT_EQ(second.size(), 1u);
  expect_pool_sample(mock, 2, 1, second[0]);
}

TEST(Generator, ARequestRefusedWithAndWithoutNIsAnErrorNotAFallBack) {
  RunningMock mock;
  Notices notices;
  Generator generator(config_for(mock), notices.sink());
  const int before = generator.samples_per_request();
  ASSERT_GT(before, 1);
  // Seeds past the pool's samples: the mock refuses them whatever n is.
  try {
    generator.generate(mock.pool.problems[0].problem, 1000, 2, {});  // below the mock's wrap-around seeds (1 << 16)
    FAIL() << "expected BackendError";
  } catch (const BackendError& e) {
    EXPECT_NE(std::string(e.what()).find("refused (HTTP 400)"), std::string::npos) << e.what();
  }
  EXPECT_EQ(generator.samples_per_request(), before);
  EXPECT_TRUE(notices.lines.empty());
  auto two = generator.generate(mock.pool.problems[0].problem, 0, 2, {});
  ASSERT_EQ(two.size(), 2u);
  expect_pool_sample(mock, 0, 1, two[1]);
}

TEST(Generator, WithoutPerChoiceCountsUsesUsageOnlyForSingleChoices) {
  mock::MockOptions service;
  service.choice_tokens = false;
  RunningMock mock(service);
  Notices notices;
  Generator generator(config_for(mock), notices.sink());
  EXPECT_TRUE(generator.generate(mock.pool.problems[0].problem, 0, 3, {}).empty());
  ASSERT_EQ(notices.lines.size(), 1u);
  EXPECT_NE(notices.lines[0].find("per-choice token counts"), std::string::npos);
  auto one = generator.generate(mock.pool.problems[0].problem, 6, 1, {});
  ASSERT_EQ(one.size(), 1u);
  expect_pool_sample(mock, 0, 6, one[0]);
}

TEST(Generator, TokenIdsKeepNativeNWithoutPerChoiceFields) {
  mock::MockOptions service;
  service.choice_tokens = false;
  RunningMock mock(service);
  GeneratorConfig config = config_for(mock);
  config.extra_body = {{"return_token_ids", true}};
  Generator generator(config);
  auto samples = generator.generate(mock.pool.problems[0].problem, 0, 3, {});
  ASSERT_EQ(samples.size(), 3u);
  for (int j = 0; j < 3; ++j) expect_pool_sample(mock, 0, j, samples[j]);
}

// llama.cpp answers n > its slots with a 500; the same request with n = 1
// works, so the generator falls back, and the requests record what was sent.
TEST(Generator, AFailedNOfAnyStatusIsCheckedOnceWithNOne) {
  mock::MockOptions service;
  mock::apply_mock_personality("llama.cpp", service);  // 4 slots
  RunningMock mock(service);
  Notices notices;
  Generator generator(config_for(mock), notices.sink());
  std::vector<AttemptRecord> attempts;
  RequestContext context;
  context.on_attempt = [&](const AttemptRecord& r) { attempts.push_back(r); };
  auto samples = generator.generate(mock.pool.problems[0].problem, 2, 8, context);
  ASSERT_EQ(samples.size(), 1u);
  expect_pool_sample(mock, 0, 2, samples[0]);
  EXPECT_EQ(generator.samples_per_request(), 1);
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].count, 8);
  EXPECT_EQ(attempts[0].http_status, 500);
  EXPECT_NE(attempts[0].error.find("number of slots"), std::string::npos) << attempts[0].error;
  EXPECT_EQ(attempts[1].count, 1);
  EXPECT_FALSE(attempts[1].failure.has_value());
  ASSERT_EQ(notices.lines.size(), 1u);
  EXPECT_NE(notices.lines[0].find("refused n=8 (HTTP 500"), std::string::npos) << notices.lines[0];
}

// llama.cpp within its slots: choices without token counts, usage of the
// first choice only. Those choices are dropped and counted as waste; its
// chat endpoint counts per choice with "logprobs": true.
TEST(Generator, ChoicesWithoutCountsAreWasteUnlessLogprobsCountThem) {
  mock::MockOptions service;
  mock::apply_mock_personality("llama.cpp", service);
  RunningMock mock(service);
  {
    Generator generator(config_for(mock));
    std::vector<AttemptRecord> attempts;
    RequestContext context;
    context.on_attempt = [&](const AttemptRecord& r) { attempts.push_back(r); };
    EXPECT_TRUE(generator.generate(mock.pool.problems[1].problem, 0, 3, context).empty());
    ASSERT_EQ(attempts.size(), 1u);
    EXPECT_EQ(attempts[0].count, 3);
    EXPECT_EQ(attempts[0].wasted_tokens, mock.pool.problems[1].samples[0].tokens);  // usage: first choice only
    EXPECT_EQ(generator.samples_per_request(), 1);
  }
  GeneratorConfig config = config_for(mock);
  config.extra_body = {{"logprobs", true}};
  Generator generator(config);
  auto samples = generator.generate(mock.pool.problems[1].problem, 0, 3, {});
  ASSERT_EQ(samples.size(), 3u);
  for (int j = 0; j < 3; ++j) expect_pool_sample(mock, 1, j, samples[j]);
  EXPECT_EQ(generator.samples_per_request(), 16);
}

TEST(Generator, NativeNWithoutPerChoiceCountsFailsAtOnceNamingTheModeToUse) {
  mock::MockOptions service;
  mock::apply_mock_personality("sglang", service);
  RunningMock mock(service);
  GeneratorConfig config = config_for(mock);
  config.choices_mode = ChoicesMode::native;
  Generator generator(config);
  std::vector<AttemptRecord> attempts;
  RequestContext context;
  context.on_attempt = [&](const AttemptRecord& r) { attempts.push_back(r); };
  try {
    generator.generate(mock.pool.problems[0].problem, 0, 4, context);
    FAIL() << "expected a BackendError";
  } catch (const BackendError& e) {
    EXPECT_EQ(e.kind, FailureKind::unsupported);
    EXPECT_FALSE(is_sample_specific(e));
    EXPECT_NE(std::string(e.what()).find("--n-mode auto"), std::string::npos) << e.what();
  }
  EXPECT_EQ(attempts.size(), 1u);  // no retries
}

TEST(Generator, ARefusalForOneSeedIsSampleSpecific) {
  mock::MockOptions service;
  service.failing_samples = {{"q0", 1}};
  RunningMock mock(service);
  GeneratorConfig config = config_for(mock);
  config.retry.max_attempts = 2;
  Generator generator(config);
  // A 500 from a server that has answered nothing yet says the server is broken.
  try {
    generator.generate(mock.pool.problems[0].problem, 1, 1, {});
    FAIL() << "expected a BackendError";
  } catch (const BackendError& e) {
    EXPECT_FALSE(is_sample_specific(e));
  }
  EXPECT_EQ(generator.generate(mock.pool.problems[0].problem, 2, 1, {}).size(), 1u);
  // Once it has answered others, a 500 that persists for one seed is that sample's.
  try {
    generator.generate(mock.pool.problems[0].problem, 1, 1, {});
    FAIL() << "expected a BackendError";
  } catch (const BackendError& e) {
    EXPECT_EQ(e.status, 500);
    EXPECT_TRUE(is_sample_specific(e));
    EXPECT_NE(std::string(e.what()).find("invalid UTF-8"), std::string::npos) << e.what();
  }
  EXPECT_EQ(generator.generate(mock.pool.problems[0].problem, 2, 1, {}).size(), 1u);
}

TEST(Generator, CompletionsWithoutMaxTokensAreRefused) {
  GeneratorConfig config;
  config.endpoints = {"http://127.0.0.1:1/v1"};
  config.model = "m";
  config.api = GenerationApi::completions;
  try {
    Generator generator(config);
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--max-tokens"), std::string::npos) << e.what();
  }
  config.max_tokens = 100;
  EXPECT_NO_THROW(Generator{config});
}

TEST(Generator, CompletionsApiWithARawTemplate) {
  RunningMock mock;
  GeneratorConfig config = config_for(mock);
  config.api = GenerationApi::completions;
  config.max_tokens = 512;  // required with completions: servers' defaults differ
  config.prompt_template = "<|im_start|>user\n{problem}<|im_end|>\n<|im_start|>assistant\n";
  config.endpoints = {mock.v1() + "/completions/"};  // pasted full URL
  Generator generator(config);
  auto samples = generator.generate(mock.pool.problems[1].problem, 7, 1, {});
  ASSERT_EQ(samples.size(), 1u);
  expect_pool_sample(mock, 1, 7, samples[0]);
}

TEST(Generator, RetriesThroughErrorsMalformedBodiesAndDroppedConnections) {
  mock::MockServerOptions options;
  options.faults.seed = 5;
  options.faults.error_rate = 0.25;
  options.faults.malformed_rate = 0.15;
  options.faults.drop_rate = 0.15;
  RunningMock mock({}, options);
  GeneratorConfig config = config_for(mock);
  config.retry.max_attempts = 30;
  Generator generator(config);
  std::vector<AttemptRecord> attempts;
  RequestContext context;
  context.on_attempt = [&](const AttemptRecord& r) { attempts.push_back(r); };
  for (int k = 0; k < 8; ++k) {
    auto samples = generator.generate(mock.pool.problems[0].problem, k, 1, context);
    ASSERT_EQ(samples.size(), 1u);
    expect_pool_sample(mock, 0, k, samples[0]);
  }
  std::map<FailureKind, int> failures;
  int successes = 0;
  for (const auto& a : attempts) {
    if (a.failure) {
      ++failures[*a.failure];
    } else {
      ++successes;
    }
  }
  EXPECT_EQ(successes, 8);
  EXPECT_GT(failures[FailureKind::server_error] + failures[FailureKind::malformed] + failures[FailureKind::connect], 0);
  for (const auto& a : attempts) EXPECT_EQ(a.endpoint, mock.v1());
}

TEST(Generator, TimesOutHungRequestsAndRetries) {
  mock::MockServerOptions options;
  options.faults.seed = 2;
  options.faults.hang_rate = 0.5;
  options.faults.hang_ms = 20000;
  RunningMock mock({}, options);
  GeneratorConfig config = config_for(mock);
  // Each hung attempt costs the timeout. 100 ms is far above an answer's
  // time here, and an answer that still outlasts it (a sanitizer build on a
  // loaded machine) is only retried: with 50 attempts, each hung with
  // probability 1/2, a generation failing outright is beyond chance.
  config.timeout = std::chrono::milliseconds(100);
  config.retry.max_attempts = 50;
  Generator generator(config);
  int timeouts = 0;
  RequestContext context;
  context.on_attempt = [&](const AttemptRecord& r) { timeouts += r.failure == FailureKind::timeout; };
  for (int k = 0; k < 4; ++k) expect_pool_sample(mock, 1, k, generator.generate(mock.pool.problems[1].problem, k, 1, context).at(0));
  EXPECT_GT(timeouts, 0);
}

TEST(Generator, HonoursRetryAfterOn429) {
  mock::MockServerOptions options;
  options.faults.seed = 3;
  options.faults.burst_rate = 0.5;
  options.faults.burst_length = 2;
  options.faults.retry_after_s = 0.05;
  RunningMock mock({}, options);
  GeneratorConfig config = config_for(mock);
  config.retry.max_attempts = 20;
  Generator generator(config);
  std::vector<AttemptRecord> limited;
  RequestContext context;
  context.on_attempt = [&](const AttemptRecord& r) {
    if (r.failure == FailureKind::rate_limited) limited.push_back(r);
  };
  for (int k = 0; k < 4; ++k) generator.generate(mock.pool.problems[2].problem, k, 1, context);
  ASSERT_FALSE(limited.empty());
  for (const auto& r : limited) {
    EXPECT_EQ(r.http_status, 429);
    EXPECT_GE(r.backoff_s, 0.05);
  }
}

TEST(Generator, GivesUpNamingTheEndpointWhenRetriesAreExhausted) {
  mock::MockServerOptions options;
  options.faults.error_rate = 1.0;
  RunningMock mock({}, options);
  GeneratorConfig config = config_for(mock);
  config.retry.max_attempts = 3;
  Generator generator(config);
  try {
    generator.generate(mock.pool.problems[0].problem, 0, 1, {});
    FAIL() << "expected BackendError";
  } catch (const BackendError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("after 3 attempts"), std::string::npos) << message;
    EXPECT_NE(message.find(mock.v1()), std::string::npos) << message;
    EXPECT_NE(message.find("injected server error"), std::string::npos) << message;
  }
}

TEST(Generator, RefusalsAreFinalAtOnce) {
  mock::MockOptions service;
  service.model = "served-model";
  RunningMock mock(service);
  Generator generator(config_for(mock));
  int attempts = 0;
  RequestContext context;
  context.on_attempt = [&](const AttemptRecord&) { ++attempts; };
  try {
    generator.generate(mock.pool.problems[0].problem, 0, 1, context);
    FAIL() << "expected BackendError";
  } catch (const BackendError& e) {
    EXPECT_NE(std::string(e.what()).find("refused (HTTP 404)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
  }
  EXPECT_EQ(attempts, 1);
}

TEST(Generator, ADeadReplicaIsRoutedAround) {
  RunningMock mock;
  GeneratorConfig config = config_for(mock);
  config.endpoints = {"http://127.0.0.1:1/v1", mock.v1()};
  Generator generator(config);
  for (int k = 0; k < 8; ++k)
    expect_pool_sample(mock, 0, k, generator.generate(mock.pool.problems[0].problem, k, 1, {}).at(0));
  auto stats = generator.balancer().stats();
  EXPECT_FALSE(stats[0].healthy);
  EXPECT_LE(stats[0].requests, 4);
  EXPECT_GE(stats[1].requests, 8);
}

TEST(Generator, SendsTheApiKeyAndNeverPrintsIt) {
  mock::MockServerOptions options;
  options.api_key = "sk-secret-123";
  RunningMock mock({}, options);
  GeneratorConfig config = config_for(mock);
  config.api_key = "sk-secret-123";
  EXPECT_EQ(Generator(config).generate(mock.pool.problems[0].problem, 0, 1, {}).size(), 1u);
  config.api_key = "sk-wrong-456";
  try {
    Generator(config).generate(mock.pool.problems[0].problem, 0, 1, {});
    FAIL() << "expected BackendError";
  } catch (const BackendError& e) {
    EXPECT_NE(std::string(e.what()).find("401"), std::string::npos);
    EXPECT_EQ(std::string(e.what()).find("sk-wrong"), std::string::npos);
  }
}

TEST(Generator, CancellationStopsAHungRequest) {
  mock::MockServerOptions options;
  options.faults.hang_rate = 1.0;
  options.faults.hang_ms = 60000;
  RunningMock mock({}, options);
  Generator generator(config_for(mock));
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cancel = true;
  });
  RequestContext context;
  context.cancel = &cancel;
  EXPECT_THROW(generator.generate(mock.pool.problems[0].problem, 0, 1, context), RequestCancelled);
  canceller.join();
}

TEST(Generator, RequestBodyCarriesEverySetting) {
  GeneratorConfig config;
  config.endpoints = {"http://x/v1"};
  config.model = "m";
  config.system_prompt = "sys";
  config.prompt_template = "Q: {problem}";
  config.temperature = 0.7;
  config.top_p = 0.95;
  config.max_tokens = 100;
  config.stop = {"</s>"};
  config.extra_body = {{"top_k", 20}, {"chat_template_kwargs", {{"enable_thinking", false}}}};
  Generator generator(config);
  auto one = nlohmann::json::parse(generator.request_body("2+2", 41, 1));
  EXPECT_FALSE(one.contains("n"));
  EXPECT_EQ(one["seed"], 41);
  EXPECT_EQ(one["messages"][0]["content"], "sys");
  EXPECT_EQ(one["messages"][1]["content"], "Q: 2+2");
  EXPECT_EQ(one["temperature"], 0.7);
  EXPECT_EQ(one["top_p"], 0.95);
  EXPECT_EQ(one["max_tokens"], 100);
  EXPECT_EQ(one["stop"][0], "</s>");
  EXPECT_EQ(one["top_k"], 20);
  EXPECT_EQ(one["chat_template_kwargs"]["enable_thinking"], false);
  EXPECT_EQ(nlohmann::json::parse(generator.request_body("2+2", 0, 4))["n"], 4);
  config.extra_body = {{"seed", 1}};
  EXPECT_THROW(Generator{config}, Error);
  config.extra_body = nlohmann::json::object();
  config.model = "";
  EXPECT_THROW(Generator{config}, Error);
}

}  // namespace
}  // namespace optscale::backend
