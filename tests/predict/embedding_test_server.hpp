// A deterministic OpenAI-compatible embeddings server for tests, started
// in-process on 127.0.0.1 (a free port) in its own thread. Each text's vector
// is the L2-normalised count of its hashed character trigrams, so similar
// texts get similar vectors and a regression head has something to learn.
// The requested model name selects faults: "fail-500", "not-json",
// "wrong-count", "reversed" (entries in reverse order, with indices),
// "mixed-dims", "no-data", "slow" (answers only when the server stops, so
// a client's timeout always fires first).
#pragma once
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "optscale/util/hash.hpp"

#include <nlohmann/json.hpp>

namespace optscale::testing {

class EmbeddingTestServer {
 public:
  explicit EmbeddingTestServer(int dimension = 24) : dimension_(dimension) {
    server_.Post("/v1/embeddings", [this](const httplib::Request& req, httplib::Response& res) {
      handle(req, res);
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("embedding test server: cannot bind 127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 500 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  ~EmbeddingTestServer() {
    {
      std::lock_guard<std::mutex> lock(slow_mutex_);
      stopping_ = true;
    }
    slow_released_.notify_all();
    server_.stop();
    thread_.join();
  }
  EmbeddingTestServer(const EmbeddingTestServer&) = delete;
  EmbeddingTestServer& operator=(const EmbeddingTestServer&) = delete;

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }
  int requests() const { return requests_.load(); }
  std::vector<std::size_t> batch_sizes() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return batch_sizes_;
  }
  std::string last_authorization() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return last_authorization_;
  }

  static std::vector<float> vector_for(const std::string& text, int dimension) {
    std::vector<double> counts(dimension, 0.0);
    const std::string padded = "  " + text + "  ";
    for (std::size_t i = 0; i + 3 <= padded.size(); ++i) {
      const std::uint64_t h = util::fnv1a64(std::string_view(padded).substr(i, 3), 1469598103934665603ull);
      counts[h % dimension] += 1.0;
    }
    double norm = 0.0;
    for (double c : counts) norm += c * c;
    std::vector<float> v(dimension);
    for (int k = 0; k < dimension; ++k) v[k] = static_cast<float>(counts[k] / std::sqrt(norm));
    return v;
  }

 private:
  void handle(const httplib::Request& req, httplib::Response& res) {
    ++requests_;
    nlohmann::json body;
    try {
      body = nlohmann::json::parse(req.body);
    } catch (const std::exception&) {
      res.status = 400;
      res.set_content(R"({"error":"request is not JSON"})", "application/json");
      return;
    }
    const std::string model = body.value("model", "");
    std::vector<std::string> inputs;
    if (body["input"].is_string()) {
      inputs.push_back(body["input"].get<std::string>());
    } else {
      inputs = body["input"].get<std::vector<std::string>>();
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      batch_sizes_.push_back(inputs.size());
      last_authorization_ = req.get_header_value("Authorization");
    }
    if (model == "fail-500") {
      res.status = 500;
      res.set_content(R"({"error":{"message":"model exploded"}})", "application/json");
      return;
    }
    if (model == "not-json") {
      res.set_content("<html>surprise</html>", "text/html");
      return;
    }
    if (model == "no-data") {
      res.set_content(R"({"object":"list"})", "application/json");
      return;
    }
    if (model == "slow") {
      std::unique_lock<std::mutex> lock(slow_mutex_);
      slow_released_.wait(lock, [this] { return stopping_; });
    }
    nlohmann::json data = nlohmann::json::array();
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      auto v = vector_for(inputs[i], dimension_);
      if (model == "mixed-dims" && i == 1) v.pop_back();
      data.push_back({{"object", "embedding"}, {"index", i}, {"embedding", v}});
    }
    if (model == "wrong-count" && !data.empty()) data.erase(data.size() - 1);
    if (model == "reversed") {
      nlohmann::json reversed = nlohmann::json::array();
      for (auto it = data.rbegin(); it != data.rend(); ++it) reversed.push_back(*it);
      data = reversed;
    }
    const nlohmann::json out = {{"object", "list"}, {"model", model}, {"data", data},
                                {"usage", {{"prompt_tokens", 0}, {"total_tokens", 0}}}};
    res.set_content(out.dump(), "application/json");
  }

  int dimension_;
  httplib::Server server_;
  int port_ = -1;
  std::thread thread_;
  std::atomic<int> requests_{0};
  mutable std::mutex mutex_;
  std::vector<std::size_t> batch_sizes_;
  std::string last_authorization_;
  std::mutex slow_mutex_;
  std::condition_variable slow_released_;
  bool stopping_ = false;
};

}  // namespace optscale::testing
