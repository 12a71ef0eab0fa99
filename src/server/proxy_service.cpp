#include "optscale/server/proxy_service.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <tuple>

#include "optscale/server/answer_summary.hpp"
#include "optscale/server/api_error.hpp"
#include "optscale/server/chat_completion.hpp"
#include "optscale/util/json_limits.hpp"
#include "optscale/util/hash.hpp"
#include "optscale/util/invariant.hpp"

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
    case 499:
      return "client_closed";
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

// Internal addresses stay in the log: every http(s)://host[:port] in a text
// for a client becomes "<upstream>" (the path after it is kept).
std::string without_endpoints(std::string text) {
  for (std::size_t at = text.find("://"); at != std::string::npos; at = text.find("://", at)) {
    std::size_t begin = at;
    while (begin > 0 && std::isalpha(static_cast<unsigned char>(text[begin - 1]))) --begin;
    std::size_t end = at + 3;
    while (end < text.size() && text[end] != '/' && !std::isspace(static_cast<unsigned char>(text[end])) &&
           text[end] != '"' && text[end] != '\'' && text[end] != ']' && text[end] != ')' &&
           !(text[end] == ':' && (end + 1 == text.size() || text[end + 1] == ' ')))
      ++end;
    text.replace(begin, end - begin, "<upstream>");
    at = begin + 10;
  }
  return text;
}

std::string status_text(long status) { return status > 0 ? " (HTTP " + std::to_string(status) + ")" : ""; }

// The answer for a pass-through request that got no answer from the upstream.
ApiError relay_api_error(const UpstreamError& error) {
  if (error.kind() == UpstreamError::Kind::timeout)
    return ApiError(504, "the upstream did not answer in time", "upstream_timeout");
  return ApiError(502, "the upstream is unavailable (no answer; details are in the proxy's log)", "upstream_error");
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
  if (ticket.reason() == CancelReason::client_closed) {
    // Nobody reads this answer (499, nginx's "client closed request"); what
    // matters is that the upstream work stopped and the slot is free.
    outcome = "client_closed";
    throw ApiError(499, "the client closed the connection before the answer was ready", "client_closed");
  }
  outcome = "deadline";
  throw ApiError(504, "no answer within the proxy's request timeout of " + seconds_text(timeout), "request_timeout");
}

bool is_path(const std::string& path, const char* v1_path) {
  return path == v1_path || path == std::string(v1_path).substr(3);  // also without the /v1 prefix
}

// A client's path relative to the upstream's OpenAI base: /v1/x -> /x; paths
// without /v1 are taken as relative already (clients whose base URL has none).
std::string upstream_path(const std::string& path) {
  if (path == "/v1") return "";
  if (path.rfind("/v1/", 0) == 0) return path.substr(3);
  return path;
}

// Whether a relayed request asks for a streamed answer: "stream": true in
// its JSON body (OpenAI's APIs), or an Accept of server-sent events.
bool asks_for_stream(const ProxyRequest& request) {
  if (request.accept.find("text/event-stream") != std::string::npos) return true;
  if (request.body.find("\"stream\"") == std::string::npos) return false;  // skips the parse for most
  nlohmann::json body;
  try {
    body = util::parse_json(request.body, "the relayed request's body");
  } catch (const std::exception&) {
    return false;  // not JSON: the upstream says what it makes of it
  }
  if (!body.is_object()) return false;
  const auto stream = body.find("stream");
  return stream != body.end() && stream->is_boolean() && stream->get<bool>();
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
  OPTSCALE_INVARIANT(static_cast<bool>(choose_), "serve: no policy chooser");
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
  const std::uint64_t mixed = util::splitmix64(static_cast<std::uint64_t>(options_.seed) ^ util::splitmix64(number));
  return static_cast<long long>(mixed >> 34);
}

