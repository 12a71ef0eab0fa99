#include "optscale/backend/retry.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cmath>
#include <ctime>

#include "optscale/util/error.hpp"

namespace optscale::backend {

bool is_retryable(FailureKind kind) {
  switch (kind) {
    case FailureKind::connect:
    case FailureKind::timeout:
    case FailureKind::rate_limited:
    case FailureKind::server_error:
    case FailureKind::malformed:
      return true;
    case FailureKind::client_error:
    case FailureKind::cancelled:
    case FailureKind::unsupported:
      return false;
  }
  return false;
}

std::string_view to_string(FailureKind kind) {
  switch (kind) {
    case FailureKind::connect: return "connection error";
    case FailureKind::timeout: return "timeout";
    case FailureKind::rate_limited: return "rate limited";
    case FailureKind::server_error: return "server error";
    case FailureKind::malformed: return "malformed response";
    case FailureKind::client_error: return "request refused";
    case FailureKind::cancelled: return "cancelled";
    case FailureKind::unsupported: return "unsupported";
  }
  return "unknown";
}

FailureKind failure_for_status(long status) {
  if (status == 429) return FailureKind::rate_limited;
  if (status == 408 || status >= 500) return FailureKind::server_error;
  return FailureKind::client_error;
}

void RetryPolicy::validate() const {
  if (max_attempts < 1) throw Error("--max-attempts must be at least 1");
  if (!(base_delay_s >= 0.0) || !(max_delay_s >= base_delay_s))
    throw Error("retry delays must satisfy 0 <= base delay <= max delay");
}

double backoff_delay_s(const RetryPolicy& policy, int failures, double u,
                       std::optional<double> retry_after_s) {
  const int doublings = std::clamp(failures - 1, 0, 60);
  const double exponential = std::min(policy.max_delay_s, policy.base_delay_s * std::ldexp(1.0, doublings));
  double delay = exponential * (0.5 + 0.5 * std::clamp(u, 0.0, 1.0));
  if (retry_after_s && *retry_after_s > delay) delay = *retry_after_s;
  return delay;
}

namespace {

// "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 IMF-fixdate).
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text) {
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char weekday[4] = {}, month[4] = {}, zone[4] = {};
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  std::string copy(text);
  if (std::sscanf(copy.c_str(), "%3s, %d %3s %d %d:%d:%d %3s", weekday, &day, month, &year, &hour,
                  &minute, &second, zone) != 8 ||
      std::string_view(zone) != "GMT")
    return std::nullopt;
  int month_index = -1;
  for (int m = 0; m < 12; ++m)
    if (std::string_view(month) == months[m]) month_index = m;
  if (month_index < 0 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  // Days from the civil date (Howard Hinnant's algorithm), avoiding timegm's locale.
  int y = year - (month_index < 2 ? 1 : 0);
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int mp = (month_index + 10) % 12;  // March = 0
  int doy = (153 * mp + 2) / 5 + day - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  long long days = static_cast<long long>(era) * 146097 + doe - 719468;
  long long seconds = days * 86400 + hour * 3600 + minute * 60 + second;
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

}  // namespace

std::optional<double> parse_retry_after(std::string_view value,
                                        std::chrono::system_clock::time_point now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  double seconds = 0.0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc() && end == value.data() + value.size()) {
    if (!std::isfinite(seconds) || seconds < 0) return std::nullopt;
    return seconds;
  }
  if (auto date = parse_http_date(value)) {
    double delta = std::chrono::duration<double>(*date - now).count();
    return delta > 0 ? delta : 0.0;
  }
  return std::nullopt;
}

}  // namespace optscale::backend
