// A small blocking HTTP client over libcurl for the OpenAI-compatible
// endpoints the project talks to (embeddings now, generation and scoring
// later). It returns status and body; deciding what a status means is the
// caller's job. Transport failures (refused connection, timeout, bad URL)
// throw optscale::Error naming the method and URL.
#pragma once
#include <memory>
#include <string>
#include <vector>

namespace optscale::backend {

struct HttpResponse {
  long status = 0;
  std::string body;
  bool ok() const { return status >= 200 && status < 300; }
};

struct HttpRequestOptions {
  double timeout_s = 60.0;          // whole request; > 0
  double connect_timeout_s = 10.0;  // > 0
  std::vector<std::string> headers; // extra "Name: value" lines
  std::string bearer_token;         // sends "Authorization: Bearer <token>" when non-empty
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

 private:
  HttpResponse perform(const std::string& method, const std::string& url, const std::string* body,
                       const HttpRequestOptions& options);
  struct Handle;
  std::unique_ptr<Handle> handle_;
};

// "HTTP 404 from POST http://...: <first 300 bytes of the body>" for errors.
std::string describe_http_failure(const std::string& method, const std::string& url,
                                  const HttpResponse& response);

}  // namespace optscale::backend
