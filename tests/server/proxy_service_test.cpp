// Request handling without HTTP: a scripted answerer and upstream stand in
// for the engine, so each rule of the proxy is checked on its own.
#include "optscale/server/proxy_service.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "optscale/server/api_error.hpp"
#include "optscale/server/http_upstream.hpp"
#include "proxy_fakes.hpp"

namespace optscale::server {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

const std::string kChatBody =
    R"({"model":"qwen","messages":[{"role":"user","content":"What is 2+2?"}],"temperature":0.8})";

struct Harness {
  explicit Harness(ProxyOptions options = {}) : log(1, [this](std::string_view line) { lines.emplace_back(line); }) {
    answerer.result = testing::three_samples();
    service = std::make_unique<ProxyService>(std::move(options), answerer, upstream, testing::choose_fake_strategy,
                                             log);
  }
  ProxyReply post(const std::string& body, const std::string& authorization = "",
                  const std::string& optscale_header = "") {
    return service->handle({"POST", "/v1/chat/completions", body, authorization, optscale_header});
  }
  ProxyReply get(const std::string& path, const std::string& authorization = "") {
    return service->handle({"GET", path, "", authorization, ""});
  }
  std::string metrics() { return service->metrics().render(); }

  testing::ScriptedAnswerer answerer;
  testing::ScriptedUpstream upstream;
  std::vector<std::string> lines;
  RequestLog log;
  std::unique_ptr<ProxyService> service;
};

json error_of(const ProxyReply& reply) {
  const json body = json::parse(reply.body);
  EXPECT_TRUE(body.contains("error")) << reply.body;
  EXPECT_TRUE(body["error"].contains("message"));
  EXPECT_TRUE(body["error"].contains("type"));
  EXPECT_TRUE(body["error"].contains("code"));
  EXPECT_TRUE(body["error"].contains("param"));
  return body["error"];
}

bool has_line(const std::string& metrics, const std::string& line) {
  return metrics.find(line + "\n") != std::string::npos;
}

TEST(ProxyService, AnswersWithTheSelectedSampleAndCountsEveryToken) {
  Harness h;
  const ProxyReply reply = h.post(kChatBody);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_FALSE(reply.streaming);
  const json body = json::parse(reply.body);
  EXPECT_EQ(body["choices"][0]["message"]["content"], "second answer, the best");
  EXPECT_EQ(body["model"], "qwen");
  EXPECT_EQ(body["usage"]["completion_tokens"], 60);
  EXPECT_EQ(body["usage"]["prompt_tokens"], 7);
  EXPECT_EQ(body["optscale"]["samples"], 3);
  EXPECT_EQ(body["optscale"]["budget"], 4);
  EXPECT_EQ(body["optscale"]["budget_saved"], 1);
  EXPECT_EQ(body["optscale"]["stop_reason"], "target-reached");
  EXPECT_EQ(body["optscale"]["policy"], "fake,n=4");

  // What the answerer was asked: the body less the proxy's fields, the last user turn.
  const auto requests = h.answerer.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].chat_body, json::parse(kChatBody));
  EXPECT_EQ(requests[0].problem, "What is 2+2?");
  EXPECT_EQ(requests[0].model, "qwen");
  EXPECT_EQ(h.answerer.budgets(), std::vector<int>{4});
  EXPECT_NE(requests[0].cancel, nullptr);

  const std::string m = h.metrics();
  EXPECT_TRUE(has_line(m, "optscale_requests_total{outcome=\"answered\"} 1")) << m;
  EXPECT_TRUE(has_line(m, "optscale_samples_drawn_total 3"));
  EXPECT_TRUE(has_line(m, "optscale_samples_saved_total 1"));
  EXPECT_TRUE(has_line(m, "optscale_completion_tokens_drawn_total 60"));
  EXPECT_TRUE(has_line(m, "optscale_stop_reasons_total{reason=\"target-reached\"} 1"));
  EXPECT_TRUE(has_line(m, "optscale_request_duration_seconds_count{mode=\"optscale\"} 1"));
  EXPECT_TRUE(has_line(m, "optscale_requests_in_flight 0"));
}

