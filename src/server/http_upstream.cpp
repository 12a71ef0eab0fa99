#include "optscale/server/http_upstream.hpp"

#include "optscale/backend/http_client.hpp"
#include "optscale/backend/request_executor.hpp"
#include "optscale/util/error.hpp"

namespace optscale::server {
namespace {

backend::HttpClient& thread_client() {
  thread_local backend::HttpClient client;  // HttpClient is per thread (keep-alive cache)
  return client;
}

double seconds(std::chrono::milliseconds duration) { return std::chrono::duration<double>(duration).count(); }

// A probe: "" when `url` answers 2xx, else what went wrong (no keys: URLs are redacted).
std::string probe(const std::string& url, const std::string& key, std::chrono::milliseconds timeout) {
  backend::HttpRequestOptions options;
  options.timeout_s = seconds(timeout);
  options.connect_timeout_s = std::min(options.timeout_s, 10.0);
  options.bearer_token = key;
  try {
    const backend::HttpResponse response = thread_client().get(url, options);
    if (response.ok()) return "";
    return backend::describe_http_failure("GET", url, response);
  } catch (const backend::HttpTransportError& error) {
    return error.what();
  }
}

}  // namespace

HttpUpstream::HttpUpstream(backend::Balancer& generators, HttpUpstreamOptions options)
    : generators_(generators), options_(std::move(options)) {
  require(!options_.scorers.empty(), "--scorer", "no scorer endpoint");
  for (const std::string& url : options_.scorers) scorer_probes_.push_back(scorer_probe_url(url, options_.scorer_kind));
}

std::string HttpUpstream::scorer_probe_url(const std::string& url, backend::ScorerKind kind) {
  if (kind == backend::ScorerKind::judge)
    return backend::normalise_base_url(url, {"/chat/completions", "/completions"}) + "/models";
  return backend::normalise_base_url(url, {"/pooling", "/classify", "/v1"}) + "/health";
}

UpstreamReply HttpUpstream::relay(const RelayRequest& request) {
  const std::atomic<bool>* cancel = request.cancel;
  backend::HttpRequestOptions options;
  options.timeout_s = seconds(request.timeout);
  options.connect_timeout_s = std::min(options.timeout_s, 10.0);
  options.bearer_token = options_.upstream_api_key;
  options.cancel = cancel;
  if (!request.content_type.empty()) options.content_type = request.content_type;
  if (!request.accept.empty()) options.accept = request.accept;
  const std::string* body = request.method == "GET" ? nullptr : &request.body;
  bool delivered = false;  // a piece went to on_body: no other replica may answer now
  UpstreamReply head;
  if (request.on_body) {
    options.on_body = [&](const backend::HttpResponse& response, std::string_view piece) {
      if (!delivered) {
        head.status = static_cast<int>(response.status);
        head.content_type = response.header("content-type").value_or("application/json");
        delivered = true;
      }
      return request.on_body(head, piece);
    };
  }
  std::string last_error = "no generator endpoint";
  bool timed_out = false;
  for (std::size_t tried = 0; tried < generators_.size() && !delivered; ++tried) {
    std::optional<backend::Balancer::Lease> lease = generators_.acquire(cancel);
    if (!lease) throw AnswerCancelled();
    const std::string url = lease->base_url() + request.path + request.query;
    try {
      backend::HttpResponse response = thread_client().request(request.method, url, body, options);
      if (response.status >= 500) {
        lease->failed();
      } else {
        lease->succeeded();
      }
      UpstreamReply reply;
      reply.status = static_cast<int>(response.status);
      reply.content_type = response.header("content-type").value_or("application/json");
      reply.body = std::move(response.body);
      return reply;
    } catch (const backend::HttpTransportError& error) {
      if (error.kind() == backend::HttpTransportError::Kind::cancelled) throw AnswerCancelled();
      lease->failed();
      last_error = delivered ? "the answer broke off after it had begun: " + std::string(error.what()) : error.what();
      // A timeout used the whole budget: trying another endpoint would overrun it.
      if (error.kind() == backend::HttpTransportError::Kind::timeout) {
        timed_out = true;
        break;
      }
    }
  }
  throw UpstreamError(timed_out ? UpstreamError::Kind::timeout : UpstreamError::Kind::unavailable, last_error);
}

HealthReport HttpUpstream::health(std::chrono::milliseconds timeout) {
  HealthReport report;
  // Healthy when any replica answers.
  for (std::size_t i = 0; i < generators_.size() && !report.upstream_ok; ++i) {
    const std::string failure = probe(generators_.base_url(i) + "/models", options_.upstream_api_key, timeout);
    report.upstream_ok = failure.empty();
    if (!failure.empty()) report.upstream_detail = failure;
  }
  if (report.upstream_ok) report.upstream_detail.clear();
  for (const std::string& url : scorer_probes_) {
    const std::string failure = probe(url, options_.scorer_api_key, timeout);
    report.scorer_ok = failure.empty();
    if (report.scorer_ok) {
      report.scorer_detail.clear();
      break;
    }
    report.scorer_detail = failure;
  }
  return report;
}

}  // namespace optscale::server
