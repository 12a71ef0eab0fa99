#include "optscale/backend/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <mutex>

namespace optscale::backend {
namespace {

// curl_global_init is not thread-safe and must run once before any handle.
void ensure_curl_initialised() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw Error("libcurl: global initialisation failed");
  });
}

// ASCII lower case (header names are ASCII; no locale lookups per byte).
std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

// The write callback's view when the body is collected.
struct BodyCollector {
  HttpResponse* response;
  std::size_t limit;
  bool too_large = false;
};

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* collector_pointer) {
  auto* collector = static_cast<BodyCollector*>(collector_pointer);
  if (collector->response->body.size() + size * count > collector->limit) {
    collector->too_large = true;
    return 0;  // a short count makes libcurl stop with CURLE_WRITE_ERROR
  }
  collector->response->body.append(data, size * count);
  return size * count;
}

std::size_t append_header(char* data, std::size_t size, std::size_t count, void* response) {
  auto* r = static_cast<HttpResponse*>(response);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    r->headers.clear();  // a new response (after 100 Continue or a redirect)
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    r->headers.emplace_back(lower(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
  }
  return size * count;
}

// The write callback's view when the body is handed on piece by piece.
struct BodySink {
  CURL* curl;
  HttpResponse* response;
  const std::function<bool(const HttpResponse&, std::string_view)>* on_body;
};

std::size_t pass_body(char* data, std::size_t size, std::size_t count, void* sink_pointer) {
  auto* sink = static_cast<BodySink*>(sink_pointer);
  if (sink->response->status == 0) curl_easy_getinfo(sink->curl, CURLINFO_RESPONSE_CODE, &sink->response->status);
  // A short count makes libcurl stop with CURLE_WRITE_ERROR.
  return (*sink->on_body)(*sink->response, std::string_view(data, size * count)) ? size * count : 0;
}

int check_cancel(void* flag, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(flag)->load(std::memory_order_relaxed) ? 1 : 0;
}

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  const std::string key = lower(name);
  for (const auto& [k, v] : headers)
    if (k == key) return v;
  return std::nullopt;
}

std::string redact_url(std::string_view url) {
  std::string out(url.substr(0, url.find_first_of("?#")));
  const auto scheme = out.find("://");
  const auto start = scheme == std::string::npos ? 0 : scheme + 3;
  const auto at = out.find('@', start);
  const auto slash = out.find('/', start);
  if (at != std::string::npos && (slash == std::string::npos || at < slash)) out.erase(start, at + 1 - start);
  return out;
}

struct HttpClient::Handle {
  CURL* curl = nullptr;
  CURLM* multi = nullptr;  // for cancellable transfers; created on first use, keeps their connections
  ~Handle() {
    if (multi) curl_multi_cleanup(multi);
    if (curl) curl_easy_cleanup(curl);
  }
};

namespace {

// How often a cancellable transfer that is waiting for the server looks at
// its flag. curl_easy_perform calls the progress callback only about once a
// second while nothing arrives, so a transfer cancelled at shutdown or by a
// client that left would hold its connection and thread for up to a second.
constexpr int kCancelPollMs = 50;

// curl_easy_perform, but stopping within kCancelPollMs of `cancel` turning
// true (CURLE_ABORTED_BY_CALLBACK, as the progress callback reports it).
CURLcode perform_cancellable(CURLM* multi, CURL* curl, const std::atomic<bool>& cancel) {
  if (curl_multi_add_handle(multi, curl) != CURLM_OK) return CURLE_FAILED_INIT;
  CURLcode result = CURLE_OK;
  for (;;) {
    int running = 0;
    if (curl_multi_perform(multi, &running) != CURLM_OK) {
      result = CURLE_FAILED_INIT;
      break;
    }
    if (running == 0) {
      int queued = 0;
      while (CURLMsg* message = curl_multi_info_read(multi, &queued))
        if (message->msg == CURLMSG_DONE && message->easy_handle == curl) result = message->data.result;
      break;
    }
    if (cancel.load(std::memory_order_relaxed)) {
      result = CURLE_ABORTED_BY_CALLBACK;
      break;
    }
    if (curl_multi_poll(multi, nullptr, 0, kCancelPollMs, nullptr) != CURLM_OK) {
      result = CURLE_FAILED_INIT;
      break;
    }
  }
  curl_multi_remove_handle(multi, curl);
  return result;
}

}  // namespace

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

