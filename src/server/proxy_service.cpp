#include "optscale/server/proxy_service.hpp"

#include <cstdio>
#include <ctime>

#include "optscale/server/answer_summary.hpp"
#include "optscale/server/api_error.hpp"
#include "optscale/server/chat_completion.hpp"

namespace optscale::server {
namespace {

using Clock = std::chrono::steady_clock;

std::string seconds_text(std::chrono::milliseconds duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%g s", static_cast<double>(duration.count()) / 1000.0);
  return text;
}

// An upstream answer relayed to the client as it came.
ProxyReply relayed(UpstreamReply upstream) {
  ProxyReply reply;
  reply.status = upstream.status;
  reply.body = std::move(upstream.body);
  reply.content_type = std::move(upstream.content_type);
  return reply;
}

// The outcome counted for a status when the code path did not name one.
std::string outcome_for_status(int status) {
  switch (status) {
    case 400:
    case 404:
    case 405:
    case 422:
      return "invalid_request";
    case 401:
      return "unauthorized";
    case 413:
      return "too_large";
    case 429:
      return "overloaded";
    case 502:
      return "upstream_error";
    case 503:
      return "shutting_down";
    case 504:
      return "upstream_timeout";
    default:
      return status < 400 ? "answered" : "internal_error";
  }
}

ProxyReply error_reply(const ApiError& error, int retry_after_default) {
  ProxyReply reply;
  reply.status = error.status();
  reply.body = error_body(error);
  if (error.retry_after_s) {
    reply.headers.emplace_back("Retry-After", std::to_string(*error.retry_after_s));
  } else if (error.status() == 429 || error.status() == 503) {
    reply.headers.emplace_back("Retry-After", std::to_string(retry_after_default));
  }
  return reply;
}

ApiError upstream_api_error(const UpstreamError& error) {
  switch (error.kind()) {
    case UpstreamError::Kind::timeout:
      return ApiError(504, std::string("the upstream did not answer in time: ") + error.what(), "upstream_timeout");
    case UpstreamError::Kind::rejected:
      return ApiError(400, std::string("the upstream rejected the request: ") + error.what(), "upstream_rejected");
    case UpstreamError::Kind::unavailable:
    default:
      return ApiError(502, std::string("the upstream failed: ") + error.what(), "upstream_error");
  }
}

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

ApiError unauthorized() {
  return ApiError(401, "missing or wrong API key (send \"Authorization: Bearer <key>\")", "invalid_api_key");
}

// Counts a request in optscale_requests_in_flight while it lives.
class InFlight {
 public:
  explicit InFlight(ServerMetrics& metrics) : metrics_(metrics) { metrics_.add_in_flight(1); }
  ~InFlight() { metrics_.add_in_flight(-1); }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

