// Reading and steering a running `optscale mock-server` (and the proxy in
// front of it) from the integration tests: its /metrics, its `--hold` seam
// (requests held upstream until the test lets them go), and the proxy's
// draining line. Waits are bounded and assert no time.
#pragma once
#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "child_process.hpp"
#include "serve_process.hpp"

namespace optscale::testing {

// The value of one metric line ("name{labels} value") in a /metrics text, or -1.
inline long long metric_value(const std::string& metrics, const std::string& series) {
  const std::string text = "\n" + metrics;
  const auto at = text.find("\n" + series + " ");
  return at == std::string::npos ? -1 : std::stoll(text.substr(at + series.size() + 2));
}

// One series of the mock's /metrics, or -1.
inline long long mock_metric(const MockServerProcess& mock, const std::string& series) {
  httplib::Client client("127.0.0.1", mock.port());
  auto r = client.Get("/metrics");
  return r ? metric_value(r->body, series) : -1;
}

// Waits until a `--hold` mock holds at least `count` generation requests: a
// request is then really in flight upstream.
inline bool wait_held(const MockServerProcess& mock, long long count) {
  for (int i = 0; i < 6000; ++i) {
    if (mock_metric(mock, "optscale_mock_held") >= count) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// Lets the requests a `--hold` mock holds go: `count` of them (holding goes
// on), or every one and all later ones (count < 0). Returns how many went.
inline long long release_held(const MockServerProcess& mock, long long count = -1) {
  httplib::Client client("127.0.0.1", mock.port());
  auto r = client.Post("/mock/release", count < 0 ? std::string() : nlohmann::json{{"count", count}}.dump(),
                       "application/json");
  return r && r->status == 200 ? nlohmann::json::parse(r->body)["released"].get<long long>() : -1;
}

// Waits until the proxy's log says it is draining: the stop signal arrived
// and new requests are refused.
inline bool wait_draining(const ServeProcess& serve) {
  for (int i = 0; i < 6000; ++i) {
    if (serve.stderr_text().find("; draining: ") != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace optscale::testing
