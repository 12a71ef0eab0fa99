// `optscale serve` as users run it: the real binary in front of the real
// `optscale mock-server` (tests/data/serve/pool.jsonl) on 127.0.0.1. The mock
// answers sample k of a problem for seed k and scores it with the pool's
// score, so every figure the proxy reports can be checked against the pool.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "child_process.hpp"
#include "mock_control.hpp"
#include "raw_http.hpp"
#include "serve_process.hpp"
#include "test_support.hpp"

namespace optscale::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

std::filesystem::path pool_path() { return test_data_dir() / "serve" / "pool.jsonl"; }

struct PoolSample {
  std::string text;
  double score;
  long long tokens;
};

// Problem text -> its samples, in pool order.
std::map<std::string, std::vector<PoolSample>> read_pool_samples() {
  std::map<std::string, std::vector<PoolSample>> out;
  std::ifstream in(pool_path());
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const json problem = json::parse(line);
    auto& samples = out[problem["problem"].get<std::string>()];
    for (const json& s : problem["samples"])
      samples.push_back({s["text"].get<std::string>(), s["score"].get<double>(), s["tokens"].get<long long>()});
  }
  return out;
}

const std::string kMedium = "Compute the sum of the first 10 positive integers.";

json chat_body(const std::string& problem, json extra = json::object()) {
  json body = {{"model", "mock"}, {"messages", {{{"role", "user"}, {"content", problem}}}}, {"seed", 0}};
  for (const auto& [key, value] : extra.items()) body[key] = value;
  return body;
}

json error_of(const httplib::Result& r) { return json::parse(r->body).at("error"); }

class ServeIntegration : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(make_temp_dir("serve-it"));
    mock_ = new MockServerProcess(*dir_, pool_path());
    serve_ = new ServeProcess(*dir_, mock_->root(), {"--metrics"});
  }
  static void TearDownTestSuite() {
    delete serve_;
    delete mock_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  static inline std::filesystem::path* dir_ = nullptr;
  static inline MockServerProcess* mock_ = nullptr;
  static inline ServeProcess* serve_ = nullptr;
  const std::map<std::string, std::vector<PoolSample>> pool_ = read_pool_samples();
};

TEST_F(ServeIntegration, BestOfNAnswersWithTheBestScoredSampleAndCountsEveryToken) {
  auto r = serve_->post(chat_body(kMedium, {{"optscale", {{"policy", "bon:n=4"}}}}));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json answer = json::parse(r->body);
  const auto& samples = pool_.at(kMedium);
  // Samples 0..3 (seeds 0..3); the best of them wins.
  std::size_t best = 0;
  long long tokens = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    if (samples[k].score > samples[best].score) best = k;
    tokens += samples[k].tokens;
  }
  EXPECT_EQ(answer["object"], "chat.completion");
  ASSERT_EQ(answer["choices"].size(), 1u);
  EXPECT_EQ(answer["choices"][0]["message"]["role"], "assistant");
  EXPECT_EQ(answer["choices"][0]["message"]["content"], samples[best].text);
  EXPECT_EQ(answer["usage"]["completion_tokens"], tokens);
  EXPECT_GT(answer["usage"]["prompt_tokens"].get<long long>(), 0);
  EXPECT_EQ(answer["usage"]["total_tokens"].get<long long>(),
            answer["usage"]["prompt_tokens"].get<long long>() + tokens);
  const json& report = answer["optscale"];
  EXPECT_EQ(report["samples"], 4);
  EXPECT_EQ(report["budget"], 4);
  EXPECT_EQ(report["selected_index"], static_cast<int>(best));
  EXPECT_EQ(report["stop_reason"], "budget");
  ASSERT_EQ(report["scores"].size(), 4u);
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_NEAR(report["scores"][k].get<double>(), samples[k].score, 1e-9) << k;
    EXPECT_EQ(report["sample_tokens"][k], samples[k].tokens) << k;
  }
  EXPECT_NEAR(report["best_score"].get<double>(), samples[best].score, 1e-9);
}

