// The proxy's view of the upstream server apart from Best-of-N: requests it
// passes through unchanged, the model list, and health probes of the
// generator and the scorer. http_upstream.hpp implements it over HTTP.
#pragma once
#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

#include "optscale/server/answerer.hpp"

namespace optscale::server {

struct UpstreamReply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
};

struct HealthReport {
  bool upstream_ok = false;
  bool scorer_ok = false;
  std::string upstream_detail;  // what failed ("" when ok); never contains keys
  std::string scorer_detail;
};

class Upstream {
 public:
  virtual ~Upstream() = default;
  // POST `body` unchanged to the upstream's /chat/completions and return its
  // answer as is, whatever the status. Throws UpstreamError when no answer
  // comes (refused, timed out) and AnswerCancelled when `cancel` turns true.
  virtual UpstreamReply forward_chat(std::string_view body, const std::atomic<bool>* cancel,
                                     std::chrono::milliseconds timeout) = 0;
  // GET the upstream's /models. Throws UpstreamError.
  virtual UpstreamReply models(std::chrono::milliseconds timeout) = 0;
  // Probes the upstream and the scorer; never throws.
  virtual HealthReport health(std::chrono::milliseconds timeout) = 0;
};

}  // namespace optscale::server