 private:
  ServerMetrics& metrics_;
};

// The answer for a request whose work was cancelled: by shutdown (503) or by
// its deadline (504).
[[noreturn]] void throw_cancelled(const DeadlineWatch::Ticket& ticket, std::chrono::milliseconds timeout,
                                  std::string& outcome) {
  if (ticket.reason() == CancelReason::shutdown) {
    outcome = "shutting_down";
    throw ApiError(503, "the server shut down before the answer was ready", "shutting_down");
  }
  outcome = "deadline";
  throw ApiError(504, "no answer within the proxy's request timeout of " + seconds_text(timeout), "request_timeout");
}

bool is_path(const std::string& path, const char* v1_path) {
  return path == v1_path || path == std::string(v1_path).substr(3);  // also without the /v1 prefix
}

}  // namespace

void ProxyOptions::validate() const {
  require(max_concurrent >= 1, "--max-concurrent", "must be at least 1");
  require(request_timeout.count() > 0, "--request-timeout", "must be positive");
  require(max_body_bytes >= 1, "--max-body-bytes", "must be at least 1");
  require(retry_after_s >= 1, "retry-after", "must be at least 1 s");
}

ProxyService::ProxyService(ProxyOptions options, Answerer& answerer, Upstream& upstream, StrategyChooser choose,
                           RequestLog& log)
    : options_((options.validate(), std::move(options))),
      answerer_(answerer),
      upstream_(upstream),
      choose_(std::move(choose)),
      log_(log),
      auth_(options_.api_key),
      limit_(options_.max_concurrent) {
  require(static_cast<bool>(choose_), "serve", "no policy chooser");
  // Completion ids: unique within this process by the request number, and
  // across restarts by the start time.
  start_time_ = static_cast<unsigned long long>(std::time(nullptr));
}

void ProxyService::stop_accepting() { accepting_ = false; }

void ProxyService::cancel_in_flight() { deadlines_.cancel_all(); }

ConcurrencyLimit::Permit ProxyService::admit() {
  if (auto permit = limit_.try_acquire()) return std::move(*permit);
  ApiError error(429,
                 "the proxy is already serving its limit of " + std::to_string(limit_.limit()) +
                     " concurrent requests; retry later",
                 "overloaded");
  error.retry_after_s = options_.retry_after_s;
  throw error;
}

long long ProxyService::seed_for(const ChatRequest& chat, unsigned long long number) const {
  if (chat.seed) return *chat.seed;
  // Distinct, reproducible seeds per request: the server seed and the request's
  // number, kept below 2^30 so that seed + k fits servers' 32-bit seeds.
  const std::uint64_t mixed = splitmix64(static_cast<std::uint64_t>(options_.seed) ^ splitmix64(number));
  return static_cast<long long>(mixed >> 34);
}

std::string ProxyService::completion_id(unsigned long long number) const {
  char text[64];
  std::snprintf(text, sizeof text, "chatcmpl-optscale-%llx-%llx", start_time_, number);
  return text;
}

ProxyReply ProxyService::handle(const ProxyRequest& request) {
  const auto start = Clock::now();
  const bool is_chat = is_path(request.path, "/v1/chat/completions");
  std::string outcome, note;
  ProxyReply reply;
  try {
    if (is_chat) {
      if (request.method != "POST") {
        reply = error_reply(ApiError(405, "use POST for " + request.path, "method_not_allowed"),
                            options_.retry_after_s);
        reply.headers.emplace_back("Allow", "POST");
      } else {
        reply = chat(request, outcome, note);
      }
    } else if (request.path == "/health") {
      reply = health();
    } else if (!auth_.allows(request.authorization)) {
      throw unauthorized();
    } else if (is_path(request.path, "/v1/models")) {
      reply = models();
    } else if (request.path == "/metrics") {
      if (!options_.metrics) throw ApiError(404, "metrics are disabled; start the server with --metrics", "not_found");
      reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
      reply.body = metrics_.render();
    } else {
      throw ApiError(404, "no route for " + request.method + " " + request.path, "not_found");
    }
  } catch (const ApiError& error) {
    reply = error_reply(error, options_.retry_after_s);
    if (outcome.empty()) outcome = outcome_for_status(error.status());
    if (error.status() >= 500) note = error.what();
  } catch (...) {
    // Not ours (a library's exception, bad_alloc): the client gets an OpenAI
    // error object, the log the message, and the proxy keeps serving.
    reply = error_reply(ApiError(500, "internal error while serving the request", "internal_error"),
                        options_.retry_after_s);
    outcome = "internal_error";
    note = exception_message(std::current_exception()) + " (" + request.method + " " + request.path + ")";
  }
  if (!is_chat) return reply;

  if (outcome.empty()) outcome = outcome_for_status(reply.status);
  metrics_.count_request(outcome);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  // Failures of the upstream or of the proxy are worth a line at any verbosity;
  // their messages name endpoints and statuses, never keys or prompts.
  const bool failure = reply.status >= 500;
  if (log_.enabled(failure ? 0 : 1)) {
    char line[160];
    std::snprintf(line, sizeof line, "%s %s %d %s %.1f ms", request.method.c_str(), request.path.c_str(),
                  reply.status, outcome.c_str(), seconds * 1000.0);
    log_.write(failure ? 0 : 1, std::string(line) + (note.empty() ? "" : " " + note));
  }
  return reply;
}

ProxyReply ProxyService::chat(const ProxyRequest& request, std::string& outcome, std::string& note) {
  if (!accepting_) {
    outcome = "shutting_down";
    throw ApiError(503, "the server is shutting down", "shutting_down");
  }
  if (!auth_.allows(request.authorization)) throw unauthorized();
  if (request.body.size() > options_.max_body_bytes) {
    outcome = "too_large";
    throw ApiError(413,
                   "the request body has " + std::to_string(request.body.size()) + " bytes, more than the limit of " +
                       std::to_string(options_.max_body_bytes),
                   "request_too_large");
  }
  log_.write(2, "request body: " + request.body);
  const ChatRequest chat = parse_chat_request(request.body);
  if (passthrough_reason(chat, request.optscale_header)) return pass_through(request, outcome);
  return answer(request, chat, outcome, note);
}

ProxyReply ProxyService::pass_through(const ProxyRequest& request, std::string& outcome) {
  ConcurrencyLimit::Permit permit = admit();
  const auto start = Clock::now();
  const DeadlineWatch::Ticket ticket = deadlines_.watch(start + options_.request_timeout);
  const InFlight in_flight(metrics_);
  try {
    UpstreamReply upstream = upstream_.forward_chat(request.body, ticket.flag(), options_.request_timeout);
    metrics_.observe_latency("passthrough", std::chrono::duration<double>(Clock::now() - start).count());
    // Relayed as they are, but still the upstream's failures.
    if (upstream.status == 429) metrics_.count_upstream_error("rate_limited");
    if (upstream.status >= 500) metrics_.count_upstream_error("server_error");
    outcome = "passthrough";
    return relayed(std::move(upstream));
  } catch (const UpstreamError& error) {
    metrics_.count_upstream_error(error.kind() == UpstreamError::Kind::timeout ? "timeout" : "unavailable");
    outcome = error.kind() == UpstreamError::Kind::timeout ? "upstream_timeout" : "upstream_error";
    throw upstream_api_error(error);
  } catch (const AnswerCancelled&) {
    throw_cancelled(ticket, options_.request_timeout, outcome);
  }
}

ProxyReply ProxyService::answer(const ProxyRequest&, const ChatRequest& chat, std::string& outcome,
                                std::string& note) {
  const std::shared_ptr<const policy::Strategy> strategy = choose_(chat.overrides);
  require(strategy != nullptr, "serve", "the policy chooser returned no policy");
  ConcurrencyLimit::Permit permit = admit();
  const auto start = Clock::now();
  const DeadlineWatch::Ticket ticket = deadlines_.watch(start + options_.request_timeout);
  const InFlight in_flight(metrics_);
  // Numbered in order of admission: the number picks the seed and names the answer.
  const unsigned long long number = answered_.fetch_add(1);

  AnswerRequest request;
  request.chat_body = chat.upstream_body;
  request.model = chat.model;
  request.problem = chat.problem;
  request.strategy = strategy.get();
  request.seed = seed_for(chat, number);
  request.cancel = ticket.flag();
  request.on_upstream_error = [this](std::string_view kind) { metrics_.count_upstream_error(kind); };

  AnswerResult result;
  try {
    result = answerer_.answer(request);
  } catch (const UpstreamError& error) {
    outcome = error.kind() == UpstreamError::Kind::timeout    ? "upstream_timeout"
              : error.kind() == UpstreamError::Kind::rejected ? "invalid_request"
                                                              : "upstream_error";
    throw upstream_api_error(error);
  } catch (const AnswerCancelled&) {
    throw_cancelled(ticket, options_.request_timeout, outcome);
  }
  const AnswerSummary summary = summarize_answer(result, strategy->budget(), strategy->spec());
  metrics_.count_answer(summary.samples, summary.budget, summary.completion_tokens, result.stop_reason);
  metrics_.observe_latency("optscale", std::chrono::duration<double>(Clock::now() - start).count());

  CompletionHeader header;
  header.id = completion_id(number);
  header.created = static_cast<long long>(std::time(nullptr));
  header.model = !chat.model.empty() ? chat.model : result.model;
  outcome = "answered";
  note = "samples=" + std::to_string(summary.samples) + "/" + std::to_string(summary.budget) +
         " stop=" + result.stop_reason;
  ProxyReply reply;
  if (chat.stream) {
    reply.streaming = true;
    reply.content_type = "text/event-stream";
    reply.events = completion_events(header, result, summary, chat.include_usage);
  } else {
    reply.body = completion_body(header, result, summary);
  }
  return reply;
}

ProxyReply ProxyService::too_large(const std::string& method, const std::string& path, std::size_t bytes) {
  const ApiError error(413,
                       "the request body has " + std::to_string(bytes) + " bytes, more than the limit of " +
                           std::to_string(options_.max_body_bytes),
                       "request_too_large");
  if (is_path(path, "/v1/chat/completions")) {
    metrics_.count_request("too_large");
    log_.write(1, method + " " + path + " 413 too_large");
  }
  return error_reply(error, options_.retry_after_s);
}

ProxyReply ProxyService::models() {
  try {
    return relayed(upstream_.models(options_.request_timeout));
  } catch (const UpstreamError& error) {
    throw upstream_api_error(error);
  }
}

ProxyReply ProxyService::health() {
  if (!accepting_) throw ApiError(503, "the server is shutting down", "shutting_down");
  const HealthReport report = upstream_.health(options_.health_timeout);
  ProxyReply reply;
  if (report.upstream_ok && report.scorer_ok) {
    reply.body = R"({"status":"ok","upstream":"ok","scorer":"ok"})";
    return reply;
  }
  std::string message;
  if (!report.upstream_ok) message += "upstream: " + report.upstream_detail;
  if (!report.scorer_ok) message += std::string(message.empty() ? "" : "; ") + "scorer: " + report.scorer_detail;
  throw ApiError(503, message, "unhealthy");
}

}  // namespace optscale::server