std::string ProxyService::completion_id(unsigned long long number) const {
  char text[64];
  std::snprintf(text, sizeof text, "chatcmpl-optscale-%llx-%llx", start_time_, number);
  return text;
}

std::string ProxyService::new_request_id() {
  // Numbered per process (not per service: tests run several), mixed so that
  // ids do not reveal how many requests came before.
  static std::atomic<unsigned long long> issued{0};
  char text[48];
  std::snprintf(text, sizeof text, "req_%08llx%016llx", start_time_ & 0xffffffffULL,
                static_cast<unsigned long long>(util::splitmix64(issued.fetch_add(1) ^ start_time_)));
  return text;
}

ProxyReply ProxyService::handle(const ProxyRequest& request) {
  const auto start = Clock::now();
  const std::string request_id = new_request_id();
  const bool is_chat = is_path(request.path, "/v1/chat/completions");
  bool relayed_path = false;  // a path the proxy relays as it is
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
    } else if (request.path == "/metrics") {
      if (!options_.metrics) throw ApiError(404, "metrics are disabled; start the server with --metrics", "not_found");
      reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
      reply.body = metrics_.render();
    } else {
      // Everything else of the API (/v1/models, /v1/completions,
      // /v1/embeddings, /v1/responses, ...) is the upstream's.
      relayed_path = true;
      if (!accepting_) {
        outcome = "shutting_down";
        throw ApiError(503, "the server is shutting down", "shutting_down");
      }
      reply = pass_through(request, upstream_path(request.path), outcome, note);
    }
  } catch (const ApiError& error) {
    reply = error_reply(error, options_.retry_after_s);
    if (outcome.empty()) outcome = outcome_for_status(error.status());
    if (error.status() >= 500 && note.empty()) note = error.what();
  } catch (...) {
    // Not ours (a library's exception, bad_alloc): the client gets an OpenAI
    // error object, the log the message, and the proxy keeps serving.
    reply = error_reply(ApiError(500, "internal error while serving the request", "internal_error"),
                        options_.retry_after_s);
    outcome = "internal_error";
    note = exception_message(std::current_exception()) + " (" + request.method + " " + request.path + ")";
  }
  reply.headers.emplace_back("x-request-id", request_id);
  if (!is_chat && !relayed_path) return reply;

  if (outcome.empty()) outcome = outcome_for_status(reply.status);
  metrics_.count_request(outcome);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  // Failures of the upstream or of the proxy are worth a line at any verbosity;
  // their messages name endpoints and statuses, never keys or prompts.
  const bool failure = reply.status >= 500 && reply.status != 499;
  if (log_.enabled(failure ? 0 : 1)) {
    char line[160];
    std::snprintf(line, sizeof line, " %d %s %.1f ms", reply.status, outcome.c_str(), seconds * 1000.0);
    log_.write(failure ? 0 : 1, request_id + " " + request.method + " " + request.path + line +
                                    (note.empty() ? "" : " " + note));
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
  if (passthrough_reason(chat, request.optscale_header))
    return pass_through(request, "/chat/completions", outcome, note);
  return answer(request, chat, outcome, note);
}

