#include "optscale/backend/http_client.hpp"

#include <curl/curl.h>

#include <cmath>
#include <mutex>

#include "optscale/util/error.hpp"

namespace optscale::backend {
namespace {

// curl_global_init is not thread-safe and must run once before any handle.
void ensure_curl_initialised() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw Error("libcurl: global initialisation failed");
    }
  });
}

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

}  // namespace

struct HttpClient::Handle {
  CURL* curl = nullptr;
  ~Handle() {
    if (curl) curl_easy_cleanup(curl);
  }
};

HttpClient::HttpClient() : handle_(std::make_unique<Handle>()) {
  ensure_curl_initialised();
  handle_->curl = curl_easy_init();
  if (!handle_->curl) throw Error("libcurl: cannot create a handle");
}

HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

HttpResponse HttpClient::post_json(const std::string& url, const std::string& body,
                                   const HttpRequestOptions& options) {
  return perform("POST", url, &body, options);
}

HttpResponse HttpClient::get(const std::string& url, const HttpRequestOptions& options) {
  return perform("GET", url, nullptr, options);
}

HttpResponse HttpClient::perform(const std::string& method, const std::string& url,
                                 const std::string* body, const HttpRequestOptions& options) {
  const std::string where = method + " " + url;
  require(handle_ && handle_->curl, where, "the HTTP client was moved from");
  require(std::isfinite(options.timeout_s) && options.timeout_s > 0.0 &&
              std::isfinite(options.connect_timeout_s) && options.connect_timeout_s > 0.0,
          where, "timeouts must be finite and > 0");
  CURL* curl = handle_->curl;
  curl_easy_reset(curl);
  HttpResponse response;
  curl_slist* headers = nullptr;
  auto add_header = [&](const std::string& line) {
    curl_slist* next = curl_slist_append(headers, line.c_str());
    if (!next) {
      curl_slist_free_all(headers);
      throw Error(where + ": cannot build request headers");
    }
    headers = next;
  };
  if (body) add_header("Content-Type: application/json");
  add_header("Accept: application/json");
  if (!options.bearer_token.empty()) add_header("Authorization: Bearer " + options.bearer_token);
  for (const auto& h : options.headers) add_header(h);

  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM (threads)
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout_s * 1000.0));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options.connect_timeout_s * 1000.0));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  if (body) {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
  }
  char error_buffer[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);

  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  if (code != CURLE_OK) {
    const std::string detail = error_buffer[0] ? error_buffer : curl_easy_strerror(code);
    throw Error(where + ": " + detail);
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

std::string describe_http_failure(const std::string& method, const std::string& url,
                                  const HttpResponse& response) {
  constexpr std::size_t kShown = 300;
  std::string body = response.body.substr(0, kShown);
  if (response.body.size() > kShown) body += "...";
  return "HTTP " + std::to_string(response.status) + " from " + method + " " + url +
         (body.empty() ? "" : ": " + body);
}

}  // namespace optscale::backend
