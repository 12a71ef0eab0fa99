// HTTP for the backends (libcurl): POST JSON or GET with a timeout, response
// status, headers and body. One HttpClient per thread keeps its connections
// open between requests; a request can be cancelled from another thread.
// Transport failures (refused, reset, timed out, cancelled) throw
// HttpTransportError; any HTTP status is returned, never thrown.
#pragma once
#include <atomic>
#include <chrono>
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
  // The first header of that (case-insensitive) name.
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
  std::chrono::milliseconds timeout{std::chrono::minutes(10)};
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  // Extra "Name: value" lines (e.g. Authorization). Never echoed in errors.
  std::vector<std::string> headers;
  // When set and true, the transfer stops (libcurl polls it at least once a
  // second, more often while data flows) and the call throws
  // HttpTransportError(cancelled).
  const std::atomic<bool>* cancel = nullptr;
};

class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResponse post_json(const std::string& url, std::string_view body,
                         const HttpRequestOptions& options = {});
  HttpResponse get(const std::string& url, const HttpRequestOptions& options = {});

 private:
  HttpResponse perform(const std::string& url, const std::string_view* body,
                       const HttpRequestOptions& options);
  struct Handle;
  std::unique_ptr<Handle> handle_;
};

// One-off POST on this thread's shared client (connections reused per thread).
HttpResponse http_post_json(const std::string& url, std::string_view body,
                            const HttpRequestOptions& options = {});

// The URL without credentials or query, for messages.
std::string redact_url(std::string_view url);

}  // namespace optscale::backend
