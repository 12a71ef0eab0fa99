#include "optscale/backend/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>

namespace optscale::backend {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

size_t write_body(char* data, size_t size, size_t count, void* user) {
  static_cast<HttpResponse*>(user)->body.append(data, size * count);
  return size * count;
}

size_t write_header(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<HttpResponse*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    response->headers.clear();  // a new response (after 100 Continue or a redirect)
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    response->headers.emplace_back(lower(trim(line.substr(0, colon))),
                                   std::string(trim(line.substr(colon + 1))));
  }
  return size * count;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* cancel = static_cast<const std::atomic<bool>*>(user);
  return cancel && cancel->load(std::memory_order_relaxed) ? 1 : 0;
}

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  std::string key = lower(name);
  for (const auto& [k, v] : headers)
    if (k == key) return v;
  return std::nullopt;
}

std::string redact_url(std::string_view url) {
  std::string out(url.substr(0, url.find_first_of("?#")));
  auto scheme = out.find("://");
  auto start = scheme == std::string::npos ? 0 : scheme + 3;
  auto at = out.find('@', start);
  auto slash = out.find('/', start);
  if (at != std::string::npos && (slash == std::string::npos || at < slash)) out.erase(start, at + 1 - start);
  return out;
}

struct HttpClient::Handle {
  CURL* curl = nullptr;
  char error[CURL_ERROR_SIZE] = {};
};

HttpClient::HttpClient() : handle_(std::make_unique<Handle>()) {
  global_init();
  handle_->curl = curl_easy_init();
  if (!handle_->curl) throw Error("libcurl: cannot create a handle");
}

HttpClient::~HttpClient() {
  if (handle_ && handle_->curl) curl_easy_cleanup(handle_->curl);
}

HttpResponse HttpClient::post_json(const std::string& url, std::string_view body,
                                   const HttpRequestOptions& options) {
  return perform(url, &body, options);
}

HttpResponse HttpClient::get(const std::string& url, const HttpRequestOptions& options) {
  return perform(url, nullptr, options);
}

HttpResponse HttpClient::perform(const std::string& url, const std::string_view* body,
                                 const HttpRequestOptions& options) {
  CURL* curl = handle_->curl;
  curl_easy_reset(curl);  // keeps the connection cache
  HttpResponse response;
  handle_->error[0] = '\0';
  curl_slist* headers = nullptr;
  if (body) {
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  }
  for (const std::string& h : options.headers) headers = curl_slist_append(headers, h.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, write_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, handle_->error);
  curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
  // No Accept-Encoding: compressing JSON costs more CPU than it saves
  // bandwidth next to a model server (and brotli at default quality is slow).
  if (options.cancel) {
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(options.cancel));
  }
  if (body) {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
  } else {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  }
  CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  if (code != CURLE_OK) {
    std::string detail = handle_->error[0] ? handle_->error : curl_easy_strerror(code);
    std::string where = redact_url(url) + ": ";
    switch (code) {
      case CURLE_OPERATION_TIMEDOUT:
        throw HttpTransportError(HttpTransportError::Kind::timeout, where + "timed out (" + detail + ")");
      case CURLE_ABORTED_BY_CALLBACK:
        throw HttpTransportError(HttpTransportError::Kind::cancelled, where + "cancelled");
      case CURLE_COULDNT_CONNECT:
      case CURLE_COULDNT_RESOLVE_HOST:
        throw HttpTransportError(HttpTransportError::Kind::connect, where + "cannot connect (" + detail + ")");
      default:
        throw HttpTransportError(HttpTransportError::Kind::other, where + detail);
    }
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

HttpResponse http_post_json(const std::string& url, std::string_view body,
                            const HttpRequestOptions& options) {
  thread_local HttpClient client;
  return client.post_json(url, body, options);
}

}  // namespace optscale::backend