TEST(ProxyService, ModelFallsBackToTheUpstreamsWhenTheClientNamesNone) {
  Harness h;
  const ProxyReply reply = h.post(R"({"messages":[{"role":"user","content":"hi"}]})");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(json::parse(reply.body)["model"], "upstream-model");
}

TEST(ProxyService, OverridesReachThePolicyChooser) {
  Harness h;
  const ProxyReply reply = h.post(
      R"({"messages":[{"role":"user","content":"hi"}],"optscale":{"policy":"bon","budget":9,"target":0.5,"confidence":0.9}})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const json report = json::parse(reply.body)["optscale"];
  EXPECT_EQ(report["budget"], 9);
  EXPECT_EQ(report["policy"], "bon,target=0.500000,confidence=0.900000,n=9");
}

TEST(ProxyService, AChooserRefusalIsA400) {
  Harness h;
  h.service = std::make_unique<ProxyService>(
      ProxyOptions{}, h.answerer, h.upstream,
      [](const RequestOverrides&) -> std::shared_ptr<const policy::Strategy> {
        throw ApiError(400, "strategy spec 'bon:n=4,target=0.9': unknown key 'target'", "invalid_policy",
                       "optscale");
      },
      h.log);
  const ProxyReply reply = h.post(R"({"messages":[{"role":"user","content":"hi"}],"optscale":{"target":0.9}})");
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(error_of(reply)["code"], "invalid_policy");
  EXPECT_TRUE(h.answerer.requests().empty());
}

TEST(ProxyService, SeedsComeFromTheClientOrDifferPerRequest) {
  Harness h;
  h.post(R"({"messages":[{"role":"user","content":"hi"}],"seed":1234})");
  h.post(kChatBody);
  h.post(kChatBody);
  const auto requests = h.answerer.requests();
  EXPECT_EQ(requests[0].seed, 1234);
  EXPECT_NE(requests[1].seed, requests[2].seed);
  for (const auto& r : requests) EXPECT_GE(r.seed, 0);
  EXPECT_LT(requests[1].seed, 1LL << 30);

  // The same server seed gives the same sequence of request seeds.
  Harness again;
  again.post(R"({"messages":[{"role":"user","content":"hi"}],"seed":1234})");
  again.post(kChatBody);
  EXPECT_EQ(again.answerer.requests()[1].seed, requests[1].seed);
}

TEST(ProxyService, StreamingGivesServerSentEvents) {
  Harness h;
  const ProxyReply reply = h.post(R"({"messages":[{"role":"user","content":"hi"}],"stream":true})");
  ASSERT_EQ(reply.status, 200);
  EXPECT_TRUE(reply.streaming);
  EXPECT_EQ(reply.content_type, "text/event-stream");
  ASSERT_GE(reply.events.size(), 4u);
  EXPECT_EQ(reply.events.back(), "data: [DONE]\n\n");
  EXPECT_EQ(h.answerer.requests().at(0).chat_body.count("stream"), 0u);
}

TEST(ProxyService, PassThroughForwardsTheBodyUnchanged) {
  Harness h;
  h.upstream.chat_reply = {201, "upstream bytes", "text/plain"};
  const std::string n3 = R"({"messages":[{"role":"user","content":"hi"}],"n":3})";
  ProxyReply reply = h.post(n3);
  EXPECT_EQ(reply.status, 201);
  EXPECT_EQ(reply.body, "upstream bytes");
  EXPECT_EQ(reply.content_type, "text/plain");
  reply = h.post(kChatBody, "", "off");
  EXPECT_EQ(reply.status, 201);
  ASSERT_EQ(h.upstream.forwarded.size(), 2u);
  EXPECT_EQ(h.upstream.forwarded[0], n3);
  EXPECT_EQ(h.upstream.forwarded[1], kChatBody);
  EXPECT_TRUE(h.answerer.requests().empty());
  EXPECT_TRUE(has_line(h.metrics(), "optscale_requests_total{outcome=\"passthrough\"} 2"));
  EXPECT_TRUE(has_line(h.metrics(), "optscale_request_duration_seconds_count{mode=\"passthrough\"} 2"));
}

TEST(ProxyService, UpstreamFailuresMapTo502And504WithoutInternalAddresses) {
  using Kind = UpstreamError::Kind;
  using Side = UpstreamError::Side;
  struct Case {
    Kind kind;
    Side side;
    long upstream_status;
    int status;
    std::string code, outcome, phrase;
  };
  for (const Case& c : {
           Case{Kind::unavailable, Side::generator, 503, 502, "upstream_error", "upstream_error", "HTTP 503"},
           Case{Kind::unavailable, Side::scorer, 0, 502, "upstream_error", "upstream_error", "the scorer failed"},
           Case{Kind::timeout, Side::generator, 0, 504, "upstream_timeout", "upstream_timeout", "in time"},
           // The client's own request, refused: its fault, with the server's words.
           Case{Kind::rejected, Side::generator, 400, 400, "upstream_rejected", "invalid_request", "max_tokens"},
           // Refusals of what the proxy made up are its configuration: 502.
           Case{Kind::rejected, Side::scorer, 404, 502, "upstream_misconfigured", "upstream_error", "scorer"},
           Case{Kind::rejected, Side::scorer, 400, 502, "upstream_misconfigured", "upstream_error", "scorer"},
           Case{Kind::rejected, Side::generator, 401, 502, "upstream_misconfigured", "upstream_error", "credentials"},
       }) {
    Harness h;
    h.answerer.upstream_errors_to_report = {"connection_error", "connection_error"};
    h.answerer.fail = [&] {
      throw UpstreamError(c.kind, "generation request to http://10.1.2.3:9/v1 refused: max_tokens is too large",
                          c.side, c.upstream_status, "max_tokens is too large (see http://10.1.2.3:9/docs)");
    };
    const ProxyReply reply = h.post(kChatBody);
    EXPECT_EQ(reply.status, c.status) << c.code;
    const json error = error_of(reply);
    EXPECT_EQ(error["code"], c.code);
    const std::string message = error["message"].get<std::string>();
    EXPECT_NE(message.find(c.phrase), std::string::npos) << message;
    EXPECT_EQ(reply.body.find("10.1.2.3"), std::string::npos) << reply.body;
    const std::string m = h.metrics();
    EXPECT_TRUE(has_line(m, "optscale_requests_total{outcome=\"" + c.outcome + "\"} 1")) << c.outcome;
    EXPECT_TRUE(has_line(m, "optscale_upstream_errors_total{kind=\"connection_error\"} 2"));
    // The log has the full story, for the operator.
    if (c.status >= 500) {
      ASSERT_FALSE(h.lines.empty());
      EXPECT_NE(h.lines.back().find("http://10.1.2.3:9/v1"), std::string::npos) << h.lines.back();
    }
  }
  Harness h;
  h.upstream.fail = [] { throw UpstreamError(UpstreamError::Kind::timeout, "no answer"); };
  EXPECT_EQ(h.post(kChatBody, "", "off").status, 504);
  EXPECT_EQ(h.get("/v1/models").status, 504);
}

TEST(ProxyService, AnUnknownModelIs404ModelNotFoundAndAWrongUpstreamUrlIs502) {
  const auto refused_404 = [] {
    throw UpstreamError(UpstreamError::Kind::rejected, "HTTP 404 from POST http://10.1.2.3:9/v1/chat/completions",
                        UpstreamError::Side::generator, 404, "The model `qwen` does not exist.");
  };
  Harness h;  // the upstream lists only "m"; kChatBody asks for "qwen"
  h.answerer.fail = refused_404;
  ProxyReply reply = h.post(kChatBody);
  EXPECT_EQ(reply.status, 404);
  json error = error_of(reply);
  EXPECT_EQ(error["code"], "model_not_found");
  EXPECT_EQ(error["param"], "model");
  EXPECT_EQ(error["type"], "invalid_request_error");
  EXPECT_TRUE(has_line(h.metrics(), "optscale_requests_total{outcome=\"invalid_request\"} 1"));
  // A 404 for a model the upstream does list: the proxy's URL is wrong.
  h.upstream.models_reply.body = R"({"object":"list","data":[{"id":"qwen","object":"model"}]})";
  reply = h.post(kChatBody);
  EXPECT_EQ(reply.status, 502);
  EXPECT_EQ(error_of(reply)["code"], "upstream_misconfigured");
  // So is a 404 for the server's default model (the request named none).
  reply = h.post(R"({"messages":[{"role":"user","content":"hi"}]})");
  EXPECT_EQ(reply.status, 502);
  EXPECT_EQ(reply.body.find("10.1.2.3"), std::string::npos) << reply.body;
}

TEST(ProxyService, AnInternalErrorIsA500WithoutDetailsForTheClient) {
  Harness h;
  h.answerer.fail = [] { throw std::runtime_error("secret internal detail"); };
  const ProxyReply reply = h.post(kChatBody);
  EXPECT_EQ(reply.status, 500);
  EXPECT_EQ(reply.body.find("secret internal detail"), std::string::npos);
  EXPECT_TRUE(has_line(h.metrics(), "optscale_requests_total{outcome=\"internal_error\"} 1"));
  // An answerer returning an inconsistent result is caught too.
  Harness h2;
  h2.answerer.result.samples.clear();
  EXPECT_EQ(h2.post(kChatBody).status, 500);
}

TEST(ProxyService, AuthenticationProtectsEverythingButHealth) {
  ProxyOptions options;
  options.api_key = "sk-test-123";
  options.metrics = true;
  Harness h(options);
  for (const std::string& header : {std::string(), std::string("Bearer wrong"), std::string("sk-test-123")}) {
    const ProxyReply reply = h.post(kChatBody, header);
    EXPECT_EQ(reply.status, 401) << header;
    EXPECT_EQ(error_of(reply)["type"], "authentication_error");
    EXPECT_EQ(h.get("/v1/models", header).status, 401);
    EXPECT_EQ(h.get("/metrics", header).status, 401);
  }
  EXPECT_TRUE(h.answerer.requests().empty());
  EXPECT_EQ(h.post(kChatBody, "Bearer sk-test-123").status, 200);
  EXPECT_EQ(h.get("/v1/models", "Bearer sk-test-123").status, 200);
  EXPECT_EQ(h.get("/metrics", "Bearer sk-test-123").status, 200);
  EXPECT_EQ(h.get("/health").status, 200);
  EXPECT_TRUE(has_line(h.metrics(), "optscale_requests_total{outcome=\"unauthorized\"} 3"));
}

TEST(ProxyService, OversizeBodiesAre413) {
  ProxyOptions options;
  options.max_body_bytes = 100;
  Harness h(options);
  const ProxyReply reply = h.post(std::string(101, ' '));
  EXPECT_EQ(reply.status, 413);
  EXPECT_EQ(error_of(reply)["type"], "invalid_request_error");
  const ProxyReply announced = h.service->too_large("POST", "/v1/chat/completions", 1 << 30);
  EXPECT_EQ(announced.status, 413);
  EXPECT_TRUE(has_line(h.metrics(), "optscale_requests_total{outcome=\"too_large\"} 2"));
  std::string at_limit = kChatBody;
  ASSERT_LE(at_limit.size(), 100u);
  at_limit.resize(100, ' ');  // exactly the limit: served
  EXPECT_EQ(h.post(at_limit).status, 200);
}

TEST(ProxyService, BadRequestsAre400InTheOpenAIShape) {
  Harness h;
  const ProxyReply reply = h.post(R"({"messages":[{"role":"user","content":"hi"}],"n":0})");
  EXPECT_EQ(reply.status, 400);
  const json error = error_of(reply);
  EXPECT_EQ(error["type"], "invalid_request_error");
  EXPECT_EQ(error["param"], "n");
  EXPECT_TRUE(has_line(h.metrics(), "optscale_requests_total{outcome=\"invalid_request\"} 1"));
}

TEST(ProxyService, RoutesAndMethods) {
  Harness h;
  EXPECT_EQ(h.get("/v1/chat/completions").status, 405);
  EXPECT_EQ(h.get("/metrics").status, 404);  // disabled without --metrics
  const ProxyReply models = h.get("/v1/models");
  EXPECT_EQ(models.status, 200);
  EXPECT_EQ(models.body, h.upstream.models_reply.body);
  EXPECT_EQ(h.get("/models").status, 200);
  EXPECT_EQ(h.service->handle({"POST", "/chat/completions", kChatBody, "", ""}).status, 200);
}

TEST(ProxyService, EveryOtherPathIsRelayedToTheUpstreamAsItCame) {
  Harness h;
  h.upstream.chat_reply = {418, "upstream bytes", "text/event-stream"};
  ProxyRequest request{"POST", "/v1/completions", R"({"prompt":"x","stream":true})", "", ""};
  request.query = "?api-version=1";
  request.content_type = "application/json; charset=utf-8";
  request.accept = "text/event-stream";
  ProxyReply reply = h.service->handle(request);
  EXPECT_EQ(reply.status, 418);  // whatever the upstream says
  EXPECT_EQ(reply.body, "upstream bytes");
  EXPECT_EQ(reply.content_type, "text/event-stream");
  EXPECT_EQ(h.service->handle({"GET", "/v1/models/m", "", "", ""}).status, 418);
  EXPECT_EQ(h.service->handle({"DELETE", "/v1/responses/r1", "", "", ""}).status, 418);
  EXPECT_EQ(h.service->handle({"POST", "/embeddings", "{}", "", ""}).status, 418);
  ASSERT_EQ(h.upstream.relayed.size(), 4u);
  const RelayRequest& first = h.upstream.relayed[0];
  EXPECT_EQ(first.method, "POST");
  EXPECT_EQ(first.path, "/completions");  // relative to the upstream's /v1 base
  EXPECT_EQ(first.query, "?api-version=1");
  EXPECT_EQ(first.body, R"({"prompt":"x","stream":true})");
  EXPECT_EQ(first.content_type, "application/json; charset=utf-8");
  EXPECT_EQ(first.accept, "text/event-stream");
  EXPECT_EQ(h.upstream.relayed[1].path, "/models/m");
  EXPECT_EQ(h.upstream.relayed[2].method, "DELETE");
  EXPECT_EQ(h.upstream.relayed[2].path, "/responses/r1");
  EXPECT_EQ(h.upstream.relayed[3].path, "/embeddings");
  EXPECT_TRUE(h.answerer.requests().empty());
  EXPECT_TRUE(has_line(h.metrics(), "optscale_requests_total{outcome=\"passthrough\"} 4"));
}

TEST(ProxyService, AStreamedAnswerIsRelayedPieceByPieceAndAnErrorAnswerWhole) {
  Harness h;
  h.upstream.chat_reply = {200, "", "text/event-stream"};
  h.upstream.pieces = {"data: {\"a\":1}\n\n", "data: {\"a\":2}\n\n", "data: [DONE]\n\n"};
  ProxyReply reply = h.service->handle({"POST", "/v1/completions", R"({"prompt":"x","stream":true})", "", ""});
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.content_type, "text/event-stream");
  ASSERT_TRUE(reply.live);
  std::vector<std::string> taken;
  for (std::string piece; reply.live->next(piece);) taken.push_back(piece);
  EXPECT_EQ(taken, h.upstream.pieces);
  EXPECT_TRUE(h.upstream.relayed[0].body.find("stream") != std::string::npos);
  // An answer that is not an event stream (here the upstream's refusal) is
  // relayed whole, as before.
  h.upstream.chat_reply = {400, R"({"error":"no"})", "application/json"};
  h.upstream.pieces.clear();
  reply = h.service->handle({"POST", "/v1/completions", R"({"prompt":"x","stream":true})", "", ""});
  EXPECT_EQ(reply.status, 400);
  EXPECT_FALSE(reply.live);
  EXPECT_EQ(reply.body, R"({"error":"no"})");
  // A request that asks for no stream is never relayed live.
  h.upstream.chat_reply = {200, "data: x\n\n", "text/event-stream"};
  reply = h.service->handle({"POST", "/v1/completions", R"({"prompt":"x"})", "", ""});
  EXPECT_FALSE(reply.live);
  EXPECT_EQ(reply.body, "data: x\n\n");
  EXPECT_TRUE(has_line(h.metrics(), "optscale_requests_total{outcome=\"passthrough\"} 3"));
}

