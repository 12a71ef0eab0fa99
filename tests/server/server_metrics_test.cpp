#include "optscale/server/metrics.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace optscale::server {
namespace {

// The value of one sample line ("name{labels} value"), or -1 when absent.
double value_of(const std::string& text, const std::string& series) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line))
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  return -1;
}

TEST(ServerMetrics, StartsWithEveryKnownSeriesAtZero) {
  const std::string text = ServerMetrics().render();
  for (const char* outcome : {"answered", "passthrough", "overloaded", "upstream_error", "deadline"})
    EXPECT_EQ(value_of(text, std::string("optscale_requests_total{outcome=\"") + outcome + "\"}"), 0) << outcome;
  EXPECT_EQ(value_of(text, "optscale_samples_drawn_total"), 0);
  EXPECT_EQ(value_of(text, "optscale_request_duration_seconds_count{mode=\"optscale\"}"), 0);
  EXPECT_NE(text.find("# TYPE optscale_request_duration_seconds histogram"), std::string::npos);
  EXPECT_NE(text.find("# TYPE optscale_requests_total counter"), std::string::npos);
}

TEST(ServerMetrics, CountsRequestsAnswersStopReasonsAndErrors) {
  ServerMetrics metrics;
  metrics.count_request("answered");
  metrics.count_request("answered");
  metrics.count_request("overloaded");
  metrics.count_answer(3, 16, 300, "target-reached");
  metrics.count_answer(16, 16, 1600, "budget");
  metrics.count_answer(5, 8, 500, "target-reached");
  metrics.count_upstream_error("rate_limited");
  metrics.count_upstream_error("rate_limited");
  metrics.count_upstream_error("connect");
  metrics.add_in_flight(2);
  metrics.add_in_flight(-1);
  const std::string text = metrics.render();
  EXPECT_EQ(value_of(text, "optscale_requests_total{outcome=\"answered\"}"), 2);
  EXPECT_EQ(value_of(text, "optscale_requests_total{outcome=\"overloaded\"}"), 1);
  EXPECT_EQ(value_of(text, "optscale_answers_total"), 3);
  EXPECT_EQ(value_of(text, "optscale_samples_drawn_total"), 24);
  EXPECT_EQ(value_of(text, "optscale_samples_budget_total"), 40);
  EXPECT_EQ(value_of(text, "optscale_samples_saved_total"), 16);
  EXPECT_EQ(value_of(text, "optscale_completion_tokens_drawn_total"), 2400);
  EXPECT_EQ(value_of(text, "optscale_stop_reasons_total{reason=\"target-reached\"}"), 2);
  EXPECT_EQ(value_of(text, "optscale_stop_reasons_total{reason=\"budget\"}"), 1);
  EXPECT_EQ(value_of(text, "optscale_upstream_errors_total{kind=\"rate_limited\"}"), 2);
  EXPECT_EQ(value_of(text, "optscale_upstream_errors_total{kind=\"connect\"}"), 1);
  EXPECT_EQ(value_of(text, "optscale_requests_in_flight"), 1);
}

TEST(ServerMetrics, LatencyHistogramIsCumulative) {
  ServerMetrics metrics;
  metrics.observe_latency("optscale", 0.003);   // first bucket
  metrics.observe_latency("optscale", 0.2);     // le=0.25
  metrics.observe_latency("optscale", 1000.0);  // beyond every bound
  metrics.observe_latency("passthrough", 0.05);
  const std::string text = metrics.render();
  const std::string b = "optscale_request_duration_seconds_bucket{mode=\"optscale\",le=\"";
  EXPECT_EQ(value_of(text, b + "0.005\"}"), 1);
  EXPECT_EQ(value_of(text, b + "0.1\"}"), 1);
  EXPECT_EQ(value_of(text, b + "0.25\"}"), 2);
  EXPECT_EQ(value_of(text, b + "300\"}"), 2);
  EXPECT_EQ(value_of(text, b + "+Inf\"}"), 3);
  EXPECT_EQ(value_of(text, "optscale_request_duration_seconds_count{mode=\"optscale\"}"), 3);
  EXPECT_DOUBLE_EQ(value_of(text, "optscale_request_duration_seconds_sum{mode=\"optscale\"}"), 1000.203);
  EXPECT_EQ(value_of(text, "optscale_request_duration_seconds_bucket{mode=\"passthrough\",le=\"0.05\"}"), 1);
}

TEST(ServerMetrics, LabelValuesAreEscaped) {
  EXPECT_EQ(ServerMetrics::escape_label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  ServerMetrics metrics;
  metrics.count_answer(1, 1, 1, "odd\"reason");
  EXPECT_EQ(value_of(metrics.render(), "optscale_stop_reasons_total{reason=\"odd\\\"reason\"}"), 1);
}

}  // namespace
}  // namespace optscale::server
