// The request handling of `optscale serve`, apart from the HTTP wiring (and
// testable without it): authentication, body limits, parsing, the choice
// between Best-of-N and pass-through, bounded concurrency, deadlines and
// clients that hang up, error mapping, request ids, metrics and logging
// around an Answerer (Best-of-N) and an Upstream (every other request, on
// any path of the API, relayed).
#pragma once
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "optscale/policy/policy.hpp"
#include "optscale/server/answerer.hpp"
#include "optscale/server/api_error.hpp"
#include "optscale/server/bearer_auth.hpp"
#include "optscale/server/chat_request.hpp"
#include "optscale/server/concurrency_limit.hpp"
#include "optscale/server/deadline_watch.hpp"
#include "optscale/server/live_body.hpp"
#include "optscale/server/metrics.hpp"
#include "optscale/server/request_log.hpp"
#include "optscale/server/upstream.hpp"

namespace optscale::server {

struct ProxyOptions {
  std::string api_key;                          // "" = no authentication
  int max_concurrent = 64;                      // requests served at once; more get 429
  std::chrono::milliseconds request_timeout{std::chrono::minutes(5)};
  std::size_t max_body_bytes = 4 << 20;         // larger bodies get 413
  bool metrics = false;                         // serve GET /metrics
  long long seed = 0;                           // seeds of requests that bring none
  std::chrono::milliseconds health_timeout{std::chrono::seconds(5)};
  int retry_after_s = 1;                        // Retry-After of 429 and 503 answers
  void validate() const;                        // throws optscale::Error naming the flag
};

// The policy for a request: the server's, changed by the request's
// overrides. Throws ApiError(400) for overrides the policy cannot take.
using StrategyChooser = std::function<std::shared_ptr<const policy::Strategy>(const RequestOverrides&)>;

struct ProxyRequest {
  std::string method;          // "GET", "POST", ...
  std::string path;            // without the query string
  std::string body;
  std::string authorization;   // the Authorization header ("" when absent)
  std::string optscale_header; // the X-OptScale header ("" when absent)
  std::string query;           // "" or "?..." as sent
  std::string content_type;    // the Content-Type header ("" when absent)
  std::string accept;          // the Accept header ("" when absent)
  int client_socket = -1;      // the client's connection, watched for a hang-up (-1: none)
};

struct ProxyReply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  bool streaming = false;             // send `events` as server-sent events
  std::vector<std::string> events;    // each a complete "data: ...\n\n"
  std::vector<std::pair<std::string, std::string>> headers;
  // A relayed stream still arriving (status and content type are its head):
  // send its pieces as they come; `body` and `events` are unused.
  std::shared_ptr<LiveBody> live;
};

class ProxyService {
 public:
  using Clock = std::chrono::steady_clock;
  ProxyService(ProxyOptions options, Answerer& answerer, Upstream& upstream, StrategyChooser choose,
               RequestLog& log);

  // Thread-safe; never throws. Every reply carries an `x-request-id`.
  ProxyReply handle(const ProxyRequest& request);
  // A fresh id ("req_" and 24 hex digits), unique in this process and
  // across restarts, for replies made outside handle().
  std::string new_request_id();

  // The 413 answer for a body announced larger than max_body_bytes, given
  // before it is read (counted like handle() counts).
  ProxyReply too_large(const std::string& method, const std::string& path, std::size_t bytes);

  // Shutdown, first step: requests not yet started get 503.
  void stop_accepting();
  // Shutdown, past the grace period: in-flight requests are cancelled (503).
  void cancel_in_flight();
  bool accepting() const { return accepting_.load(); }
  int in_flight() const { return limit_.in_use(); }

  const ServerMetrics& metrics() const { return metrics_; }
  const ProxyOptions& options() const { return options_; }

 private:
  ProxyReply chat(const ProxyRequest& request, std::string& outcome, std::string& note);
  ProxyReply answer(const ProxyRequest& request, const ChatRequest& chat, std::string& outcome, std::string& note);
  // Relays `request` to the upstream at `path` (relative to its OpenAI base);
  // a request asking for a stream is relayed live (ProxyReply::live).
  ProxyReply pass_through(const ProxyRequest& request, const std::string& path, std::string& outcome,
                          std::string& note);
  // One relay with its accounting; throws ApiError for the client.
  UpstreamReply relay_counted(const RelayRequest& relay, const DeadlineWatch::Ticket& ticket, Clock::time_point start,
                              std::string& outcome, std::string& note);
  // The client's answer for an upstream failure of a Best-of-N request;
  // `note` gets the full story (endpoints included) for the log.
  ApiError client_error_for(const UpstreamError& error, const ChatRequest& chat, std::string& outcome,
                            std::string& note);
  // Whether the upstream lists `model` (GET /models); nullopt when the list
  // cannot be had.
  std::optional<bool> upstream_lists_model(const std::string& model);
  ProxyReply health();
  ConcurrencyLimit::Permit admit();
  long long seed_for(const ChatRequest& chat, unsigned long long number) const;
  std::string completion_id(unsigned long long number) const;

  ProxyOptions options_;
  Answerer& answerer_;
  Upstream& upstream_;
  StrategyChooser choose_;
  RequestLog& log_;
  BearerAuth auth_;
  ConcurrencyLimit limit_;
  DeadlineWatch deadlines_;
  ServerMetrics metrics_;
  std::atomic<bool> accepting_{true};
  std::atomic<unsigned long long> answered_{0};  // requests admitted to the answerer
  unsigned long long start_time_ = 0;
};

}  // namespace optscale::server
