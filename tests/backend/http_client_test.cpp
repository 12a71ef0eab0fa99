// The HTTP client against a real server: cpp-httplib on 127.0.0.1, in-process.
#include "optscale/backend/http_client.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "optscale/util/error.hpp"

namespace optscale::backend {
namespace {

class HttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content("{\"got\":" + req.body + ",\"type\":\"" + req.get_header_value("Content-Type") +
                          "\",\"auth\":\"" + req.get_header_value("Authorization") + "\",\"extra\":\"" +
                          req.get_header_value("X-Extra") + "\"}",
                      "application/json");
    });
    server_.Post("/fail", [](const httplib::Request&, httplib::Response& res) {
      res.status = 503;
      res.set_content(std::string(400, 'x'), "text/plain");
    });
    server_.Get("/health", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("ok", "text/plain");
    });
    server_.Get("/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(100000, 'x'), "text/plain");
    });
    // Answers only once the server is stopping: a client's timeout always
    // fires first, and stopping does not wait out a fixed delay.
    server_.Post("/slow", [this](const httplib::Request&, httplib::Response& res) {
      std::unique_lock lock(slow_mutex_);
      ++slow_arrived_;
      slow_released_.notify_all();
      slow_released_.wait(lock, [this] { return stopping_; });
      res.set_content("late", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 500 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  void TearDown() override { stop_server(); }
  void stop_server() {
    {
      std::lock_guard lock(slow_mutex_);
      stopping_ = true;
    }
    slow_released_.notify_all();
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  httplib::Server server_;
  int port_ = -1;
  std::thread thread_;
  std::mutex slow_mutex_;
  std::condition_variable slow_released_;
  bool stopping_ = false;
  int slow_arrived_ = 0;  // requests that reached /slow
};

TEST_F(HttpClientTest, PostsJsonWithHeadersAndReusesTheClient) {
  HttpClient client;
  HttpRequestOptions options;
  options.bearer_token = "secret";
  options.headers = {"X-Extra: 42"};
  for (int i = 0; i < 3; ++i) {
    const auto r = client.post_json(url("/echo"), "[1,2]", options);
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.body, R"({"got":[1,2],"type":"application/json","auth":"Bearer secret","extra":"42"})");
  }
  EXPECT_EQ(client.get(url("/health")).body, "ok");
}

// A server's answer is untrusted: one past the limit is refused, naming the
// limit, instead of being read whole; one at the limit is read.
TEST_F(HttpClientTest, AnAnswerLargerThanTheLimitIsRefused) {
  HttpClient client;
  HttpRequestOptions small;
  small.max_response_bytes = 1000;
  try {
    client.get(url("/big"), small);
    FAIL() << "a 100000-byte answer passed a 1000-byte limit";
  } catch (const HttpTransportError& e) {
    EXPECT_NE(std::string(e.what()).find("larger than 1000 bytes"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(url("/big")), std::string::npos) << e.what();
  }
  HttpRequestOptions exact;
  exact.max_response_bytes = 100000;
  EXPECT_EQ(client.get(url("/big"), exact).body.size(), 100000u);
  EXPECT_EQ(client.get(url("/health"), small).body, "ok");  // the client is still usable
}

TEST_F(HttpClientTest, ErrorStatusIsReturnedNotThrown) {
  HttpClient client;
  const auto r = client.post_json(url("/fail"), "{}");
  EXPECT_EQ(r.status, 503);
  EXPECT_FALSE(r.ok());
  const std::string message = describe_http_failure("POST", url("/fail"), r);
  EXPECT_EQ(message.rfind("HTTP 503 from POST " + url("/fail") + ": xxx", 0), 0u);
  EXPECT_EQ(message.substr(message.size() - 3), "...");  // the body is cut at 300 bytes
  EXPECT_EQ(client.post_json(url("/missing"), "{}").status, 404);
}

TEST_F(HttpClientTest, TimeoutAndRefusedConnectionThrowNamingTheUrl) {
  HttpClient client;
  HttpRequestOptions quick;
  quick.timeout_s = 0.2;
  try {
    client.post_json(url("/slow"), "{}", quick);
    FAIL() << "no timeout";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("POST " + url("/slow")), std::string::npos) << e.what();
  }
  // A port nothing listens on: the test server's, once it is stopped.
  const std::string dead = url("/echo");
  stop_server();
  try {
    client.post_json(dead, "{}");
    FAIL() << "no connection error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("POST " + dead), std::string::npos) << e.what();
  }
  HttpRequestOptions bad;
  bad.timeout_s = 0.0;
  EXPECT_THROW(client.post_json(dead, "{}", bad), Error);
  EXPECT_THROW(client.post_json("notaurl://x", "{}"), Error);
}

// A transfer with a cancel flag runs to its end like any other, and stops
// with a "cancelled" error once the flag is raised while it waits.
TEST_F(HttpClientTest, ACancelledTransferStopsWithACancelledError) {
  HttpClient client;
  std::atomic<bool> cancel{false};
  HttpRequestOptions options;
  options.cancel = &cancel;
  options.timeout_s = 60;
  auto echoed = client.post_json(url("/echo"), "{\"a\":1}", options);
  EXPECT_EQ(echoed.status, 200);
  EXPECT_NE(echoed.body.find("\"got\":{\"a\":1}"), std::string::npos) << echoed.body;
  std::thread canceller([this, &cancel] {
    std::unique_lock lock(slow_mutex_);
    slow_released_.wait(lock, [this] { return slow_arrived_ > 0; });  // the request is at the server
    cancel = true;
  });
  try {
    client.post_json(url("/slow"), "{}", options);
    ADD_FAILURE() << "not cancelled";
  } catch (const HttpTransportError& e) {
    EXPECT_EQ(e.kind(), HttpTransportError::Kind::cancelled) << e.what();
    EXPECT_NE(std::string(e.what()).find("POST " + url("/slow")), std::string::npos) << e.what();
  }
  canceller.join();
  cancel = false;
  EXPECT_EQ(client.post_json(url("/echo"), "{}", options).status, 200);  // the client still works
}

}  // namespace
}  // namespace optscale::backend
