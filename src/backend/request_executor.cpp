#include "optscale/backend/request_executor.hpp"

#include <chrono>
#include <random>
#include <thread>

#include "optscale/backend/openai_response.hpp"

namespace optscale::backend {
namespace {

using Clock = std::chrono::steady_clock;

// Sleeps `seconds`, waking early when cancelled; false when cancelled.
bool sleep_unless_cancelled(double seconds, const std::atomic<bool>* cancel) {
  auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  while (Clock::now() < deadline) {
    if (cancel && cancel->load()) return false;
    auto left = deadline - Clock::now();
    std::this_thread::sleep_for(std::min<Clock::duration>(left, std::chrono::milliseconds(10)));
  }
  return !(cancel && cancel->load());
}

FailureKind transport_failure(const HttpTransportError& e) {
  switch (e.kind()) {
    case HttpTransportError::Kind::timeout: return FailureKind::timeout;
    case HttpTransportError::Kind::cancelled: return FailureKind::cancelled;
    default: return FailureKind::connect;
  }
}

}  // namespace

bool is_sample_specific(const BackendError& error) {
  if (error.kind == FailureKind::client_error)
    return error.status != 401 && error.status != 403 && error.status != 404;
  // A 4xx names its input even from a server that has answered nothing yet
  // (the first batch of a run may hold the long input); --max-failed-samples
  // stops a run whose every request is refused.
  return error.kind == FailureKind::server_error && error.status >= 500 && error.server_answers_others;
}

void run_with_retries(Balancer& balancer, const RetryPolicy& policy, const RequestContext& context,
                      std::string_view what,
                      const std::function<long(const std::string&, AttemptRecord&)>& attempt) {
  std::mt19937_64 jitter(context.jitter_seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int number = 1;; ++number) {
    auto lease = balancer.acquire(context.cancel);
    if (!lease) throw RequestCancelled();
    AttemptRecord record;
    record.endpoint = redact_url(lease->base_url());
    record.attempt = number;
    const auto start = Clock::now();
    std::optional<double> retry_after;
    try {
      record.http_status = attempt(lease->base_url(), record);
      lease->succeeded();
      record.seconds = std::chrono::duration<double>(Clock::now() - start).count();
      if (context.on_attempt) context.on_attempt(record);
      return;
    } catch (const AttemptFailed& failed) {
      record.failure = failed.kind;
      record.http_status = failed.status;
      record.error = failed.message;
      retry_after = failed.retry_after_s;
    } catch (const MalformedResponse& malformed) {
      record.failure = FailureKind::malformed;
      record.http_status = 200;
      record.error = malformed.what();
    } catch (const HttpTransportError& transport) {
      record.failure = transport_failure(transport);
      record.error = transport.what();
    }
    record.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const FailureKind kind = *record.failure;
    if (kind == FailureKind::cancelled) {
      if (context.on_attempt) context.on_attempt(record);
      throw RequestCancelled();
    }
    // Overload and refusals say nothing about the endpoint's health.
    if (kind != FailureKind::rate_limited && kind != FailureKind::client_error && kind != FailureKind::unsupported)
      lease->failed();
    const bool retry = is_retryable(kind) && number < policy.max_attempts;
    if (retry) record.backoff_s = backoff_delay_s(policy, number, unit(jitter), retry_after);
    if (context.on_attempt) context.on_attempt(record);
    if (!retry) {
      const bool others = balancer.ever_succeeded();
      std::string status = record.http_status ? " (HTTP " + std::to_string(record.http_status) + ")" : "";
      if (!is_retryable(kind)) {
        BackendError error(std::string(what) + " request to " + record.endpoint + " refused" + status + ": " +
                               record.error,
                           kind, record.http_status);
        error.server_answers_others = others;
        throw error;
      }
      BackendError error(std::string(what) + " request failed after " + std::to_string(number) +
                             " attempts; last on " + record.endpoint + ": " + std::string(to_string(kind)) +
                             status + ": " + record.error,
                         kind, record.http_status);
      error.server_answers_others = others;
      throw error;
    }
    lease.reset();  // let other requests use the endpoint while this one waits
    if (!sleep_unless_cancelled(record.backoff_s, context.cancel)) throw RequestCancelled();
  }
}

std::string post_json_checked(const std::string& url, const std::string& body,
                              const HttpRequestOptions& options, long* status_out) {
  thread_local HttpClient client;
  HttpResponse response = client.post_json(url, body, options);
  if (status_out) *status_out = response.status;
  if (response.status >= 200 && response.status < 300) return std::move(response.body);
  std::optional<double> retry_after;
  if (auto value = response.header("retry-after"))
    retry_after = parse_retry_after(*value, std::chrono::system_clock::now());
  std::string message = server_error_message(response.body);
  if (response.status == 404)
    message += " [" + redact_url(url) +
               " not found: generator URLs are the OpenAI base ending in /v1; /pooling and "
               "/classify scorers take the server root]";
  throw AttemptFailed(failure_for_status(response.status), response.status, message, retry_after);
}

std::string normalise_base_url(std::string_view url, std::initializer_list<std::string_view> suffixes) {
  std::string out(url);
  bool changed = true;
  while (changed) {
    changed = false;
    while (!out.empty() && out.back() == '/') {
      out.pop_back();
      changed = true;
    }
    for (std::string_view suffix : suffixes) {
      if (out.size() > suffix.size() && out.ends_with(suffix)) {
        out.resize(out.size() - suffix.size());
        changed = true;
      }
    }
  }
  return out;
}

}  // namespace optscale::backend
