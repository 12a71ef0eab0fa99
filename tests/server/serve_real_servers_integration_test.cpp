// `optscale serve` in front of `optscale mock-server --personality P`, for
// each real server the mock imitates (vLLM, SGLang, llama.cpp, Ollama; issue
// 10), both real binaries on 127.0.0.1: one fixture, the personalities as its
// parameters. Each test is one behaviour of the issue: long samples over the
// scorer's context, n refused with a 500 or ignored, choices without token
// counts, an unreadable judge, a client that gives up, a stream during
// SIGTERM, an unknown model, the rest of the API passed through (streams
// live). `optscale run` against the same personalities:
// tests/engine/real_servers_integration_test.cpp.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <future>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>

#include "child_process.hpp"
#include "long_sample_pool.hpp"
#include "mock_control.hpp"
#include "raw_http.hpp"
#include "serve_process.hpp"
#include "test_support.hpp"

namespace optscale::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

// How a real server is set up behind the proxy.
struct Personality {
  std::string name;        // --personality
  bool scores_itself;      // vLLM serves the PRM (/pooling), SGLang the reward model (/classify)
  std::string scorer_kind; // of --scorer-kind when it scores itself
  bool checks_model;       // an unknown model is a 404 (vLLM, Ollama); llama.cpp and SGLang serve any name
  bool serves_model_card;  // GET /v1/models/{id} exists (SGLang, Ollama)
  std::vector<std::string> serve_flags;  // the documented flags for this server (docs/serve.md)
};

std::ostream& operator<<(std::ostream& out, const Personality& p) { return out << p.name; }

std::string test_name(const ::testing::TestParamInfo<Personality>& info) {
  return info.param.name == "llama.cpp" ? "llama_cpp" : info.param.name;
}

const std::vector<Personality> kPersonalities = {
    {"vllm", true, "pooling", true, false, {"--extra-body", R"({"return_token_ids":true})"}},
    {"sglang", true, "classify", false, true, {}},
    {"llama.cpp", false, "pooling", false, false, {}},
    {"ollama", false, "pooling", true, true, {}},
};

std::string problem_text(int p) { return "Problem r" + std::to_string(p) + ": add " + std::to_string(p) + " and 7."; }

json chat(int problem, const std::string& policy, json extra = json::object()) {
  json body = {{"model", "mock"},
               {"messages", {{{"role", "user"}, {"content", problem_text(problem)}}}},
               {"seed", 0},
               {"optscale", {{"policy", policy}}}};
  for (const auto& [key, value] : extra.items()) body[key] = value;
  return body;
}

json error_of(const httplib::Result& r) { return json::parse(r->body).at("error"); }

long long metric(const std::string& metrics, const std::string& series) { return metric_value(metrics, series); }

