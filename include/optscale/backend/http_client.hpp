// A small blocking HTTP client over libcurl for the OpenAI-compatible
// endpoints the project talks to (embeddings, generation, scoring). It
// returns status, headers and body; deciding what a status means is the
// caller's job. Transport failures (refused connection, reset, timeout,
// cancellation, bad URL) throw HttpTransportError, an optscale::Error naming
// the method and URL (without credentials) and saying which kind it was.
#pragma once
#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "optscale/util/error.hpp"

namespace optscale::backend {

struct HttpResponse {
  long status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  bool ok() const { return status >= 200 && status < 300; }
  // The first header of that name (case-insensitive), e.g. "Retry-After".
  std::optional<std::string> header(std::string_view name) const;
};

class HttpTransportError : public Error {
 public:
  enum class Kind { connect, timeout, cancelled, other };
  HttpTransportError(Kind kind, const std::string& message) : Error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

struct HttpRequestOptions {
  double timeout_s = 60.0;          // whole request; > 0
  double connect_timeout_s = 10.0;  // > 0
  std::vector<std::string> headers; // extra "Name: value" lines (never echoed in errors)
  std::string bearer_token;         // sends "Authorization: Bearer <token>" when non-empty
  std::string content_type = "application/json";  // of a request body
  std::string accept = "application/json";
  // When set and it becomes true, the transfer stops (the flag is looked at
  // every 50 ms while waiting, and as data flows) and the call throws
  // HttpTransportError(cancelled).
  const std::atomic<bool>* cancel = nullptr;
  // When set, the body is not collected: each piece goes here as it arrives,
  // with the response's status and headers (its body empty). Returning false
  // stops the transfer, and the call throws HttpTransportError(cancelled).
  std::function<bool(const HttpResponse& head, std::string_view piece)> on_body;
  // A collected body larger than this is refused (HttpTransportError naming
  // the limit) instead of read into memory: a server's answer is untrusted
  // input. Far above any real answer (a /pooling batch of 64 samples with
  // 10,000 step rewards each is ~25 MB). Not applied to on_body's pieces,
  // which are never collected.
  std::size_t max_response_bytes = std::size_t{256} << 20;
};

// One connection cache per client (keep-alive between calls to the same
// host). Not safe to share between threads; give each thread its own.
class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // POST `body` with Content-Type: application/json.
  HttpResponse post_json(const std::string& url, const std::string& body,
                         const HttpRequestOptions& options = {});
  HttpResponse get(const std::string& url, const HttpRequestOptions& options = {});
  // Any method ("PUT", "DELETE", ...), with a body of options.content_type
  // when `body` is not null.
  HttpResponse request(const std::string& method, const std::string& url, const std::string* body,
                       const HttpRequestOptions& options = {});

 private:
  HttpResponse perform(const std::string& method, const std::string& url, const std::string* body,
                       const HttpRequestOptions& options);
  struct Handle;
  std::unique_ptr<Handle> handle_;
};

// "HTTP 404 from POST http://...: <first 300 bytes of the body>" for errors.
std::string describe_http_failure(const std::string& method, const std::string& url,
                                  const HttpResponse& response);

// The URL without credentials, query or fragment, for messages.
std::string redact_url(std::string_view url);

}  // namespace optscale::backend