TEST_F(ServeIntegration, DefaultPolicyStopsEarlyAndReportsWhatItDrew) {
  auto r = serve_->post(chat_body(kMedium));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json report = json::parse(r->body)["optscale"];
  EXPECT_EQ(report["budget"], 16);
  const int drawn = report["samples"].get<int>();
  ASSERT_GE(drawn, 1);
  EXPECT_LT(drawn, 16) << "optscale-seq should stop before its budget on this problem: " << report.dump();
  EXPECT_EQ(report["budget_saved"], 16 - drawn);
  EXPECT_NE(report["stop_reason"], "budget");
  long long tokens = 0;
  for (int k = 0; k < drawn; ++k) tokens += pool_.at(kMedium)[static_cast<std::size_t>(k)].tokens;
  EXPECT_EQ(json::parse(r->body)["usage"]["completion_tokens"], tokens);
}

TEST_F(ServeIntegration, PerRequestOverridesChangeThePolicy) {
  auto two = serve_->post(chat_body(kMedium, {{"optscale", {{"policy", "bon:n=8"}, {"budget", 2}}}}));
  ASSERT_TRUE(two);
  ASSERT_EQ(two->status, 200) << two->body;
  EXPECT_EQ(json::parse(two->body)["optscale"]["samples"], 2);
  EXPECT_EQ(json::parse(two->body)["optscale"]["policy"].get<std::string>().rfind("bon:n=2", 0), 0u);

  // A different seed draws different samples: seeds 5..6.
  auto seeded = serve_->post(chat_body(kMedium, {{"seed", 5}, {"optscale", {{"policy", "bon:n=2"}}}}));
  ASSERT_TRUE(seeded);
  ASSERT_EQ(seeded->status, 200) << seeded->body;
  EXPECT_NEAR(json::parse(seeded->body)["optscale"]["scores"][0].get<double>(), pool_.at(kMedium)[5].score, 1e-9);

  auto refused = serve_->post(chat_body(kMedium, {{"optscale", {{"policy", "bon:n=4"}, {"target", 0.9}}}}));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400) << refused->body;
  EXPECT_EQ(error_of(refused)["type"], "invalid_request_error");

  auto too_big = serve_->post(chat_body(kMedium, {{"optscale", {{"budget", 1000}}}}));
  ASSERT_TRUE(too_big);
  EXPECT_EQ(too_big->status, 400) << too_big->body;
}

TEST_F(ServeIntegration, StreamsTheSelectedAnswerAsServerSentEvents) {
  const json body = chat_body(kMedium, {{"optscale", {{"policy", "bon:n=4"}}}});
  auto plain = serve_->post(body);
  json streamed_body = body;
  streamed_body["stream"] = true;
  streamed_body["stream_options"] = {{"include_usage", true}};
  auto streamed = serve_->post(streamed_body);
  ASSERT_TRUE(plain);
  ASSERT_TRUE(streamed);
  ASSERT_EQ(streamed->status, 200) << streamed->body;
  EXPECT_EQ(streamed->get_header_value("Content-Type").rfind("text/event-stream", 0), 0u);
  std::string content;
  json usage;
  bool done = false;
  std::istringstream lines(streamed->body);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("data: ", 0) != 0) continue;
    const std::string data = line.substr(6);
    if (data == "[DONE]") {
      done = true;
      continue;
    }
    const json chunk = json::parse(data);
    EXPECT_EQ(chunk["object"], "chat.completion.chunk");
    if (!chunk["choices"].empty() && chunk["choices"][0]["delta"].contains("content"))
      content += chunk["choices"][0]["delta"]["content"].get<std::string>();
    if (chunk.contains("usage") && chunk["usage"].is_object()) usage = chunk["usage"];
  }
  EXPECT_TRUE(done);
  const json answer = json::parse(plain->body);
  EXPECT_EQ(content, answer["choices"][0]["message"]["content"].get<std::string>());
  EXPECT_EQ(usage["completion_tokens"], answer["usage"]["completion_tokens"]);
}

