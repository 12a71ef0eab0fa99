// The mock over real HTTP: injected malformed bodies and dropped connections
// reach the client as such, 429s carry Retry-After, keys are enforced,
// /metrics counts, held requests wait for their release.
#include "optscale/mock/mock_server.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

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

// The value of an unlabelled metric line, or -1.
long long metric(const RunningMock& mock, const std::string& name) {
  backend::HttpClient client;
  const std::string body = "\n" + client.get(mock.root() + "/metrics").body;
  const auto at = body.find("\n" + name + " ");
  return at == std::string::npos ? -1 : std::stoll(body.substr(at + name.size() + 2));
}

// Waits (no time assertion: up to a minute) until the metric has this value.
bool wait_metric(const RunningMock& mock, const std::string& name, long long value) {
  for (int i = 0; i < 6000; ++i) {
    if (metric(mock, name) == value) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

std::future<int> post_async(const RunningMock& mock) {
  return std::async(std::launch::async, [url = mock.v1() + "/chat/completions"]() -> int {
    backend::HttpClient client;
    try {
      return static_cast<int>(client.post_json(url, chat_body()).status);
    } catch (const backend::HttpTransportError&) {
      return -1;
    }
  });
}

bool ready(std::future<int>& f) { return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready; }

TEST(MockServer, HeldGenerationsWaitForTheirReleaseAndHoldingCanStartAgain) {
  MockServerOptions options;
  options.hold = true;
  RunningMock mock({}, options);
  backend::HttpClient client;
  auto first = post_async(mock);
  ASSERT_TRUE(wait_metric(mock, "optscale_mock_held", 1));
  auto second = post_async(mock);
  ASSERT_TRUE(wait_metric(mock, "optscale_mock_held", 2));
  // Only generations are held: the rest is answered meanwhile.
  EXPECT_EQ(client.get(mock.v1() + "/models").status, 200);
  EXPECT_FALSE(ready(first));
  EXPECT_FALSE(ready(second));
  auto bad = client.post_json(mock.root() + "/mock/release", R"({"count": -1})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("count"), std::string::npos) << bad.body;
  // {"count": 1} lets the longest held go, and holding goes on.
  auto one = client.post_json(mock.root() + "/mock/release", R"({"count": 1})");
  EXPECT_EQ(one.status, 200);
  EXPECT_EQ(nlohmann::json::parse(one.body)["released"], 1);
  EXPECT_EQ(first.get(), 200);
  EXPECT_EQ(metric(mock, "optscale_mock_held"), 1);
  EXPECT_FALSE(ready(second));
  // An empty body lets every held one go and stops holding.
  auto rest = client.post_json(mock.root() + "/mock/release", "");
  EXPECT_EQ(nlohmann::json::parse(rest.body)["released"], 1);
  EXPECT_EQ(second.get(), 200);
  EXPECT_EQ(client.post_json(mock.v1() + "/chat/completions", chat_body()).status, 200);
  EXPECT_EQ(metric(mock, "optscale_mock_held"), 0);
  EXPECT_EQ(metric(mock, "optscale_mock_held_total"), 2);
  // POST /mock/hold holds again.
  EXPECT_EQ(client.post_json(mock.root() + "/mock/hold", "").status, 200);
  auto third = post_async(mock);
  ASSERT_TRUE(wait_metric(mock, "optscale_mock_held", 1));
  EXPECT_FALSE(ready(third));
  EXPECT_EQ(nlohmann::json::parse(client.post_json(mock.root() + "/mock/release", "").body)["released"], 1);
  EXPECT_EQ(third.get(), 200);
  // The control routes are not requests the mock serves.
  EXPECT_EQ(metric(mock, "optscale_mock_requests_total"), 5);
}

TEST(MockServer, StoppingLetsHeldRequestsGoAndWithoutHoldThereIsNoReleaseRoute) {
  MockServerOptions options;
  options.hold = true;
  auto mock = std::make_unique<RunningMock>(mock::MockOptions{}, options);
  auto held = post_async(*mock);
  ASSERT_TRUE(wait_metric(*mock, "optscale_mock_held", 1));
  mock->server->stop();  // must not wait for a release
  const int status = held.get();
  EXPECT_TRUE(status == 503 || status == -1) << status;
  mock.reset();
  RunningMock plain;
  backend::HttpClient client;
  EXPECT_EQ(client.post_json(plain.root() + "/mock/release", "").status, 404);
  EXPECT_EQ(metric(plain, "optscale_mock_held"), -1);
}

}  // namespace
}  // namespace optscale::mock