TEST(ProxyService, EveryReplyHasItsOwnRequestId) {
  ProxyOptions options;
  options.api_key = "k";
  Harness h(options);
  std::set<std::string> ids;
  for (const ProxyReply& reply : {h.post(kChatBody, "Bearer k"), h.post(kChatBody), h.get("/health"),
                                  h.get("/v1/models", "Bearer k"), h.post("{", "Bearer k")}) {
    std::string id;
    for (const auto& [name, value] : reply.headers)
      if (name == "x-request-id") id = value;
    EXPECT_EQ(id.rfind("req_", 0), 0u) << reply.status;
    EXPECT_EQ(id.size(), 28u) << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 5u);
}

TEST(ProxyService, OptscaleNullIsUnset) {
  Harness h;
  const ProxyReply reply = h.post(R"({"messages":[{"role":"user","content":"hi"}],"optscale":null})");
  EXPECT_EQ(reply.status, 200) << reply.body;
  // ... also on a request that passes through, where overrides are refused.
  EXPECT_EQ(h.post(R"({"messages":[{"role":"user","content":"hi"}],"n":2,"optscale":null})").status, 200);
  EXPECT_EQ(h.upstream.forwarded.size(), 1u);
}

TEST(ProxyService, HealthIs503WithTheReasonWhenABackendIsDown) {
  Harness h;
  EXPECT_EQ(json::parse(h.get("/health").body)["status"], "ok");
  h.upstream.health_report = {true, false, "", "http://127.0.0.1:9: connection refused"};
  ProxyReply reply = h.get("/health");
  EXPECT_EQ(reply.status, 503);
  // Unauthenticated: what failed, without internal addresses.
  EXPECT_EQ(error_of(reply)["message"], "scorer: <upstream>: connection refused");
  h.upstream.health_report = {false, false, "HTTP 500", "refused"};
  reply = h.get("/health");
  EXPECT_EQ(error_of(reply)["message"], "upstream: HTTP 500; scorer: refused");
}

