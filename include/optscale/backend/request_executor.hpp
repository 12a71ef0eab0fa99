// One backend request with retries: pick an endpoint from the balancer, try,
// and on a retryable failure back off (jittered, at least Retry-After) and try
// again, possibly elsewhere; report every attempt; give up with a BackendError
// naming the endpoint and the last failure.
#pragma once
#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "optscale/backend/balancer.hpp"
#include "optscale/backend/http_client.hpp"
#include "optscale/backend/retry.hpp"
#include "optscale/util/error.hpp"

namespace optscale::backend {

struct AttemptRecord {
  std::string endpoint;                 // base URL, without credentials
  int attempt = 1;                      // 1-based
  long http_status = 0;                 // 0: no HTTP answer
  std::optional<FailureKind> failure;   // nullopt: this attempt succeeded
  std::string error;                    // what went wrong (never contains keys)
  double seconds = 0.0;                 // wall time of the attempt
  double backoff_s = 0.0;               // wait before the next attempt
  int count = 0;                        // samples or inputs this attempt sent (0: what the task asked)
  long long wasted_tokens = 0;          // completion tokens generated but dropped (choices that
                                        // could not be accounted for or were not asked for)
};

struct RequestContext {
  const std::atomic<bool>* cancel = nullptr;
  std::function<void(const AttemptRecord&)> on_attempt;  // once per attempt, on the calling thread
  std::uint64_t jitter_seed = 0;
};

// A failed attempt, thrown by attempt functions.
class AttemptFailed : public std::exception {
 public:
  AttemptFailed(FailureKind kind, long status, std::string message,
                std::optional<double> retry_after_s = std::nullopt)
      : kind(kind), status(status), message(std::move(message)), retry_after_s(retry_after_s) {}
  const char* what() const noexcept override { return message.c_str(); }
  FailureKind kind;
  long status;
  std::string message;
  std::optional<double> retry_after_s;
};

// The request failed for good (refused, or retries exhausted): the kind and
// HTTP status of the last attempt say whose fault it likely is.
class BackendError : public Error {
 public:
  explicit BackendError(const std::string& message, FailureKind kind = FailureKind::server_error, long status = 0)
      : Error(message), kind(kind), status(status) {}
  FailureKind kind;
  long status;
  bool server_answers_others = false;  // the endpoints had answered other requests before
};

// True when a failed request says something about its input rather than
// about the server or the configuration: a 4xx refusal of that body (not
// 401/403/404, which every request would get) or a 5xx that persisted over
// every attempt (llama.cpp answers 500 when its chat parser meets invalid
// UTF-8 in one seeded completion). Such a sample is recorded as failed and
// the run goes on; anything else (connection errors, timeouts, 429s, wrong
// URL, key or model) stops the run.
bool is_sample_specific(const BackendError& error);

// The caller cancelled the request.
class RequestCancelled : public std::exception {
 public:
  const char* what() const noexcept override { return "request cancelled"; }
};

// Runs `attempt(base_url, record)` until it returns. It returns the HTTP
// status it got (for the record; it may also fill the record's count and
// wasted tokens) and throws AttemptFailed or HttpTransportError on failure.
// `what` names the request in errors ("generation", "/pooling").
void run_with_retries(Balancer& balancer, const RetryPolicy& policy, const RequestContext& context,
                      std::string_view what,
                      const std::function<long(const std::string&, AttemptRecord&)>& attempt);

// POSTs on this thread's client; returns the body of a 2xx answer and throws
// AttemptFailed for any other status (with the server's message and
// Retry-After).
std::string post_json_checked(const std::string& url, const std::string& body,
                              const HttpRequestOptions& options, long* status_out);

// Base URL without trailing slashes and without any of `suffixes` (users paste
// full endpoint URLs as often as base URLs).
std::string normalise_base_url(std::string_view url, std::initializer_list<std::string_view> suffixes = {});

}  // namespace optscale::backend