HttpResponse HttpClient::request(const std::string& method, const std::string& url, const std::string* body,
                                 const HttpRequestOptions& options) {
  return perform(method, url, body, options);
}

HttpResponse HttpClient::perform(const std::string& method, const std::string& url, const std::string* body,
                                 const HttpRequestOptions& options) {
  const std::string where = method + " " + redact_url(url);
  require(handle_ && handle_->curl, where, "the HTTP client was moved from");
  require(std::isfinite(options.timeout_s) && options.timeout_s > 0.0 && std::isfinite(options.connect_timeout_s) &&
              options.connect_timeout_s > 0.0,
          where, "timeouts must be finite and > 0");
  CURL* curl = handle_->curl;
  curl_easy_reset(curl);  // keeps the connection cache
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
  if (body) {
    add_header("Content-Type: " + options.content_type);
    add_header("Expect:");  // no 100-continue round trip for large bodies
  }
  if (!options.accept.empty()) add_header("Accept: " + options.accept);
  if (!options.bearer_token.empty()) add_header("Authorization: Bearer " + options.bearer_token);
  for (const auto& h : options.headers) add_header(h);

  char error_buffer[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM (threads)
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout_s * 1000.0));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout_s * 1000.0));
  BodySink sink{curl, &response, &options.on_body};
  BodyCollector collector{&response, options.max_response_bytes};
  if (options.on_body) {
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, pass_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  } else {
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &collector);
  }
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, append_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  // No Accept-Encoding: compressing JSON costs more CPU than it saves
  // bandwidth next to a model server (and brotli at default quality is slow).
  if (options.cancel) {
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, check_cancel);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(options.cancel));
  }
  if (body) {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
  }
  if (method != "GET" && method != "POST") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (options.cancel && !handle_->multi) {
    handle_->multi = curl_multi_init();
    if (!handle_->multi) throw Error(where + ": libcurl: cannot create a multi handle");
  }
  const CURLcode code = options.cancel ? perform_cancellable(handle_->multi, curl, *options.cancel)
                                       : curl_easy_perform(curl);
  curl_slist_free_all(headers);
  if (code != CURLE_OK) {
    const std::string detail = error_buffer[0] ? error_buffer : curl_easy_strerror(code);
    using Kind = HttpTransportError::Kind;
    switch (code) {
      case CURLE_OPERATION_TIMEDOUT:
        throw HttpTransportError(Kind::timeout, where + ": timed out (" + detail + ")");
      case CURLE_ABORTED_BY_CALLBACK:
        throw HttpTransportError(Kind::cancelled, where + ": cancelled");
      case CURLE_WRITE_ERROR:
        if (options.on_body) throw HttpTransportError(Kind::cancelled, where + ": cancelled by the receiver");
        if (collector.too_large)
          throw HttpTransportError(Kind::other, where + ": the answer is larger than " +
                                                    std::to_string(options.max_response_bytes) +
                                                    " bytes, the limit for one answer; refused unread");
        throw HttpTransportError(Kind::other, where + ": " + detail);
      case CURLE_COULDNT_CONNECT:
      case CURLE_COULDNT_RESOLVE_HOST:
        throw HttpTransportError(Kind::connect, where + ": cannot connect (" + detail + ")");
      default:
        throw HttpTransportError(Kind::other, where + ": " + detail);
    }
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  return response;  // with on_body: status and headers only
}

std::string describe_http_failure(const std::string& method, const std::string& url, const HttpResponse& response) {
  constexpr std::size_t kShown = 300;
  std::string body = response.body.substr(0, kShown);
  if (response.body.size() > kShown) body += "...";
  return "HTTP " + std::to_string(response.status) + " from " + method + " " + redact_url(url) +
         (body.empty() ? "" : ": " + body);
}

}  // namespace optscale::backend
