// `optscale serve` as a background process for the integration tests, in
// front of an upstream (usually the real `optscale mock-server`), ready to
// take requests when constructed.
#pragma once
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "child_process.hpp"

namespace optscale::testing {

// `optscale serve --port 0 --port-file ...` in front of `upstream`, ready.
class ServeProcess {
 public:
  // The scorer is `scorer`, or the upstream's server root when empty.
  ServeProcess(const std::filesystem::path& dir, const std::string& upstream_root, std::vector<std::string> extra = {},
               const std::string& name = "serve", const std::string& scorer = "",
               const std::string& scorer_model = "prm") {
    const auto port_file = dir / (name + ".port");
    std::filesystem::remove(port_file);
    std::vector<std::string> args{"serve", "--upstream", upstream_root + "/v1", "--scorer",
                                  scorer.empty() ? upstream_root : scorer,
                                  "--scorer-model", scorer_model, "--model", "mock", "--port", "0", "--port-file",
                                  port_file.string(), "--retry-base-delay", "0.01", "--retry-max-delay", "0.05"};
    args.insert(args.end(), extra.begin(), extra.end());
    err_ = dir / (name + ".err");
    process_ = std::make_unique<ChildProcess>(args, dir / (name + ".out"), err_);
    for (int i = 0; i < 6000 && !std::filesystem::exists(port_file); ++i) {  // up to a minute
      if (process_->exited()) throw std::runtime_error("serve exited at start-up: " + read_text(err_));
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::ifstream in(port_file);
    in >> port_;
    if (port_ <= 0) throw std::runtime_error("serve did not report its port");
  }
  std::unique_ptr<httplib::Client> client() const {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", port_);
    c->set_read_timeout(60, 0);
    c->set_connection_timeout(5, 0);
    return c;
  }
  httplib::Result post(const nlohmann::json& body, httplib::Headers headers = {}) const {
    return client()->Post("/v1/chat/completions", headers, body.dump(), "application/json");
  }
  std::string metrics() const {
    auto r = client()->Get("/metrics");
    return r ? r->body : "";
  }
  ChildProcess& process() { return *process_; }
  std::string stderr_text() const { return read_text(err_); }
  int port() const { return port_; }

 private:
  std::unique_ptr<ChildProcess> process_;
  std::filesystem::path err_;
  int port_ = 0;
};

// Waits (without a time assertion) until the proxy reports `count` requests in flight.
inline bool wait_in_flight(const ServeProcess& serve, int count) {
  const std::string line = "optscale_requests_in_flight " + std::to_string(count) + "\n";
  for (int i = 0; i < 3000; ++i) {
    if (serve.metrics().find(line) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace optscale::testing