TEST(ProxyService, BeyondTheConcurrencyLimitRequestsGet429WithRetryAfter) {
  ProxyOptions options;
  options.max_concurrent = 2;
  Harness h(options);
  h.answerer.hold();
  auto first = std::async(std::launch::async, [&] { return h.post(kChatBody); });
  auto second = std::async(std::launch::async, [&] { return h.post(kChatBody); });
  h.answerer.wait_for_waiting(2);
  const ProxyReply refused = h.post(kChatBody);
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(error_of(refused)["type"], "rate_limit_exceeded");
  EXPECT_EQ(std::count(refused.headers.begin(), refused.headers.end(),
                       std::make_pair(std::string("Retry-After"), std::string("1"))),
            1);
  // Pass-through requests count against the same limit.
  EXPECT_EQ(h.post(kChatBody, "", "off").status, 429);
  EXPECT_TRUE(has_line(h.metrics(), "optscale_requests_in_flight 2"));
  h.answerer.release();
  EXPECT_EQ(first.get().status, 200);
  EXPECT_EQ(second.get().status, 200);
  EXPECT_EQ(h.post(kChatBody).status, 200);
  EXPECT_TRUE(has_line(h.metrics(), "optscale_requests_total{outcome=\"overloaded\"} 2"));
}

TEST(ProxyService, TheDeadlineCancelsTheAnswerWith504) {
  ProxyOptions options;
  options.request_timeout = 30ms;
  Harness h(options);
  h.answerer.hold();  // never released: only the deadline ends it
  const ProxyReply reply = h.post(kChatBody);
  EXPECT_EQ(reply.status, 504);
  EXPECT_EQ(error_of(reply)["code"], "request_timeout");
  EXPECT_NE(error_of(reply)["message"].get<std::string>().find("0.03 s"), std::string::npos);
  EXPECT_TRUE(has_line(h.metrics(), "optscale_requests_total{outcome=\"deadline\"} 1"));
}

