// When and how long to retry a failed backend request: exponential backoff
// with jitter on connection errors, timeouts, 429 (at least its Retry-After),
// 5xx and garbled bodies; other 4xx are the caller's mistake and final.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace optscale::backend {

enum class FailureKind {
  connect,        // refused, reset, dropped mid-response
  timeout,        // no complete answer within the request timeout
  rate_limited,   // 429
  server_error,   // 5xx, 408
  malformed,      // 2xx with a body we cannot parse
  client_error,   // other 4xx: retrying the same request cannot help
  cancelled,      // the caller stopped waiting
  unsupported,    // the server cannot do what the configuration asks (e.g. --n-mode native
                  // without per-choice token counts): final, and no sample's fault
};

bool is_retryable(FailureKind kind);
std::string_view to_string(FailureKind kind);

// The failure class of an HTTP status that is not 2xx.
FailureKind failure_for_status(long status);

struct RetryPolicy {
  int max_attempts = 8;          // attempts in all, the first included
  double base_delay_s = 0.25;    // delay after the first failure, before jitter
  double max_delay_s = 30.0;     // cap of the exponential part
  // Throws optscale::Error unless max_attempts >= 1 and 0 <= base <= max.
  void validate() const;
};

// Delay before attempt `failures + 1`, after `failures` (>= 1) failed ones:
// d = min(max, base * 2^(failures-1)) scaled by a jitter factor 0.5 + 0.5u
// ("equal jitter": never below half, so retries stay spread but prompt),
// and never shorter than the server's Retry-After.
double backoff_delay_s(const RetryPolicy& policy, int failures, double u,
                       std::optional<double> retry_after_s = std::nullopt);

// Seconds from a Retry-After value: delta-seconds (also decimals, as some
// servers send) or an HTTP-date relative to `now`. nullopt when unparsable;
// dates in the past give 0.
std::optional<double> parse_retry_after(std::string_view value,
                                        std::chrono::system_clock::time_point now);

}  // namespace optscale::backend
