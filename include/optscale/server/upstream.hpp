// The proxy's view of the upstream server apart from Best-of-N: requests it
// passes through unchanged (chat requests it does not answer, and every other
// path of the API), and health probes of the generator and the scorer. http_upstream.hpp implements it over HTTP.
#pragma once
#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "optscale/server/answerer.hpp"

namespace optscale::server {

struct UpstreamReply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
};

// A request relayed to the generator as it came: `path` is relative to the
// upstream's OpenAI base ("/completions" for the client's /v1/completions).
struct RelayRequest {
  std::string method = "GET";
  std::string path;
  std::string query;         // "" or "?..." as the client sent it
  std::string body;          // sent when the method is not GET
  std::string content_type = "application/json";
  std::string accept;        // the client's Accept ("" = application/json)
  const std::atomic<bool>* cancel = nullptr;
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};
  // When set, the answer's body is not collected: each piece goes here as it
  // arrives, with the status and content type (`head`'s body is empty);
  // returning false stops the transfer (AnswerCancelled). Once a piece has
  // gone out, a failure is not retried on another replica.
  std::function<bool(const UpstreamReply& head, std::string_view piece)> on_body;
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
  // Sends `request` to the upstream with the proxy's upstream key and
  // returns its answer as is, whatever the status (a streamed answer once
  // complete, unless `on_body` takes it piece by piece). Throws UpstreamError when no answer comes (refused, timed
  // out) and AnswerCancelled when `cancel` turns true.
  virtual UpstreamReply relay(const RelayRequest& request) = 0;
  // Probes the upstream and the scorer; never throws.
  virtual HealthReport health(std::chrono::milliseconds timeout) = 0;
};

}  // namespace optscale::server
