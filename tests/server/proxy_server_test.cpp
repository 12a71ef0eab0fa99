// The proxy over real HTTP on 127.0.0.1 (in process, scripted answerer):
// content types, server-sent events, bodies refused before they are read,
// httplib's own errors in the OpenAI shape, overload, graceful shutdown.
#include "optscale/server/proxy_server.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "proxy_fakes.hpp"
#include "raw_http.hpp"

namespace optscale::server {
namespace {

using nlohmann::json;
using optscale::testing::raw_exchange;
using namespace std::chrono_literals;

const std::string kChatBody = R"({"model":"qwen","messages":[{"role":"user","content":"What is 2+2?"}]})";

struct RunningProxy {
  explicit RunningProxy(ProxyOptions options = {}, HttpOptions http = {}) : log(0, [](std::string_view) {}) {
    answerer.result = testing::three_samples();
    service = std::make_unique<ProxyService>(std::move(options), answerer, upstream, testing::choose_fake_strategy,
                                             log);
    http.port = 0;
    server = std::make_unique<ProxyServer>(*service, http);
    port = server->start();
  }
  std::unique_ptr<httplib::Client> client() const {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", port);
    c->set_read_timeout(30, 0);
    return c;
  }
  testing::ScriptedAnswerer answerer;
  testing::ScriptedUpstream upstream;
  RequestLog log;
  std::unique_ptr<ProxyService> service;
  std::unique_ptr<ProxyServer> server;
  int port = 0;
};

json error_json_of(const std::string& http_answer) {
  const auto start = http_answer.find("\r\n\r\n");
  EXPECT_NE(start, std::string::npos) << http_answer;
  return json::parse(http_answer.substr(start + 4))["error"];
}

TEST(ProxyServer, AnswersChatCompletionsAsJson) {
  RunningProxy proxy;
  EXPECT_GT(proxy.port, 0);
  auto result = proxy.client()->Post("/v1/chat/completions", kChatBody, "application/json");
  ASSERT_TRUE(result) << httplib::to_string(result.error());
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(json::parse(result->body)["choices"][0]["message"]["content"], "second answer, the best");
}

TEST(ProxyServer, StreamsServerSentEvents) {
  RunningProxy proxy;
  const std::string body = R"({"messages":[{"role":"user","content":"hi"}],"stream":true})";
  auto result = proxy.client()->Post("/v1/chat/completions", body, "application/json");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Type"), "text/event-stream");
  // All events are ready at once: one body with its length, which (unlike
  // httplib's chunked providers) is still sent whole during shutdown.
  EXPECT_EQ(result->get_header_value("Content-Length"), std::to_string(result->body.size()));
  EXPECT_EQ(result->get_header_value("x-request-id").rfind("req_", 0), 0u);
  std::string text;
  std::size_t events = 0, start = 0;
  for (std::size_t end; (end = result->body.find("\n\n", start)) != std::string::npos; start = end + 2) {
    const std::string event = result->body.substr(start, end - start);
    ++events;
    ASSERT_EQ(event.rfind("data: ", 0), 0u) << event;
    if (event == "data: [DONE]") continue;
    const json chunk = json::parse(event.substr(6));
    if (chunk["choices"][0]["delta"].contains("content")) text += chunk["choices"][0]["delta"]["content"];
  }
  EXPECT_EQ(start, result->body.size());
  EXPECT_EQ(result->body.substr(result->body.size() - 14), "data: [DONE]\n\n");
  EXPECT_GE(events, 4u);
  EXPECT_EQ(text, "second answer, the best");
}

TEST(ProxyServer, AnAnnouncedOversizeBodyIsRefusedBeforeItIsRead) {
  ProxyOptions options;
  options.max_body_bytes = 1000;
  RunningProxy proxy(options);
  // The body is never sent: a server that waited for it would not answer 413.
  const std::string answer = raw_exchange(proxy.port,
                                          "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                                          "Content-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer;
  EXPECT_NE(answer.find("Connection: close"), std::string::npos);
  EXPECT_EQ(error_json_of(answer)["code"], "request_too_large");
  EXPECT_NE(proxy.service->metrics().render().find("optscale_requests_total{outcome=\"too_large\"} 1\n"),
            std::string::npos);
}

TEST(ProxyServer, AChunkedOversizeBodyGetsTheOpenAIErrorShape) {
  ProxyOptions options;
  options.max_body_bytes = 64;
  RunningProxy proxy(options);
  const std::string chunk(100, 'x');
  const std::string answer = raw_exchange(
      proxy.port, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n64\r\n" + chunk + "\r\n0\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer;
  EXPECT_EQ(error_json_of(answer)["type"], "invalid_request_error");
}

TEST(ProxyServer, MalformedHttpGetsTheOpenAIErrorShape) {
  RunningProxy proxy;
  const std::string answer = raw_exchange(proxy.port, "NONSENSE\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
  EXPECT_EQ(error_json_of(answer)["type"], "invalid_request_error");
}

TEST(ProxyServer, AuthenticationAndRetryAfterTravelAsHeaders) {
  ProxyOptions options;
  options.api_key = "sk-abc";
  options.max_concurrent = 1;
  RunningProxy proxy(options);
  auto client = proxy.client();
  auto refused = client->Post("/v1/chat/completions", kChatBody, "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  client->set_bearer_token_auth("sk-abc");

  proxy.answerer.hold();
  auto first = std::async(std::launch::async, [&] {
    auto c = proxy.client();
    c->set_bearer_token_auth("sk-abc");
    return c->Post("/v1/chat/completions", kChatBody, "application/json")->status;
  });
  proxy.answerer.wait_for_waiting(1);
  auto overloaded = client->Post("/v1/chat/completions", kChatBody, "application/json");
  ASSERT_TRUE(overloaded);
  EXPECT_EQ(overloaded->status, 429);
  EXPECT_EQ(overloaded->get_header_value("Retry-After"), "1");
  proxy.answerer.release();
  EXPECT_EQ(first.get(), 200);
}

TEST(ProxyServer, ShutdownLetsInFlightRequestsFinishAndRefusesNewConnections) {
  RunningProxy proxy;
  proxy.answerer.hold();
  std::vector<std::future<int>> in_flight;
  for (int i = 0; i < 3; ++i)
    in_flight.push_back(std::async(std::launch::async, [&] {
      auto result = proxy.client()->Post("/v1/chat/completions", kChatBody, "application/json");
      return result ? result->status : -1;
    }));
  proxy.answerer.wait_for_waiting(3);
  auto done = std::async(std::launch::async, [&] { return proxy.server->shutdown(1h); });
  // The listening socket closes: new connections are refused.
  while (true) {
    auto probe = proxy.client()->Get("/health");
    if (!probe) break;
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_FALSE(proxy.server->stopped());
  proxy.answerer.release();
  for (auto& request : in_flight) EXPECT_EQ(request.get(), 200);
  EXPECT_TRUE(done.get());
  EXPECT_TRUE(proxy.server->stopped());
}

TEST(ProxyServer, ShutdownCancelsWhatOutlivesTheGracePeriod) {
  RunningProxy proxy;
  proxy.answerer.hold();  // never released
  auto in_flight = std::async(std::launch::async, [&] {
    auto result = proxy.client()->Post("/v1/chat/completions", kChatBody, "application/json");
    return result ? result->status : -1;
  });
  proxy.answerer.wait_for_waiting(1);
  EXPECT_TRUE(proxy.server->shutdown(50ms));
  EXPECT_EQ(in_flight.get(), 503);
}

TEST(ProxyServer, AShutdownRightAfterStartIsNotLost) {
  // httplib ignores stop() until its listener runs; start() waits for it.
  for (int i = 0; i < 20; ++i) {
    RunningProxy proxy;
    EXPECT_TRUE(proxy.server->shutdown(5s));
    EXPECT_TRUE(proxy.server->stopped());
  }
}

TEST(ProxyServer, BindFailureIsAClearError) {
  RunningProxy first;
  testing::ScriptedAnswerer answerer;
  testing::ScriptedUpstream upstream;
  RequestLog log(0, [](std::string_view) {});
  ProxyService service({}, answerer, upstream, testing::choose_fake_strategy, log);
  HttpOptions http;
  http.port = first.port;
  ProxyServer second(service, http);
  try {
    second.start();
    FAIL() << "bound a port in use";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot listen on 127.0.0.1:" + std::to_string(first.port)),
              std::string::npos);
  }
  http.port = 70000;
  EXPECT_THROW(ProxyServer(service, http), Error);
}

}  // namespace
}  // namespace optscale::server
