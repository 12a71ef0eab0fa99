// Seeded fault injection for `optscale mock-server`: latency, 5xx errors, 429
// bursts with Retry-After, hung requests, malformed bodies and dropped
// connections. Each attempt of a request (identified by its body) draws its
// own fate from (seed, body, attempt number), so a run's faults do not depend
// on how its requests interleave; only the 429 bursts follow arrival order.
#pragma once
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace optscale::mock {

// Response latency in milliseconds. Specs: "0" (none), "fixed:MS",
// "uniform:LO,HI", "exponential:MEAN", "lognormal:MEDIAN,SIGMA".
struct LatencyModel {
  enum class Kind { none, fixed, uniform, exponential, lognormal };
  Kind kind = Kind::none;
  double a = 0.0;
  double b = 0.0;
  // Throws optscale::Error naming the spec when it is malformed or negative.
  static LatencyModel parse(std::string_view spec);
  // Latency from two independent uniforms in (0, 1).
  double sample_ms(double u1, double u2) const;
};

struct FaultOptions {
  std::uint64_t seed = 0;
  LatencyModel latency;
  double error_rate = 0.0;      // answer 500/502/503
  double hang_rate = 0.0;       // wait hang_ms before answering (the client should time out)
  double hang_ms = 60000.0;
  double malformed_rate = 0.0;  // answer 200 with a truncated, unparsable body
  double drop_rate = 0.0;       // send the headers and part of the body, then close
  double burst_rate = 0.0;      // chance that a request starts a burst of 429s
  int burst_length = 5;         // requests answered 429 per burst (the first included)
  double retry_after_s = 1.0;   // the Retry-After the 429s carry
  // Throws optscale::Error unless every rate is in [0, 1], their sum is at
  // most 1, and lengths and durations are non-negative.
  void validate() const;
  bool any() const;
};

enum class FaultKind { none, server_error, rate_limited, hang, malformed, drop };

struct FaultDecision {
  FaultKind kind = FaultKind::none;
  int status = 200;           // for server_error and rate_limited
  double latency_ms = 0.0;    // added before answering, whatever the fault
};

class FaultInjector {
 public:
  explicit FaultInjector(FaultOptions options);
  // Thread-safe. `request_key` identifies the request across retries (its body).
  FaultDecision decide(std::string_view request_key);
  const FaultOptions& options() const { return options_; }

 private:
  FaultOptions options_;
  std::mutex mutex_;
  std::unordered_map<std::uint64_t, std::uint32_t> attempts_;  // per body hash
  int burst_remaining_ = 0;
};

}  // namespace optscale::mock
