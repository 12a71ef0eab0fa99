#include "optscale/server/metrics.hpp"

#include <cstdio>

namespace optscale::server {
namespace {

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void labelled(std::string& out, std::string_view name, std::string_view label,
              const std::map<std::string, long long>& values) {
  for (const auto& [value, count] : values)
    out.append(name)
        .append("{")
        .append(label)
        .append("=\"")
        .append(ServerMetrics::escape_label(value))
        .append("\"} ")
        .append(std::to_string(count))
        .append("\n");
}

}  // namespace

void LatencyHistogram::observe(double seconds) {
  for (std::size_t i = 0; i < kBounds.size(); ++i)
    if (seconds <= kBounds[i]) {
      ++buckets_[i];
      break;
    }
  ++count_;
  sum_ += seconds;
}

void LatencyHistogram::render(std::string& out, std::string_view name, std::string_view labels) const {
  std::string prefix(labels);
  if (!prefix.empty()) prefix.push_back(',');
  long long cumulative = 0;
  for (std::size_t i = 0; i < kBounds.size(); ++i) {
    cumulative += buckets_[i];
    char bound[32];
    std::snprintf(bound, sizeof bound, "%g", kBounds[i]);
    out.append(name).append("_bucket{").append(prefix).append("le=\"").append(bound).append("\"} ");
    out.append(std::to_string(cumulative)).append("\n");
  }
  out.append(name).append("_bucket{").append(prefix).append("le=\"+Inf\"} ").append(std::to_string(count_)).append("\n");
  std::string braces;
  if (!labels.empty()) braces.append("{").append(labels).append("}");
  out.append(name).append("_sum").append(braces).append(" ").append(number(sum_)).append("\n");
  out.append(name).append("_count").append(braces).append(" ").append(std::to_string(count_)).append("\n");
}

ServerMetrics::ServerMetrics() {
  // Known series start at 0 so that rates and alerts work from the first scrape.
  for (const char* outcome : {"answered", "passthrough", "invalid_request", "unauthorized", "too_large", "overloaded",
                              "upstream_error", "upstream_timeout", "deadline", "client_closed", "shutting_down",
                              "internal_error"})
    requests_[outcome] = 0;
  latency_["optscale"];
  latency_["passthrough"];
}

void ServerMetrics::count_request(std::string_view outcome) {
  std::lock_guard lock(mutex_);
  ++requests_[std::string(outcome)];
}

void ServerMetrics::observe_latency(std::string_view mode, double seconds) {
  std::lock_guard lock(mutex_);
  latency_[std::string(mode)].observe(seconds);
}

void ServerMetrics::count_answer(int samples, int budget, long long tokens, std::string_view stop_reason) {
  std::lock_guard lock(mutex_);
  ++answers_;
  samples_ += samples;
  budget_ += budget;
  tokens_ += tokens;
  ++stop_reasons_[std::string(stop_reason)];
}

void ServerMetrics::count_failed_samples(int failed) {
  std::lock_guard lock(mutex_);
  failed_samples_ += failed;
}

void ServerMetrics::count_wasted_tokens(long long tokens) {
  std::lock_guard lock(mutex_);
  wasted_tokens_ += tokens;
}

void ServerMetrics::count_unreadable_judgements(int replies) {
  std::lock_guard lock(mutex_);
  unreadable_ += replies;
}

void ServerMetrics::count_upstream_error(std::string_view kind) {
  std::lock_guard lock(mutex_);
  ++upstream_errors_[std::string(kind)];
}

void ServerMetrics::add_in_flight(int delta) {
  std::lock_guard lock(mutex_);
  in_flight_ += delta;
}

std::string ServerMetrics::escape_label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string ServerMetrics::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  header(out, "optscale_requests_total", "counter", "Chat completion requests by outcome.");
  labelled(out, "optscale_requests_total", "outcome", requests_);
  header(out, "optscale_requests_in_flight", "gauge", "Chat completion requests being served now.");
  out += "optscale_requests_in_flight " + std::to_string(in_flight_) + "\n";
  header(out, "optscale_answers_total", "counter", "Requests answered with Best-of-N.");
  out += "optscale_answers_total " + std::to_string(answers_) + "\n";
  header(out, "optscale_samples_drawn_total", "counter", "Samples generated and scored for answered requests.");
  out += "optscale_samples_drawn_total " + std::to_string(samples_) + "\n";
  header(out, "optscale_samples_failed_total", "counter",
         "Samples the upstream or scorer refused alone, left out of the policy's observations.");
  out += "optscale_samples_failed_total " + std::to_string(failed_samples_) + "\n";
  header(out, "optscale_samples_budget_total", "counter", "Sum of the policies' budgets n over answered requests.");
  out += "optscale_samples_budget_total " + std::to_string(budget_) + "\n";
  header(out, "optscale_samples_saved_total", "counter", "Samples not drawn thanks to early stopping (budget - drawn).");
  out += "optscale_samples_saved_total " + std::to_string(budget_ - samples_) + "\n";
  header(out, "optscale_completion_tokens_drawn_total", "counter", "Completion tokens of every sample drawn.");
  out += "optscale_completion_tokens_drawn_total " + std::to_string(tokens_) + "\n";
  header(out, "optscale_wasted_tokens_total", "counter",
         "Completion tokens generated but dropped (choices without per-choice counts, or beyond those asked for).");
  out += "optscale_wasted_tokens_total " + std::to_string(wasted_tokens_) + "\n";
  header(out, "optscale_judge_unreadable_total", "counter",
         "Judge replies with neither verdict word among the first token's top logprobs.");
  out += "optscale_judge_unreadable_total " + std::to_string(unreadable_) + "\n";
  header(out, "optscale_stop_reasons_total", "counter", "Why the policy stopped, per answered request.");
  labelled(out, "optscale_stop_reasons_total", "reason", stop_reasons_);
  header(out, "optscale_upstream_errors_total", "counter", "Failed upstream or scorer attempts (retried or final).");
  labelled(out, "optscale_upstream_errors_total", "kind", upstream_errors_);
  header(out, "optscale_request_duration_seconds", "histogram", "Latency of chat completion requests served.");
  for (const auto& [mode, histogram] : latency_)
    histogram.render(out, "optscale_request_duration_seconds", "mode=\"" + escape_label(mode) + "\"");
  return out;
}

}  // namespace optscale::server