ProxyReply ProxyService::pass_through(const ProxyRequest& request, const std::string& path, std::string& outcome,
                                      std::string& note) {
  ConcurrencyLimit::Permit permit = admit();
  const auto start = Clock::now();
  DeadlineWatch::Ticket ticket = deadlines_.watch(start + options_.request_timeout, request.client_socket);
  auto in_flight = std::make_unique<InFlight>(metrics_);
  RelayRequest relay;
  relay.method = request.method;
  relay.path = path;
  relay.query = request.query;
  relay.body = request.body;
  if (!request.content_type.empty()) relay.content_type = request.content_type;
  relay.accept = request.accept;
  relay.cancel = ticket.flag();
  relay.timeout = options_.request_timeout;
  if (!asks_for_stream(request)) return relayed(relay_counted(relay, ticket, start, outcome, note));

  // A stream: relayed on its own thread, piece by piece as the upstream
  // sends it, holding the request's slot, deadline and in-flight count until
  // it ends (the HTTP writer takes the pieces from `live`).
  auto live = std::make_shared<LiveBody>();
  LiveBody* body = live.get();  // outlives the thread: ~LiveBody joins it
  relay.on_body = [body](const UpstreamReply& head, std::string_view piece) {
    body->set_head(head.status, head.content_type);
    return body->push(piece);
  };
  auto outcome_of_thread = std::make_shared<std::pair<std::string, std::string>>();
  live->start([this, body, outcome_of_thread, start, relay = std::move(relay), permit = std::move(permit),
               ticket = std::move(ticket), in_flight = std::move(in_flight)]() mutable {
    auto& [thread_outcome, thread_note] = *outcome_of_thread;
    try {
      const UpstreamReply head = relay_counted(relay, ticket, start, thread_outcome, thread_note);
      body->set_head(head.status, head.content_type);  // an empty body sends no piece
      body->finish();
    } catch (const ApiError& error) {
      // Before the head this is the client's answer; after it, the stream
      // ends with it as an error event, as OpenAI's streams report errors.
      // (handle() logs a failure before the head; this one it cannot see.)
      if (thread_note.empty()) thread_note = error.what();
      if (body->has_head())
        log_.write(0, "relayed stream " + relay.path + " broke off: " + thread_outcome + " " + thread_note);
      body->fail(std::current_exception(), "data: " + error_body(error) + "\n\n");
    } catch (...) {
      body->fail(std::current_exception(), "");
    }
  });
  try {
    const LiveBody::Head head = live->wait_head();
    ProxyReply reply;
    reply.status = head.status;
    reply.content_type = head.content_type;
    outcome = "passthrough";
    note = "upstream " + std::to_string(head.status) + " (streamed)";
    if (head.status >= 200 && head.status < 300 && head.content_type.rfind("text/event-stream", 0) == 0) {
      reply.live = std::move(live);
    } else {
      reply.body = live->drain();  // not a stream after all (an error, a JSON answer): whole
    }
    return reply;
  } catch (const ApiError&) {
    std::tie(outcome, note) = *outcome_of_thread;  // written before the failure was signalled
    throw;
  }
}

UpstreamReply ProxyService::relay_counted(const RelayRequest& relay, const DeadlineWatch::Ticket& ticket,
                                          Clock::time_point start, std::string& outcome, std::string& note) {
  try {
    UpstreamReply upstream = upstream_.relay(relay);
    metrics_.observe_latency("passthrough", std::chrono::duration<double>(Clock::now() - start).count());
    // Relayed as they are, but still the upstream's failures.
    if (upstream.status == 429) metrics_.count_upstream_error("rate_limited");
    if (upstream.status >= 500) metrics_.count_upstream_error("server_error");
    outcome = "passthrough";
    note = "upstream " + std::to_string(upstream.status);
    return upstream;
  } catch (const UpstreamError& error) {
    metrics_.count_upstream_error(error.kind() == UpstreamError::Kind::timeout ? "timeout" : "unavailable");
    outcome = error.kind() == UpstreamError::Kind::timeout ? "upstream_timeout" : "upstream_error";
    note = error.what();
    throw relay_api_error(error);
  } catch (const AnswerCancelled&) {
    throw_cancelled(ticket, options_.request_timeout, outcome);
  }
}

