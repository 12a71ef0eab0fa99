// The mock over real HTTP: injected malformed bodies and dropped connections
// reach the client as such, 429s carry Retry-After, keys are enforced,
// /metrics counts.
#include "optscale/mock/mock_server.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../backend/mock_fixture.hpp"
#include "optscale/backend/http_client.hpp"
#include "optscale/util/error.hpp"

namespace optscale::mock {
namespace {

using testing::RunningMock;

std::string chat_body() {
  return nlohmann::json{{"model", "m"}, {"messages", {{{"role", "user"}, {"content", testing::small_pool().problems[0].problem}}}},
                        {"seed", 0}}
      .dump();
}

TEST(MockServer, MalformedBodiesDoNotParse) {
  MockServerOptions options;
  options.faults.malformed_rate = 1.0;
  RunningMock mock({}, options);
  backend::HttpClient client;
  auto response = client.post_json(mock.v1() + "/chat/completions", chat_body());
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(nlohmann::json::parse(response.body, nullptr, false).is_discarded());
}

TEST(MockServer, DroppedConnectionsAreTransportErrors) {
  MockServerOptions options;
  options.faults.drop_rate = 1.0;
  RunningMock mock({}, options);
  backend::HttpClient client;
  EXPECT_THROW(client.post_json(mock.v1() + "/chat/completions", chat_body()), backend::HttpTransportError);
}

TEST(MockServer, RateLimitsCarryRetryAfter) {
  MockServerOptions options;
  options.faults.burst_rate = 1.0;
  options.faults.retry_after_s = 2.5;
  RunningMock mock({}, options);
  backend::HttpClient client;
  auto response = client.post_json(mock.v1() + "/chat/completions", chat_body());
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(response.header("Retry-After"), "2.500");
}

TEST(MockServer, EnforcesTheKeyAndCountsRequests) {
  MockServerOptions options;
  options.api_key = "k1";
  RunningMock mock({}, options);
  backend::HttpClient client;
  EXPECT_EQ(client.post_json(mock.v1() + "/chat/completions", chat_body()).status, 401);
  backend::HttpRequestOptions with_key;
  with_key.bearer_token = "k1";
  EXPECT_EQ(client.post_json(mock.v1() + "/chat/completions", chat_body(), with_key).status, 200);
  auto metrics = client.get(mock.root() + "/metrics");
  EXPECT_NE(metrics.body.find("optscale_mock_requests_total 2"), std::string::npos) << metrics.body;
}

TEST(HttpClient, DescribesFailuresAndChecksTimeouts) {
  RunningMock mock;
  backend::HttpClient client;
  auto response = client.post_json(mock.v1() + "/nowhere", "{}");
  EXPECT_FALSE(response.ok());
  EXPECT_EQ(response.header("content-type"), "application/json");
  EXPECT_EQ(backend::describe_http_failure("POST", mock.v1() + "/nowhere", response).rfind("HTTP 404 from POST http://", 0), 0u);
  backend::HttpRequestOptions bad;
  bad.timeout_s = 0;
  EXPECT_THROW(client.get(mock.root() + "/health", bad), Error);
  try {
    client.get("http://user:pw@127.0.0.1:1/x?key=secret");
    FAIL();
  } catch (const backend::HttpTransportError& e) {
    EXPECT_EQ(e.kind(), backend::HttpTransportError::Kind::connect);
    EXPECT_EQ(std::string(e.what()).find("pw"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos) << e.what();
  }
}

TEST(HttpClient, RedactsCredentialsAndQueries) {
  EXPECT_EQ(backend::redact_url("https://user:secret@host:8000/v1?key=abc"), "https://host:8000/v1");
  EXPECT_EQ(backend::redact_url("http://host/v1"), "http://host/v1");
}

// The listener it shares with the proxy sets no SO_REUSEPORT: a second
// server on a port in use fails to bind instead of starting silently.
TEST(MockServer, APortInUseIsAClearError) {
  RunningMock first;
  MockServerOptions options;
  options.port = first.server->port();
  MockServer second(testing::small_pool(), {}, options);
  try {
    second.start();
    FAIL() << "bound a port in use";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("mock-server: cannot listen on 127.0.0.1:" + std::to_string(options.port)),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace optscale::mock
