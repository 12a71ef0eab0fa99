// The proxy's Prometheus metrics (text exposition format 0.0.4), all under the
// `optscale_` prefix: requests by outcome, samples and tokens drawn, samples
// saved against the budget, stop reasons, upstream errors, in-flight requests
// and a latency histogram. Thread-safe.
#pragma once
#include <array>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace optscale::server {

// Cumulative histogram with fixed upper bounds (seconds).
class LatencyHistogram {
 public:
  static constexpr std::array<double, 15> kBounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
                                                      2.5,   5.0,  10.0,  30.0, 60.0, 120.0, 300.0};
  void observe(double seconds);
  // `name`_bucket{labels,le="..."} lines, then _sum and _count.
  void render(std::string& out, std::string_view name, std::string_view labels) const;

 private:
  std::array<long long, kBounds.size()> buckets_{};  // not cumulative: per bucket
  long long count_ = 0;
  double sum_ = 0.0;
};

class ServerMetrics {
 public:
  ServerMetrics();

  // One finished POST /v1/chat/completions, or request relayed to the
  // upstream. Outcomes: answered, passthrough, invalid_request, unauthorized,
  // too_large, overloaded, upstream_error, upstream_timeout, deadline,
  // client_closed, shutting_down, internal_error (others are counted as given).
  void count_request(std::string_view outcome);
  // Latency of a request that reached the answerer ("optscale") or the
  // upstream ("passthrough").
  void observe_latency(std::string_view mode, double seconds);
  // One Best-of-N answer: samples drawn, the budget they were drawn against,
  // completion tokens of all samples, the policy's stop reason.
  void count_answer(int samples, int budget, long long tokens, std::string_view stop_reason);
  // Samples left out of an answer because the upstream or scorer refused them alone.
  void count_failed_samples(int failed);
  // Completion tokens generated but dropped (choices the upstream gave
  // without per-choice counts, or beyond those asked for).
  void count_wasted_tokens(long long tokens);
  // Judge replies without a verdict word among the first token's top
  // logprobs (failed, or scored --judge-unreadable).
  void count_unreadable_judgements(int replies);
  void count_upstream_error(std::string_view kind);
  void add_in_flight(int delta);

  std::string render() const;

  // Prometheus label-value escaping (backslash, double quote, newline).
  static std::string escape_label(std::string_view value);

 private:
  mutable std::mutex mutex_;
  std::map<std::string, long long> requests_;
  std::map<std::string, long long> stop_reasons_;
  std::map<std::string, long long> upstream_errors_;
  std::map<std::string, LatencyHistogram> latency_;
  long long answers_ = 0, samples_ = 0, budget_ = 0, tokens_ = 0;
  long long failed_samples_ = 0, wasted_tokens_ = 0, unreadable_ = 0;
  long long in_flight_ = 0;
};

}  // namespace optscale::server