std::optional<bool> ProxyService::upstream_lists_model(const std::string& model) {
  RelayRequest list;
  list.path = "/models";
  list.timeout = std::min<std::chrono::milliseconds>(options_.request_timeout, std::chrono::seconds(10));
  try {
    const UpstreamReply reply = upstream_.relay(list);
    if (reply.status != 200) return std::nullopt;
    const nlohmann::json models = util::parse_json(reply.body, "the upstream's /models list");
    if (!models.contains("data") || !models["data"].is_array()) return std::nullopt;
    for (const nlohmann::json& entry : models["data"])
      if (entry.is_object() && entry.contains("id") && entry["id"] == model) return true;
    return false;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

ApiError ProxyService::client_error_for(const UpstreamError& error, const ChatRequest& chat, std::string& outcome,
                                        std::string& note) {
  note = error.what();  // endpoints and the server's answer: for the log only
  const bool scorer = error.side() == UpstreamError::Side::scorer;
  const std::string who = scorer ? "the scorer" : "the upstream";
  const long status = error.status();
  switch (error.kind()) {
    case UpstreamError::Kind::timeout:
      outcome = "upstream_timeout";
      return ApiError(504, who + " did not answer in time", "upstream_timeout");
    case UpstreamError::Kind::unavailable:
      outcome = "upstream_error";
      return ApiError(502, who + " failed" + status_text(status) + " after retries; details are in the proxy's log",
                      "upstream_error");
    case UpstreamError::Kind::rejected:
      break;
  }
  // A refusal of a request the proxy made up is the proxy's configuration
  // (the client could not have changed it): 502, which clients may retry
  // and operators see as the server's fault.
  if (scorer) {
    outcome = "upstream_error";
    return ApiError(502,
                    "the scorer refused the proxy's scoring request" + status_text(status) +
                        ": the proxy's scorer settings do not match the scorer; details are in the proxy's log",
                    "upstream_misconfigured");
  }
  if (status == 401 || status == 403) {
    outcome = "upstream_error";
    return ApiError(502, "the upstream refused the proxy's credentials" + status_text(status), "upstream_misconfigured");
  }
  if (status == 404) {
    // vLLM and Ollama answer 404 for a model they do not serve; a 404 for a
    // model they list means the proxy's own URL is wrong.
    if (!chat.model.empty() && upstream_lists_model(chat.model) == false) {
      outcome = "invalid_request";
      return ApiError(404, "The model `" + chat.model + "` does not exist or is not served by this proxy's upstream",
                      "model_not_found", "model");
    }
    outcome = "upstream_error";
    return ApiError(502,
                    "the upstream answered 404 (not found) to the proxy's generation request: the proxy's upstream "
                    "URL or default model is wrong; details are in the proxy's log",
                    "upstream_misconfigured");
  }
  outcome = "invalid_request";
  const std::string said = without_endpoints(error.server_message());
  return ApiError(400, "the upstream rejected the request" + status_text(status) + (said.empty() ? "" : ": " + said),
                  "upstream_rejected");
}

ProxyReply ProxyService::answer(const ProxyRequest& client, const ChatRequest& chat, std::string& outcome,
                                std::string& note) {
  const std::shared_ptr<const policy::Strategy> strategy = choose_(chat.overrides);
  require(strategy != nullptr, "serve", "the policy chooser returned no policy");
  ConcurrencyLimit::Permit permit = admit();
  const auto start = Clock::now();
  const DeadlineWatch::Ticket ticket = deadlines_.watch(start + options_.request_timeout, client.client_socket);
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
  request.on_failed_samples = [this](int failed) { metrics_.count_failed_samples(failed); };
  request.on_wasted_tokens = [this](long long tokens) { metrics_.count_wasted_tokens(tokens); };
  request.on_unreadable_judgements = [this](int replies) { metrics_.count_unreadable_judgements(replies); };

  AnswerResult result;
  try {
    result = answerer_.answer(request);
  } catch (const UpstreamError& error) {
    // A client that left is no one's error, whatever the transfers saw.
    if (ticket.cancelled()) throw_cancelled(ticket, options_.request_timeout, outcome);
    throw client_error_for(error, chat, outcome, note);
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
  log_.write(1, "GET /health 503: " + message);
  throw ApiError(503, without_endpoints(message), "unhealthy");
}

}  // namespace optscale::server