TEST_F(ServeIntegration, PassesThroughRequestsForSeveralChoicesUnchanged) {
  auto r = serve_->post(chat_body(kMedium, {{"n", 3}}));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json answer = json::parse(r->body);
  EXPECT_EQ(answer["choices"].size(), 3u);
  EXPECT_FALSE(answer.contains("optscale"));
  EXPECT_EQ(answer["choices"][2]["message"]["content"], pool_.at(kMedium)[2].text);

  auto off = serve_->post(chat_body(kMedium), {{"X-OptScale", "off"}});
  ASSERT_TRUE(off);
  ASSERT_EQ(off->status, 200) << off->body;
  EXPECT_FALSE(json::parse(off->body).contains("optscale"));
  EXPECT_EQ(json::parse(off->body)["choices"][0]["message"]["content"], pool_.at(kMedium)[0].text);
}

TEST_F(ServeIntegration, ModelsHealthAndMetrics) {
  auto models = serve_->client()->Get("/v1/models");
  ASSERT_TRUE(models);
  EXPECT_EQ(models->status, 200);
  EXPECT_EQ(json::parse(models->body)["object"], "list");

  auto health = serve_->client()->Get("/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200) << health->body;
  EXPECT_EQ(json::parse(health->body)["status"], "ok");

  ASSERT_EQ(serve_->post(chat_body(kMedium, {{"optscale", {{"policy", "bon:n=4"}}}}))->status, 200);
  const std::string metrics = serve_->metrics();
  EXPECT_NE(metrics.find("optscale_requests_total{outcome=\"answered\"}"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("optscale_stop_reasons_total{reason=\"budget\"}"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("optscale_request_duration_seconds_bucket{mode=\"optscale\""), std::string::npos) << metrics;
  EXPECT_EQ(metrics.find("optscale_samples_drawn_total 0\n"), std::string::npos) << metrics;
}

TEST_F(ServeIntegration, RefusesOversizeBodiesAndBadRequests) {
  // Above the default 4 MiB: refused from Content-Length, before the body is sent.
  const std::string answer = raw_exchange(serve_->port(),
                                          "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                          "Content-Type: application/json\r\nContent-Length: 5000000\r\n\r\n{");
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer;
  const auto head_end = answer.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos);
  EXPECT_EQ(json::parse(answer.substr(head_end + 4))["error"]["code"], "request_too_large");

  auto bad = serve_->client()->Post("/v1/chat/completions", "{not json", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(error_of(bad)["type"], "invalid_request_error");
}

TEST(ServeAuth, RequiresTheKeyEverywhereButHealthAndNeverLogsIt) {
  const auto dir = make_temp_dir("serve-auth");
  {
    std::ofstream(dir / "key") << "sk-test-secret-123\n";
  }
  MockServerProcess mock(dir, pool_path());
  ServeProcess serve(dir, mock.root(), {"--api-key-file", (dir / "key").string(), "--verbose", "1"});
  const json body = chat_body(kMedium, {{"optscale", {{"policy", "bon:n=2"}}}});
  auto missing = serve.post(body);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 401);
  EXPECT_EQ(error_of(missing)["type"], "authentication_error");
  EXPECT_EQ(serve.post(body, {{"Authorization", "Bearer sk-test-secret-12"}})->status, 401);
  EXPECT_EQ(serve.client()->Get("/v1/models")->status, 401);
  EXPECT_EQ(serve.post(body, {{"Authorization", "Bearer sk-test-secret-123"}})->status, 200);
  EXPECT_EQ(serve.client()->Get("/health")->status, 200);
  serve.process().signal(SIGTERM);
  EXPECT_EQ(serve.process().wait(), 0);
  const std::string log = serve.stderr_text();
  EXPECT_EQ(log.find("sk-test-secret"), std::string::npos) << log;
  EXPECT_EQ(log.find(kMedium), std::string::npos) << "prompts are not logged below --verbose 2:\n" << log;
  std::filesystem::remove_all(dir);
}

TEST(ServeUpstreamFaults, FailingUpstreamGives502AndCountsTheErrors) {
  const auto dir = make_temp_dir("serve-502");
  MockServerProcess mock(dir, pool_path(), {"--error-rate", "1"});
  ServeProcess serve(dir, mock.root(), {"--max-attempts", "2", "--metrics"});
  auto r = serve.post(chat_body(kMedium, {{"optscale", {{"policy", "bon:n=2"}}}}));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 502) << r->body;
  EXPECT_EQ(error_of(r)["code"], "upstream_error");
  EXPECT_NE(serve.metrics().find("optscale_upstream_errors_total{kind=\"server_error\"}"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(ServeUpstreamFaults, UnreachableUpstreamGives502AndHealth503) {
  const auto dir = make_temp_dir("serve-down");
  // A port that was free a moment ago: the mock's, after it stopped.
  int port = 0;
  {
    MockServerProcess mock(dir, pool_path());
    port = mock.port();
  }
  ServeProcess serve(dir, "http://127.0.0.1:" + std::to_string(port), {"--max-attempts", "1"});
  auto r = serve.post(chat_body(kMedium));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 502) << r->body;
  auto health = serve.client()->Get("/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 503);
  EXPECT_EQ(error_of(health)["code"], "unhealthy");
  auto passthrough = serve.post(chat_body(kMedium, {{"n", 2}}));
  ASSERT_TRUE(passthrough);
  EXPECT_EQ(passthrough->status, 502) << passthrough->body;
  std::filesystem::remove_all(dir);
}

TEST(ServeUpstreamFaults, HangingUpstreamGives504AtTheRequestTimeout) {
  const auto dir = make_temp_dir("serve-504");
  MockServerProcess mock(dir, pool_path(), {"--hang-rate", "1", "--hang-ms", "20000"});
  // Every generation hangs, so no answer can beat the deadline: its length
  // only costs time.
  ServeProcess serve(dir, mock.root(), {"--request-timeout", "0.3"});
  auto r = serve.post(chat_body(kMedium, {{"optscale", {{"policy", "bon:n=2"}}}}));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 504) << r->body;
  EXPECT_EQ(error_of(r)["type"], "timeout_error");
  std::filesystem::remove_all(dir);
}

TEST(ServeUpstreamFaults, WorksWithServersThatIgnoreN) {
  const auto dir = make_temp_dir("serve-ignore-n");
  MockServerProcess mock(dir, pool_path(), {"--ignore-n"});
  ServeProcess serve(dir, mock.root());
  auto r = serve.post(chat_body(kMedium, {{"optscale", {{"policy", "bon:n=4"}}}}));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json report = json::parse(r->body)["optscale"];
  ASSERT_EQ(report["scores"].size(), 4u);
  for (std::size_t k = 0; k < 4; ++k)
    EXPECT_NEAR(report["scores"][k].get<double>(), read_pool_samples().at(kMedium)[k].score, 1e-9) << k;
  std::filesystem::remove_all(dir);
}

TEST(ServeScorers, ClassifyAndJudgeScorersScoreLikeThePool) {
  const auto dir = make_temp_dir("serve-scorers");
  MockServerProcess mock(dir, pool_path());
  const auto samples = read_pool_samples().at(kMedium);
  // classify: the server root; judge: the OpenAI base, P(Yes) from logprobs.
  ServeProcess classify(dir, mock.root(), {"--scorer-kind", "classify"}, "classify");
  ServeProcess judge(dir, mock.root(), {"--scorer-kind", "judge"}, "judge", mock.v1());
  for (ServeProcess* serve : {&classify, &judge}) {
    auto r = serve->post(chat_body(kMedium, {{"optscale", {{"policy", "bon:n=3"}}}}));
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    const json report = json::parse(r->body)["optscale"];
    ASSERT_EQ(report["scores"].size(), 3u);
    for (std::size_t k = 0; k < 3; ++k) EXPECT_NEAR(report["scores"][k].get<double>(), samples[k].score, 1e-9) << k;
    auto health = serve->client()->Get("/health");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200) << health->body;
  }
  std::filesystem::remove_all(dir);
}

TEST(ServeUpstreamFaults, ReplicasCoverForADeadUpstreamAndADeadScorerIsUnhealthy) {
  const auto dir = make_temp_dir("serve-replicas");
  int dead_port = 0;
  {
    MockServerProcess gone(dir, pool_path(), {}, "gone");
    dead_port = gone.port();
  }
  const std::string dead = "http://127.0.0.1:" + std::to_string(dead_port);
  MockServerProcess mock(dir, pool_path());
  // The dead replica first: requests move on to the live one.
  ServeProcess serve(dir, dead, {"--upstream", mock.v1(), "--max-attempts", "4"}, "serve", mock.root());
  for (int i = 0; i < 3; ++i) {
    auto r = serve.post(chat_body(kMedium, {{"seed", i}, {"optscale", {{"policy", "bon:n=2"}}}}));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body;
    auto passthrough = serve.post(chat_body(kMedium, {{"n", 2}}));
    ASSERT_TRUE(passthrough);
    EXPECT_EQ(passthrough->status, 200) << passthrough->body;
  }
  EXPECT_EQ(serve.client()->Get("/health")->status, 200);

  ServeProcess no_scorer(dir, mock.root(), {}, "no-scorer", dead);
  auto health = no_scorer.client()->Get("/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 503);
  EXPECT_NE(error_of(health)["message"].get<std::string>().find("scorer"), std::string::npos) << health->body;
  std::filesystem::remove_all(dir);
}

TEST(ServeUpstreamFaults, AnUnknownModelIs404AndAWrongScorerModelIs502) {
  const auto dir = make_temp_dir("serve-404");
  MockServerProcess mock(dir, pool_path(), {"--model", "mock"});
  ServeProcess serve(dir, mock.root(), {"--n-mode", "native"});
  json body = chat_body(kMedium, {{"optscale", {{"policy", "bon:n=2"}}}});
  body["model"] = "no-such-model";
  auto r = serve.post(body);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404) << r->body;
  EXPECT_EQ(error_of(r)["code"], "model_not_found");
  EXPECT_EQ(error_of(r)["param"], "model");
  // The scorer refusing the proxy's own requests (this mock serves only
  // "mock", the proxy's --scorer-model is "prm") is the proxy's
  // configuration: 502, without the scorer's address (it is in the log).
  ServeProcess misconfigured(dir, mock.root(), {"--n-mode", "native"}, "bad-scorer");
  r = misconfigured.post(chat_body(kMedium, {{"optscale", {{"policy", "bon:n=2"}}}}));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 502) << r->body;
  EXPECT_EQ(error_of(r)["code"], "upstream_misconfigured");
  EXPECT_EQ(r->body.find("127.0.0.1"), std::string::npos) << r->body;
  EXPECT_NE(misconfigured.stderr_text().find("127.0.0.1"), std::string::npos) << misconfigured.stderr_text();
  std::filesystem::remove_all(dir);
}

TEST(ServePassThrough, EveryOtherPathIsRelayedWithTheUpstreamKey) {
  const auto dir = make_temp_dir("serve-relay");
  std::ofstream(dir / "up.key") << "sk-upstream\n";
  MockServerProcess mock(dir, pool_path(), {"--api-key-file", (dir / "up.key").string()});
  ::setenv("OPTSCALE_API_KEY", "sk-proxy", 1);
  ServeProcess serve(dir, mock.root(), {"--upstream-api-key-file", (dir / "up.key").string()});
  ::unsetenv("OPTSCALE_API_KEY");
  const httplib::Headers auth{{"Authorization", "Bearer sk-proxy"}};
  auto completion = serve.client()->Post("/v1/completions", auth,
                                         json{{"prompt", kMedium}, {"seed", 0}, {"model", "mock"}}.dump(),
                                         "application/json");
  ASSERT_TRUE(completion);
  ASSERT_EQ(completion->status, 200) << completion->body;
  EXPECT_EQ(json::parse(completion->body)["choices"][0]["text"], read_pool_samples().at(kMedium)[0].text);
  EXPECT_EQ(completion->get_header_value("x-request-id").rfind("req_", 0), 0u);
  auto streamed = serve.client()->Post("/v1/completions", auth,
                                       json{{"prompt", kMedium}, {"seed", 1}, {"stream", true}}.dump(),
                                       "application/json");
  ASSERT_TRUE(streamed);
  EXPECT_EQ(streamed->status, 200);
  EXPECT_EQ(streamed->get_header_value("Content-Type"), "text/event-stream");
  EXPECT_NE(streamed->body.find("data: [DONE]"), std::string::npos) << streamed->body;
  auto embeddings = serve.client()->Post("/v1/embeddings", auth, R"({"input":"hello","model":"e"})",
                                         "application/json");
  ASSERT_TRUE(embeddings);
  EXPECT_EQ(embeddings->status, 200) << embeddings->body;
  auto model = serve.client()->Get("/v1/models/optscale-mock", auth);
  ASSERT_TRUE(model);
  EXPECT_EQ(model->status, 200) << model->body;
  EXPECT_EQ(json::parse(model->body)["id"], "optscale-mock");
  // The upstream's own 404 for a path it lacks, relayed as it is.
  auto responses = serve.client()->Post("/v1/responses", auth, R"({"input":"hi"})", "application/json");
  ASSERT_TRUE(responses);
  EXPECT_EQ(responses->status, 404);
  // The proxy's key is still required.
  EXPECT_EQ(serve.client()->Get("/v1/models/optscale-mock")->status, 401);
  std::filesystem::remove_all(dir);
}

TEST(ServePredictor, OptScaleTGetsEachRequestsPriorFromThePredictor) {
  const auto dir = make_temp_dir("serve-predictor");
  MockServerProcess mock(dir, pool_path());
  ServeProcess serve(dir, mock.root(), {"--policy", "optscalet:n=8,predictor=default"});
  auto r = serve.post(chat_body(kMedium));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json report = json::parse(r->body)["optscale"];
  EXPECT_EQ(report["policy"].get<std::string>().rfind("optscalet:n=8", 0), 0u) << report.dump();
  EXPECT_GE(report["samples"].get<int>(), 1);
  EXPECT_LE(report["samples"].get<int>(), 8);
  // A request may not make the server read another file as a model.
  auto refused = serve.post(chat_body(kMedium, {{"optscale", {{"policy", "optscalet:n=8,predictor=/etc/hostname"}}}}));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400) << refused->body;
  std::filesystem::remove_all(dir);
}

// The mock's metric `name` (an unlabelled line of its /metrics), or -1.
// The mock's count of requests served (its /metrics).
long long mock_requests(const MockServerProcess& mock) { return mock_metric(mock, "optscale_mock_requests_total"); }

TEST(ServeOverload, AnswersTooManyRequestsBeyondTheLimit) {
  const auto dir = make_temp_dir("serve-429");
  MockServerProcess mock(dir, pool_path(), {"--hold"});
  ServeProcess serve(dir, mock.root(), {"--max-concurrent", "1", "--metrics"});
  auto slow = std::async(std::launch::async, [&] {
    auto r = serve.post(chat_body(kMedium, {{"optscale", {{"policy", "bon:n=1"}}}}));
    return r ? r->status : -1;
  });
  // Held upstream until released below: the slot stays taken meanwhile.
  ASSERT_TRUE(wait_held(mock, 1));
  ASSERT_TRUE(wait_in_flight(serve, 1));
  auto refused = serve.post(chat_body(kMedium));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 429);
  EXPECT_EQ(refused->get_header_value("Retry-After"), "1");
  EXPECT_EQ(error_of(refused)["code"], "overloaded");
  EXPECT_GE(release_held(mock), 1);
  EXPECT_EQ(slow.get(), 200);
  std::filesystem::remove_all(dir);
}

TEST(ServeShutdown, FinishesRequestsInFlightThenExits) {
  const auto dir = make_temp_dir("serve-shutdown");
  MockServerProcess mock(dir, pool_path(), {"--hold"});
  ServeProcess serve(dir, mock.root(), {"--metrics", "--shutdown-grace", "30"});
  auto in_flight = std::async(std::launch::async, [&] {
    auto r = serve.post(chat_body(kMedium, {{"optscale", {{"policy", "bon:n=2"}}}}));
    return r ? std::make_pair(r->status, r->body) : std::make_pair(-1, std::string());
  });
  ASSERT_TRUE(wait_held(mock, 1));
  ASSERT_TRUE(wait_in_flight(serve, 1));
  serve.process().signal(SIGTERM);
  // Released only once the server is draining: the request was in flight
  // when the signal came and must still be answered whole.
  ASSERT_TRUE(wait_draining(serve)) << serve.stderr_text();
  EXPECT_FALSE(in_flight.wait_for(0s) == std::future_status::ready) << "answered before its upstream was released";
  EXPECT_GE(release_held(mock), 1);
  const auto [status, body] = in_flight.get();
  EXPECT_EQ(status, 200) << body;
  EXPECT_EQ(json::parse(body)["optscale"]["samples"], 2);
  EXPECT_EQ(serve.process().wait(), 0) << serve.stderr_text();
  // Gone: no new connections.
  EXPECT_FALSE(serve.client()->Get("/health"));
  std::filesystem::remove_all(dir);
}

TEST(ServeShutdown, CancelsRequestsStillRunningAfterTheGracePeriod) {
  const auto dir = make_temp_dir("serve-cancel");
  // Held upstream and never released: still running when the grace ends.
  MockServerProcess mock(dir, pool_path(), {"--hold"});
  ServeProcess serve(dir, mock.root(), {"--metrics", "--shutdown-grace", "0.2"});
  auto in_flight = std::async(std::launch::async, [&] {
    auto r = serve.post(chat_body(kMedium, {{"optscale", {{"policy", "bon:n=1"}}}}));
    return r ? r->status : -1;
  });
  ASSERT_TRUE(wait_held(mock, 1));
  ASSERT_TRUE(wait_in_flight(serve, 1));
  serve.process().signal(SIGINT);
  EXPECT_EQ(in_flight.get(), 503);
  EXPECT_EQ(serve.process().wait(), 0) << serve.stderr_text();
  std::filesystem::remove_all(dir);
}

bool wait_for_metric(const ServeProcess& serve, const std::string& line) {
  for (int i = 0; i < 3000; ++i) {
    if (serve.metrics().find(line + "\n") != std::string::npos) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

TEST(ServeClientGone, AClientThatGivesUpStopsItsUpstreamWorkAndFreesItsSlot) {
  const auto dir = make_temp_dir("serve-client-gone");
  MockServerProcess mock(dir, pool_path(), {"--hold"});
  // One sample per request, one at a time: 16 samples would take 32 upstream requests.
  ServeProcess serve(dir, mock.root(),
                     {"--metrics", "--max-concurrent", "1", "--n-mode", "single", "--upstream-in-flight", "1"});
  {
    const int fd = send_raw_chat_request(serve.port(), chat_body(kMedium, {{"optscale", {{"policy", "bon:n=16"}}}}).dump());
    // Its first generation is held upstream: the client gives up before any answer.
    ASSERT_TRUE(wait_held(mock, 1));
    char byte = 0;
    EXPECT_LT(::recv(fd, &byte, 1, MSG_DONTWAIT), 0) << "an answer came before the client gave up";
    ::close(fd);
  }
  ASSERT_TRUE(wait_for_metric(serve, "optscale_requests_total{outcome=\"client_closed\"} 1")) << serve.metrics();
  ASSERT_TRUE(wait_in_flight(serve, 0));
  // No more upstream requests for it: the mock's count stops growing. The
  // held generations (the request's thread and its one worker each send one)
  // are let go, holding going on; a proxy still working for the request would
  // get their answers at once and send scorings and further generations
  // within milliseconds (the mock adds no latency). 300 ms is many such round
  // trips even under a sanitizer on a loaded machine (the window this
  // replaces, 1.5 s at 400 ms a request, was three).
  const long long after = mock_requests(mock);
  const long long held = mock_metric(mock, "optscale_mock_held");
  const long long held_total = mock_metric(mock, "optscale_mock_held_total");
  EXPECT_GE(held, 1);
  EXPECT_EQ(release_held(mock, held), held);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(mock_requests(mock), after);
  EXPECT_EQ(mock_metric(mock, "optscale_mock_held_total"), held_total) << "another generation was sent";
  EXPECT_LT(after, 2 * 16) << "16 generations and 16 scorings would mean nothing was cancelled";
  const std::string metrics = serve.metrics();
  EXPECT_NE(metrics.find("optscale_requests_total{outcome=\"answered\"} 0\n"), std::string::npos) << metrics;
  // The slot is free again.
  release_held(mock);  // and nothing more is held
  auto next = serve.post(chat_body(kMedium, {{"optscale", {{"policy", "bon:n=1"}}}}));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200) << next->body;
  std::filesystem::remove_all(dir);
}

TEST(ServeShutdown, AStreamThatCompletesDuringShutdownArrivesWhole) {
  const auto dir = make_temp_dir("serve-shutdown-stream");
  MockServerProcess mock(dir, pool_path(), {"--hold"});
  ServeProcess serve(dir, mock.root(), {"--metrics", "--shutdown-grace", "30"});
  auto in_flight = std::async(std::launch::async, [&] {
    auto r = serve.post(chat_body(kMedium, {{"stream", true}, {"optscale", {{"policy", "bon:n=2"}}}}));
    return r ? std::make_pair(r->status, r->body) : std::make_pair(-1, std::string());
  });
  ASSERT_TRUE(wait_held(mock, 1));
  ASSERT_TRUE(wait_in_flight(serve, 1));
  serve.process().signal(SIGTERM);
  // The stream's samples are let go only once the server is draining.
  ASSERT_TRUE(wait_draining(serve)) << serve.stderr_text();
  EXPECT_GE(release_held(mock), 1);
  const auto [status, body] = in_flight.get();
  EXPECT_EQ(status, 200);
  EXPECT_NE(body.find("\"finish_reason\""), std::string::npos) << body;
  EXPECT_EQ(body.size() >= 14 ? body.substr(body.size() - 14) : body, "data: [DONE]\n\n");
  EXPECT_EQ(serve.process().wait(), 0) << serve.stderr_text();
  std::filesystem::remove_all(dir);
}

TEST(ServeFlags, EnvironmentVariablesSetFlagsAndBadValuesAreRefused) {
  const std::string args =
      "serve --upstream http://127.0.0.1:1/v1 --scorer http://127.0.0.1:1 --scorer-model prm --model m --port 0";
  // OPTSCALE_MAX_BUDGET mirrors --max-budget: the default policy's n=16 is then too large.
  ::setenv("OPTSCALE_MAX_BUDGET", "8", 1);
  const CommandResult env = run_optscale(args);
  ::unsetenv("OPTSCALE_MAX_BUDGET");
  EXPECT_EQ(env.exit_code, 1);
  EXPECT_NE(env.err.find("--max-budget"), std::string::npos) << env.err;
  const CommandResult kind = run_optscale(args + " --scorer-kind nonsense");
  EXPECT_EQ(kind.exit_code, 1);
  EXPECT_NE(kind.err.find("--scorer-kind"), std::string::npos) << kind.err;
  const CommandResult policy = run_optscale(args + " --policy dsc:n=8");
  EXPECT_EQ(policy.exit_code, 1);
  EXPECT_NE(policy.err.find("--policy"), std::string::npos) << policy.err;
}

}  // namespace
}  // namespace optscale::testing
