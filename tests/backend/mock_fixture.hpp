// A small in-memory pool and an in-process mock server on 127.0.0.1 for the
// backend tests (the real HTTP path, no subprocess).
#pragma once
#include <memory>
#include <string>

#include "optscale/mock/mock_server.hpp"

namespace optscale::testing {

inline pool::Pool small_pool() {
  pool::Pool pool;
  for (int p = 0; p < 3; ++p) {
    pool::Problem problem;
    problem.id = "q" + std::to_string(p);
    problem.problem = "Problem number " + std::to_string(p) + ": what is " + std::to_string(p) + " + 1?";
    for (int k = 0; k < 8; ++k) {
      pool::Sample s;
      std::string answer = std::to_string(p + 1 + (k % 3 == 2 ? 1 : 0));
      s.text = "Step one of sample " + std::to_string(k) + ".\n\nStep two.\n\nSo \\boxed{" + answer + "}";
      s.score = 0.05 + 0.9 * ((k * 7 + p * 3) % 11) / 10.0;
      s.tokens = 100 + 10 * k + p;
      if (k == 5) s.step_scores = {s.score - 0.02, s.score, s.score + 0.02};
      problem.samples.push_back(s);
    }
    pool.problems.push_back(problem);
  }
  return pool;
}

struct RunningMock {
  explicit RunningMock(mock::MockOptions service = {}, mock::MockServerOptions options = {},
                       pool::Pool pool = small_pool())
      : pool(std::move(pool)) {
    options.threads = 16;
    options.keep_alive_timeout_s = 0;  // stop() at once, not after an idle connection's second
    server = std::make_unique<mock::MockServer>(this->pool, std::move(service), std::move(options));
    port = server->start();
  }
  std::string root() const { return "http://127.0.0.1:" + std::to_string(port); }
  std::string v1() const { return root() + "/v1"; }
  pool::Pool pool;
  std::unique_ptr<mock::MockServer> server;
  int port = 0;
};

}  // namespace optscale::testing
