// Backoff arithmetic, Retry-After parsing and what counts as retryable.
#include "optscale/backend/retry.hpp"

#include <gtest/gtest.h>

#include "optscale/util/error.hpp"

namespace optscale::backend {
namespace {

TEST(Backoff, DoublesPerFailureWithinHalfToFullAndIsCapped) {
  RetryPolicy policy;
  policy.base_delay_s = 0.5;
  policy.max_delay_s = 3.0;
  EXPECT_DOUBLE_EQ(backoff_delay_s(policy, 1, 0.0), 0.25);
  EXPECT_DOUBLE_EQ(backoff_delay_s(policy, 1, 1.0), 0.5);
  EXPECT_DOUBLE_EQ(backoff_delay_s(policy, 2, 1.0), 1.0);
  EXPECT_DOUBLE_EQ(backoff_delay_s(policy, 3, 0.5), 1.5);
  EXPECT_DOUBLE_EQ(backoff_delay_s(policy, 10, 1.0), 3.0);
  EXPECT_DOUBLE_EQ(backoff_delay_s(policy, 1000, 0.0), 1.5);
  for (int failures = 1; failures < 8; ++failures)
    for (double u : {0.0, 0.3, 0.99})
      EXPECT_LE(backoff_delay_s(policy, failures, u), backoff_delay_s(policy, failures + 1, u));
}

TEST(Backoff, NeverShorterThanRetryAfter) {
  RetryPolicy policy;
  EXPECT_DOUBLE_EQ(backoff_delay_s(policy, 1, 0.0, 7.0), 7.0);
  EXPECT_DOUBLE_EQ(backoff_delay_s(policy, 1, 1.0, 0.0), policy.base_delay_s);
}

TEST(RetryAfter, SecondsDecimalsAndHttpDates) {
  auto now = std::chrono::system_clock::time_point(std::chrono::seconds(784111777));  // Sun, 06 Nov 1994 08:49:37 GMT
  EXPECT_EQ(parse_retry_after("3", now), 3.0);
  EXPECT_EQ(parse_retry_after(" 0.25 ", now), 0.25);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now), 10.0);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now), 0.0);
  EXPECT_FALSE(parse_retry_after("soon", now));
  EXPECT_FALSE(parse_retry_after("-1", now));
  EXPECT_FALSE(parse_retry_after("", now));
  EXPECT_FALSE(parse_retry_after("Sun, 06 Nov 1994 08:49:47 PST", now));
}

TEST(Failures, StatusesAndRetryability) {
  EXPECT_EQ(failure_for_status(429), FailureKind::rate_limited);
  EXPECT_EQ(failure_for_status(503), FailureKind::server_error);
  EXPECT_EQ(failure_for_status(408), FailureKind::server_error);
  EXPECT_EQ(failure_for_status(400), FailureKind::client_error);
  EXPECT_EQ(failure_for_status(401), FailureKind::client_error);
  for (auto kind : {FailureKind::connect, FailureKind::timeout, FailureKind::rate_limited,
                    FailureKind::server_error, FailureKind::malformed})
    EXPECT_TRUE(is_retryable(kind)) << to_string(kind);
  EXPECT_FALSE(is_retryable(FailureKind::client_error));
  EXPECT_FALSE(is_retryable(FailureKind::cancelled));
}

TEST(RetryPolicy, Validates) {
  RetryPolicy policy;
  policy.max_attempts = 0;
  EXPECT_THROW(policy.validate(), Error);
  policy.max_attempts = 3;
  policy.base_delay_s = 5;
  policy.max_delay_s = 1;
  EXPECT_THROW(policy.validate(), Error);
}

}  // namespace
}  // namespace optscale::backend