bool wait_for_metric(const ServeProcess& serve, const std::string& line) {
  for (int i = 0; i < 3000; ++i) {
    if (serve.metrics().find(line + "\n") != std::string::npos) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

class ServeAgainst : public ::testing::TestWithParam<Personality> {
 protected:
  void SetUp() override {
    dir_ = make_temp_dir("serve-real");
    pool_ = long_sample_pool();
    std::ofstream out(dir_ / "pool.jsonl");
    for (const json& problem : pool_) out << problem.dump() << "\n";
  }
  void TearDown() override {
    serve_.reset();
    scorer_.reset();
    generator_.reset();
    if (!HasFailure()) fs::remove_all(dir_);
  }

  // The personality's server as generator (`--model mock`; every scorer
  // refuses inputs over 512 tokens), the scorer (the same server, or a vLLM
  // PRM beside llama.cpp and Ollama) and the proxy in front, with the
  // server's documented flags and `serve_extra`.
  ServeProcess& start(std::vector<std::string> generator_extra = {}, std::vector<std::string> serve_extra = {},
                      bool judge = false) {
    const Personality& p = GetParam();
    std::vector<std::string> args{"--personality", p.name, "--model", "mock", "--max-model-len", "512"};
    args.insert(args.end(), generator_extra.begin(), generator_extra.end());
    generator_ = std::make_unique<MockServerProcess>(dir_, dir_ / "pool.jsonl", args, "generator");
    std::vector<std::string> flags{"--metrics"};
    std::string scorer_url = generator_->root(), scorer_model = "mock";
    if (judge) {
      flags.insert(flags.end(), {"--scorer-kind", "judge"});
      scorer_url = generator_->v1();
    } else if (p.scores_itself) {
      flags.insert(flags.end(), {"--scorer-kind", p.scorer_kind});
    } else {
      scorer_ = std::make_unique<MockServerProcess>(
          dir_, dir_ / "pool.jsonl", std::vector<std::string>{"--personality", "vllm", "--max-model-len", "512"},
          "scorer");
      scorer_url = scorer_->root();
      scorer_model = "prm";
    }
    flags.insert(flags.end(), p.serve_flags.begin(), p.serve_flags.end());
    flags.insert(flags.end(), serve_extra.begin(), serve_extra.end());
    serve_ = std::make_unique<ServeProcess>(dir_, generator_->root(), flags, "serve", scorer_url, scorer_model);
    return *serve_;
  }

  double pool_score(int problem, int sample) const {
    return pool_[static_cast<std::size_t>(problem)]["samples"][static_cast<std::size_t>(sample)]["score"].get<double>();
  }
  long long pool_tokens(int problem, int sample) const {
    return pool_[static_cast<std::size_t>(problem)]["samples"][static_cast<std::size_t>(sample)]["tokens"]
        .get<long long>();
  }
  std::string pool_text(int problem, int sample) const {
    return pool_[static_cast<std::size_t>(problem)]["samples"][static_cast<std::size_t>(sample)]["text"]
        .get<std::string>();
  }
  // The report's scores and tokens are those of pool samples `draws`, in order.
  void expect_samples(const json& report, int problem, const std::vector<int>& draws) const {
    ASSERT_EQ(report["scores"].size(), draws.size()) << report.dump();
    for (std::size_t i = 0; i < draws.size(); ++i) {
      EXPECT_NEAR(report["scores"][i].get<double>(), pool_score(problem, draws[i]), 1e-9) << i;
      EXPECT_EQ(report["sample_tokens"][i].get<long long>(), pool_tokens(problem, draws[i])) << i;
    }
  }

  fs::path dir_;
  std::vector<json> pool_;
  std::unique_ptr<MockServerProcess> generator_, scorer_;
  std::unique_ptr<ServeProcess> serve_;
};

// llama.cpp answers n above its 4 slots with a 500, Ollama ignores n, none
// but vLLM (asked for token ids) gives per-choice counts: in `--n-mode auto`
// every one answers with the pool's samples 0..7, their scores and tokens.
TEST_P(ServeAgainst, BestOfEightAnswersWithThePoolsSamplesWhateverNDoes) {
  ServeProcess& serve = start();
  auto r = serve.post(chat(5, "bon:n=8"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body << serve.stderr_text();
  const json answer = json::parse(r->body);
  expect_samples(answer["optscale"], 5, {0, 1, 2, 3, 4, 5, 6, 7});
  long long tokens = 0;
  for (int k = 0; k < 8; ++k) tokens += pool_tokens(5, k);
  EXPECT_EQ(answer["usage"]["completion_tokens"], tokens);
  const std::string metrics = serve.metrics();
  // SGLang's first n > 1 answer has choices without counts: dropped, and counted.
  if (GetParam().name == "sglang") {
    EXPECT_GT(metric(metrics, "optscale_wasted_tokens_total"), 0) << metrics;
  } else if (GetParam().name == "vllm") {
    EXPECT_EQ(metric(metrics, "optscale_wasted_tokens_total"), 0) << metrics;
  }
  if (GetParam().name == "llama.cpp") {  // the refused n = 8 (checked once with n = 1 before falling back)
    EXPECT_GE(metric(metrics, "optscale_upstream_errors_total{kind=\"server_error\"}"), 1) << metrics;
  }
}

// `--n-mode native` with a server whose several choices carry no token
// counts fails the request at once, naming the mode to use, instead of
// asking again and again.
TEST_P(ServeAgainst, NativeNModeFailsAtOnceWithoutPerChoiceCounts) {
  if (GetParam().name == "vllm" || GetParam().name == "ollama") {
    // vLLM with return_token_ids has the counts; Ollama's one choice per
    // answer is counted by its usage: native works.
    ServeProcess& serve = start({}, {"--n-mode", "native"});
    auto r = serve.post(chat(5, "bon:n=4"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body;
    return;
  }
  ServeProcess& serve = start({}, {"--n-mode", "native", "--max-n-per-request", "4"});
  auto r = serve.post(chat(5, "bon:n=4"));
  ASSERT_TRUE(r);
  EXPECT_GE(r->status, 500) << r->body;
  EXPECT_NE(serve.stderr_text().find("--n-mode"), std::string::npos) << serve.stderr_text();
  EXPECT_LE(mock_metric(*generator_, "optscale_mock_requests_total"), 4) << "no loop of requests";
}

// Samples longer than the scorer's 512 tokens: with --scorer-max-input-tokens
// they are scored on their leading steps; one that no cut fits (r4's sample
// 0), or every long one without the budget, fails alone and is replaced by
// the next draw.
TEST_P(ServeAgainst, LongSamplesAreCutToTheScorersContextOrFailAlone) {
  ServeProcess& serve = start({}, {"--scorer-max-input-tokens", "512"});
  auto cut = serve.post(chat(0, "bon:n=4"));
  ASSERT_TRUE(cut);
  ASSERT_EQ(cut->status, 200) << cut->body << serve.stderr_text();
  EXPECT_EQ(json::parse(cut->body)["optscale"]["samples"], 4);
  EXPECT_EQ(metric(serve.metrics(), "optscale_samples_failed_total"), 0);

  auto giant = serve.post(chat(4, "bon:n=4"));
  ASSERT_TRUE(giant);
  ASSERT_EQ(giant->status, 200) << giant->body;
  expect_samples(json::parse(giant->body)["optscale"], 4, {1, 2, 3, 4});
  EXPECT_EQ(metric(serve.metrics(), "optscale_samples_failed_total"), 1);

  // No budget: the scorer refuses samples 0 and 3 of r1 (400, context length).
  ServeProcess uncut(dir_, generator_->root(),
                     {"--metrics", "--scorer-kind", GetParam().scores_itself ? GetParam().scorer_kind : "pooling"},
                     "uncut", scorer_ ? scorer_->root() : generator_->root(), scorer_ ? "prm" : "mock");
  auto refused = uncut.post(chat(1, "bon:n=4"));
  ASSERT_TRUE(refused);
  ASSERT_EQ(refused->status, 200) << refused->body << uncut.stderr_text();
  expect_samples(json::parse(refused->body)["optscale"], 1, {1, 2, 4, 5});
  EXPECT_EQ(metric(uncut.metrics(), "optscale_samples_failed_total"), 2);
}

// A judge that thinks first has no verdict word among its first token's top
// logprobs: those samples fail (the request too, when all do), or take the
// score chosen with --judge-unreadable.
TEST_P(ServeAgainst, AnUnreadableJudgeFailsTheSampleOrTakesTheChosenScore) {
  ServeProcess& serve = start({"--judge-thinks"}, {}, true);
  auto r = serve.post(chat(6, "bon:n=2"));
  ASSERT_TRUE(r);
  // The scorer's settings do not fit this judge: the proxy's fault (502), the
  // reason in its log.
  EXPECT_EQ(r->status, 502) << r->body;
  EXPECT_EQ(error_of(r)["code"], "upstream_misconfigured");
  EXPECT_NE(serve.stderr_text().find("unreadable judge reply"), std::string::npos) << serve.stderr_text();
  EXPECT_EQ(metric(serve.metrics(), "optscale_samples_failed_total"), 2);
  EXPECT_EQ(metric(serve.metrics(), "optscale_judge_unreadable_total"), 2);

  ServeProcess fallback(dir_, generator_->root(),
                        {"--metrics", "--scorer-kind", "judge", "--judge-unreadable", "0.5"}, "fallback",
                        generator_->v1(), "mock");
  auto half = fallback.post(chat(6, "bon:n=2"));
  ASSERT_TRUE(half);
  ASSERT_EQ(half->status, 200) << half->body << fallback.stderr_text();
  const json answer = json::parse(half->body);  // kept: the loop below walks into it
  for (const json& score : answer["optscale"]["scores"]) EXPECT_EQ(score.get<double>(), 0.5);
  EXPECT_EQ(metric(fallback.metrics(), "optscale_judge_unreadable_total"), 2);
  EXPECT_EQ(metric(fallback.metrics(), "optscale_samples_failed_total"), 0);
}

// A client that gives up (an SDK timeout) stops its request's upstream work
// and frees its slot; it is counted client_closed, not answered.
TEST_P(ServeAgainst, AClientThatGivesUpStopsItsUpstreamWork) {
  ServeProcess& serve = start({"--hold"}, {"--max-concurrent", "1", "--n-mode", "single", "--upstream-in-flight", "1"});
  {
    const int fd = send_raw_chat_request(serve.port(), chat(5, "bon:n=12").dump());
    // Its first generation is held upstream: the client gives up before any answer.
    ASSERT_TRUE(wait_held(*generator_, 1));
    char byte = 0;
    EXPECT_LT(::recv(fd, &byte, 1, MSG_DONTWAIT), 0) << "an answer came before the client gave up";
    ::close(fd);
  }
  ASSERT_TRUE(wait_for_metric(serve, "optscale_requests_total{outcome=\"client_closed\"} 1")) << serve.metrics();
  ASSERT_TRUE(wait_in_flight(serve, 0));
  // The held generations are let go (holding goes on): a proxy still working
  // for the request would get their answers at once and send its next
  // requests within milliseconds; 300 ms is many such round trips.
  const long long after = mock_metric(*generator_, "optscale_mock_requests_total");
  const long long held = mock_metric(*generator_, "optscale_mock_held");
  const long long held_total = mock_metric(*generator_, "optscale_mock_held_total");
  EXPECT_GE(held, 1);
  EXPECT_EQ(release_held(*generator_, held), held);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(mock_metric(*generator_, "optscale_mock_requests_total"), after);
  EXPECT_EQ(mock_metric(*generator_, "optscale_mock_held_total"), held_total) << "another generation was sent";
  EXPECT_LT(after, 12);
  EXPECT_EQ(metric(serve.metrics(), "optscale_requests_total{outcome=\"answered\"}"), 0);
  release_held(*generator_);  // and nothing more is held
  auto next = serve.post(chat(5, "bon:n=1"));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200) << next->body;
}

// SIGTERM while a Best-of-N stream and a relayed (live) stream are in
// flight: both arrive whole, then the proxy exits 0.
TEST_P(ServeAgainst, StreamsInFlightAtSigtermArriveWhole) {
  // Both held upstream until the proxy drains; the relayed one then streams
  // its events 20 ms apart while the proxy shuts down.
  ServeProcess& serve = start({"--hold", "--stream-delay", "20"}, {"--shutdown-grace", "30"});
  auto answered = std::async(std::launch::async, [&] {
    auto r = serve.post(chat(5, "bon:n=2", {{"stream", true}}));
    return r ? std::make_pair(r->status, r->body) : std::make_pair(-1, std::string());
  });
  auto relayed = std::async(std::launch::async, [&] {
    auto r = serve.client()->Post("/v1/completions",
                                  json{{"model", "mock"}, {"prompt", problem_text(5)}, {"seed", 3}, {"stream", true}}.dump(),
                                  "application/json");
    return r ? std::make_pair(r->status, r->body) : std::make_pair(-1, std::string());
  });
  ASSERT_TRUE(wait_in_flight(serve, 2));
  ASSERT_TRUE(wait_held(*generator_, 2));  // the relayed request and the first of Best-of-N's
  serve.process().signal(SIGTERM);
  ASSERT_TRUE(wait_draining(serve)) << serve.stderr_text();
  EXPECT_FALSE(answered.wait_for(0s) == std::future_status::ready) << "answered before its upstream was released";
  EXPECT_FALSE(relayed.wait_for(0s) == std::future_status::ready) << "relayed before its upstream was released";
  EXPECT_GE(release_held(*generator_), 2);
  for (auto* reply : {&answered, &relayed}) {
    const auto [status, body] = reply->get();
    EXPECT_EQ(status, 200) << body;
    EXPECT_NE(body.find("\"finish_reason\":\"stop\""), std::string::npos) << body;
    EXPECT_EQ(body.size() >= 14 ? body.substr(body.size() - 14) : body, "data: [DONE]\n\n");
  }
  EXPECT_EQ(serve.process().wait(), 0) << serve.stderr_text();
}

// An unknown model: vLLM and Ollama refuse it (404 model_not_found to the
// client); llama.cpp and SGLang serve their one model whatever the name.
TEST_P(ServeAgainst, AnUnknownModelIs404WhereTheServerChecksNames) {
  ServeProcess& serve = start();
  json body = chat(5, "bon:n=2");
  body["model"] = "no-such-model";
  auto r = serve.post(body);
  ASSERT_TRUE(r);
  if (GetParam().checks_model) {
    EXPECT_EQ(r->status, 404) << r->body;
    EXPECT_EQ(error_of(r)["code"], "model_not_found");
    EXPECT_EQ(error_of(r)["param"], "model");
  } else {
    EXPECT_EQ(r->status, 200) << r->body;
  }
}

// Every other path goes to the upstream and comes back as it answered there:
// the same status and body as asking the server directly.
TEST_P(ServeAgainst, OtherEndpointsAnswerAsTheServerDoes) {
  ServeProcess& serve = start();
  httplib::Client direct("127.0.0.1", generator_->port());
  const std::string completion = json{{"model", "mock"}, {"prompt", problem_text(7)}, {"seed", 2}}.dump();
  const std::string embedding = R"({"model":"mock","input":"hello"})";
  const std::vector<std::pair<std::string, std::string>> posts = {
      {"/v1/completions", completion}, {"/v1/embeddings", embedding}, {"/v1/responses", R"({"input":"hi"})"}};
  for (const auto& [path, body] : posts) {
    auto via = serve.client()->Post(path, body, "application/json");
    auto there = direct.Post(path, body, "application/json");
    ASSERT_TRUE(via && there) << path;
    EXPECT_EQ(via->status, there->status) << path << ": " << via->body;
    EXPECT_EQ(via->body, there->body) << path;
  }
  auto text = serve.client()->Post("/v1/completions", completion, "application/json");
  EXPECT_EQ(json::parse(text->body)["choices"][0]["text"], pool_text(7, 2));
  for (const std::string path : {"/v1/models", "/v1/models/mock"}) {
    auto via = serve.client()->Get(path);
    auto there = direct.Get(path);
    ASSERT_TRUE(via && there) << path;
    EXPECT_EQ(via->status, there->status) << path << ": " << via->body;
    EXPECT_EQ(via->body, there->body) << path;
  }
  EXPECT_EQ(serve.client()->Get("/v1/models/mock")->status, GetParam().serves_model_card ? 200 : 404);
}

// Reads a streamed answer through the proxy; when its first event arrives,
// asks the mock whether it is still sending: a live relay delivers it while
// the mock still streams (--stream-delay between events), a buffered one only
// after the mock's last event.
struct StreamSeen {
  int status = -1;
  std::string body;
  std::optional<long long> open_at_first_event;  // the mock's open streams then
};

StreamSeen read_stream(const ServeProcess& serve, const MockServerProcess& mock, const std::string& path,
                       const json& body, httplib::Headers headers = {}) {
  StreamSeen seen;
  httplib::Request request;
  request.method = "POST";
  request.path = path;
  request.headers = std::move(headers);
  request.headers.emplace("Content-Type", "application/json");
  request.body = body.dump();
  request.content_receiver = [&](const char* data, size_t length, uint64_t, uint64_t) {
    seen.body.append(data, length);
    if (!seen.open_at_first_event && seen.body.find("\n\n") != std::string::npos)
      seen.open_at_first_event = mock_metric(mock, "optscale_mock_streams_open");
    return true;
  };
  auto client = serve.client();
  auto r = client->send(request);
  if (r) seen.status = r->status;
  return seen;
}

TEST_P(ServeAgainst, RelayedStreamsReachTheClientAsTheServerSendsThem) {
  // A long sample's events 40 ms apart: the mock still sends for a good part
  // of a second after the first event, far longer than the check takes.
  ServeProcess& serve = start({"--stream-delay", "40"});
  const json completion = {{"model", "mock"}, {"prompt", problem_text(8)}, {"seed", 1}, {"stream", true}};
  const StreamSeen seen = read_stream(serve, *generator_, "/v1/completions", completion);
  EXPECT_EQ(seen.status, 200) << seen.body;
  ASSERT_TRUE(seen.open_at_first_event.has_value());
  EXPECT_EQ(*seen.open_at_first_event, 1) << "the first event came only after the server had sent the last";
  EXPECT_EQ(seen.body.substr(seen.body.size() - 14), "data: [DONE]\n\n");
  std::string text;
  std::istringstream lines(seen.body);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("data: {", 0) == 0) text += json::parse(line.substr(6))["choices"][0]["text"].get<std::string>();
  EXPECT_EQ(text, pool_text(8, 1));
  EXPECT_EQ(mock_metric(*generator_, "optscale_mock_streams_open"), 0);

  // A chat request the proxy passes through (X-OptScale: off) streams live too.
  const json chat_stream = {{"model", "mock"},
                            {"messages", {{{"role", "user"}, {"content", problem_text(8)}}}},
                            {"seed", 2},
                            {"stream", true}};
  const StreamSeen off = read_stream(serve, *generator_, "/v1/chat/completions", chat_stream, {{"X-OptScale", "off"}});
  EXPECT_EQ(off.status, 200) << off.body;
  ASSERT_TRUE(off.open_at_first_event.has_value());
  EXPECT_EQ(*off.open_at_first_event, 1);
  EXPECT_EQ(metric(serve.metrics(), "optscale_requests_total{outcome=\"passthrough\"}"), 2);
}

// A client that leaves a relayed stream stops it upstream.
TEST_P(ServeAgainst, AClientLeavingARelayedStreamStopsIt) {
  ServeProcess& serve = start({"--stream-delay", "200"});
  httplib::Request request;
  request.method = "POST";
  request.path = "/v1/completions";
  request.headers.emplace("Content-Type", "application/json");
  request.body = json{{"model", "mock"}, {"prompt", problem_text(9)}, {"seed", 0}, {"stream", true}}.dump();
  std::string received;
  request.content_receiver = [&](const char* data, size_t length, uint64_t, uint64_t) {
    received.append(data, length);
    return received.find("\n\n") == std::string::npos;  // hangs up after the first event
  };
  serve.client()->send(request);
  ASSERT_NE(received.find("data: "), std::string::npos);
  ASSERT_TRUE(wait_in_flight(serve, 0));
  bool closed = false;
  for (int i = 0; i < 3000 && !closed; ++i) {
    closed = mock_metric(*generator_, "optscale_mock_streams_open") == 0;
    if (!closed) std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(closed) << "the upstream stream was not stopped";
}

INSTANTIATE_TEST_SUITE_P(Personalities, ServeAgainst, ::testing::ValuesIn(kPersonalities), test_name);

// A relayed stream cut by the proxy after it began (here its request
// timeout) ends with an OpenAI error event, not silently.
TEST(ServeRelayedStream, AStreamCutAfterItBeganEndsWithAnErrorEvent) {
  const fs::path dir = make_temp_dir("serve-stream-cut");
  {
    std::ofstream out(dir / "pool.jsonl");
    for (const json& problem : long_sample_pool()) out << problem.dump() << "\n";
  }
  // The first event after 0.1 s, the deadline at 1 s (0.9 s to relay that
  // event, ample even for a sanitizer build on a loaded machine), the
  // stream's end far later (over a hundred events, 0.1 s apart).
  MockServerProcess mock(dir, dir / "pool.jsonl", {"--stream-delay", "100"});
  ServeProcess serve(dir, mock.root(), {"--request-timeout", "1"});
  auto r = serve.client()->Post(
      "/v1/completions", json{{"model", "mock"}, {"prompt", problem_text(2)}, {"seed", 0}, {"stream", true}}.dump(),
      "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("\"text\""), std::string::npos) << "some events came first: " << r->body;
  const auto last = r->body.rfind("data: ");
  ASSERT_NE(last, std::string::npos) << r->body;
  const json event = json::parse(r->body.substr(last + 6));
  // The proxy's deadline and the upstream transfer's own limit (the same
  // --request-timeout) end it together: either names the timeout.
  const std::string code = event["error"]["code"].get<std::string>();
  EXPECT_TRUE(code == "request_timeout" || code == "upstream_timeout") << r->body;
  EXPECT_EQ(r->body.find("[DONE]"), std::string::npos) << r->body;
  std::filesystem::remove_all(dir);
}

// SGLang's one-logit reward model: /v1/classify answers probs [1.0] for
// every sample, which the proxy refuses to use; the native /classify at the
// server root gives the logit, whose sigmoid is the pool's score.
TEST(ServeAgainstSglang, AOneLogitClassifierIsReadFromItsRawLogit) {
  const fs::path dir = make_temp_dir("serve-sglang-classify");
  {
    std::ofstream out(dir / "pool.jsonl");
    for (const json& problem : long_sample_pool()) out << problem.dump() << "\n";
  }
  const auto pool = long_sample_pool();
  MockServerProcess sglang(dir, dir / "pool.jsonl", {"--personality", "sglang"});
  ServeProcess root(dir, sglang.root(), {"--scorer-kind", "classify"}, "root");
  auto r = root.post(chat(5, "bon:n=3"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json scores = json::parse(r->body)["optscale"]["scores"];
  for (std::size_t k = 0; k < 3; ++k)
    EXPECT_NEAR(scores[k].get<double>(), pool[5]["samples"][k]["score"].get<double>(), 1e-9) << k;

  ServeProcess v1(dir, sglang.root(), {"--scorer-kind", "classify"}, "v1", sglang.v1());
  auto softmaxed = v1.post(chat(5, "bon:n=3"));
  ASSERT_TRUE(softmaxed);
  EXPECT_EQ(softmaxed->status, 502) << softmaxed->body;
  EXPECT_NE(v1.stderr_text().find("probs [1.0]"), std::string::npos) << v1.stderr_text();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace optscale::testing