TEST(ProxyService, ShutdownRefusesNewRequestsAndCancelsTheRest) {
  Harness h;
  h.answerer.hold();
  auto in_flight = std::async(std::launch::async, [&] { return h.post(kChatBody); });
  h.answerer.wait_for_waiting(1);
  h.service->stop_accepting();
  const ProxyReply refused = h.post(kChatBody);
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(error_of(refused)["code"], "shutting_down");
  EXPECT_EQ(h.get("/health").status, 503);
  h.service->cancel_in_flight();
  const ProxyReply cancelled = in_flight.get();
  EXPECT_EQ(cancelled.status, 503);
  EXPECT_TRUE(has_line(h.metrics(), "optscale_requests_total{outcome=\"shutting_down\"} 2"));
}

TEST(ProxyService, LogsNeitherPromptsNorKeysByDefault) {
  ProxyOptions options;
  options.api_key = "sk-very-secret";
  for (int verbosity : {0, 1}) {
    std::vector<std::string> lines;
    RequestLog log(verbosity, [&](std::string_view line) { lines.emplace_back(line); });
    testing::ScriptedAnswerer answerer;
    testing::ScriptedUpstream upstream;
    answerer.result = testing::three_samples();
    ProxyService service(options, answerer, upstream, testing::choose_fake_strategy, log);
    const std::string prompt = R"({"messages":[{"role":"user","content":"my private prompt"}]})";
    service.handle({"POST", "/v1/chat/completions", prompt, "Bearer sk-very-secret", ""});
    service.handle({"POST", "/v1/chat/completions", prompt, "Bearer sk-wrong", ""});
    answerer.fail = [] { throw UpstreamError(UpstreamError::Kind::unavailable, "HTTP 503 from http://up/v1"); };
    service.handle({"POST", "/v1/chat/completions", prompt, "Bearer sk-very-secret", ""});
    for (const std::string& line : lines) {
      EXPECT_EQ(line.find("private prompt"), std::string::npos) << line;
      EXPECT_EQ(line.find("secret"), std::string::npos) << line;
    }
    // Failures are always logged; successes from verbosity 1 on.
    EXPECT_EQ(lines.size(), verbosity == 0 ? 1u : 3u);
    EXPECT_NE(lines.back().find("502 upstream_error"), std::string::npos) << lines.back();
  }
}

TEST(ProxyOptions, InvalidSettingsAreErrorsNamingTheFlag) {
  ProxyOptions options;
  options.max_concurrent = 0;
  EXPECT_THROW(options.validate(), Error);
  options = {};
  options.request_timeout = 0ms;
  EXPECT_THROW(options.validate(), Error);
  options = {};
  options.max_body_bytes = 0;
  EXPECT_THROW(options.validate(), Error);
}

}  // namespace
}  // namespace optscale::server

namespace optscale::server {
namespace {

TEST(HttpUpstream, ScorerHealthIsProbedWhereServersServeIt) {
  using backend::ScorerKind;
  // SGLang and vLLM serve /health at the root only, also when the scorer is
  // given as its OpenAI base (SGLang's /v1/classify).
  EXPECT_EQ(HttpUpstream::scorer_probe_url("http://h:30000/v1", ScorerKind::classify), "http://h:30000/health");
  EXPECT_EQ(HttpUpstream::scorer_probe_url("http://h:30000/v1/classify", ScorerKind::classify),
            "http://h:30000/health");
  EXPECT_EQ(HttpUpstream::scorer_probe_url("http://h:8001/", ScorerKind::pooling), "http://h:8001/health");
  EXPECT_EQ(HttpUpstream::scorer_probe_url("http://h:8001/pooling", ScorerKind::pooling), "http://h:8001/health");
  // A judge is an OpenAI base: its model list.
  EXPECT_EQ(HttpUpstream::scorer_probe_url("http://h:8002/v1", ScorerKind::judge), "http://h:8002/v1/models");
}

}  // namespace
}  // namespace optscale::server
