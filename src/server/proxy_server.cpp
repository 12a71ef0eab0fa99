#include "optscale/server/proxy_server.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <thread>

#include "client_socket_server.hpp"
#include "optscale/server/api_error.hpp"
#include "optscale/server/http_listener.hpp"
#include "optscale/util/error.hpp"

namespace optscale::server {

void ProxyServer::send(const ProxyReply& reply, httplib::Response& response) {
  response.status = reply.status;
  for (const auto& [name, value] : reply.headers) response.set_header(name, value);
  if (reply.live) {
    response.set_header("Cache-Control", "no-cache");
    std::shared_ptr<LiveBody> live = reply.live;
    {
      std::lock_guard lock(streams_mutex_);
      if (!closing_) ++streams_starting_;
      else live = nullptr;
    }
    if (!live) {
      // Shutting down: httplib would not write a chunked body any more; the
      // stream goes out whole (in-flight requests have the grace period).
      std::string body;
      std::string piece;
      while (reply.live->next(piece)) body += piece;
      response.set_content(body, reply.content_type);
      return;
    }
    auto started = std::make_shared<std::atomic<bool>>(false);
    auto mark_started = [this, started] {
      if (!started->exchange(true)) stream_started();
    };
    // One call writes the whole stream: httplib checks for shutdown only
    // between calls, so a stream once begun is not cut off by it.
    response.set_chunked_content_provider(
        reply.content_type,
        [live, mark_started](size_t, httplib::DataSink& sink) {
          mark_started();
          std::string piece;
          while (live->next(piece))
            if (!sink.write(piece.data(), piece.size())) {
              live->abandon();  // the client is gone: stop the upstream transfer
              return false;
            }
          sink.done();
          return true;
        },
        [live, mark_started](bool) { mark_started(); });
    return;
  }
  if (!reply.streaming) {
    response.set_content(reply.body, reply.content_type);
    return;
  }
  // Every event is ready when the answer is: they go out as one body with a
  // Content-Length. (httplib's chunked content providers stop writing once
  // the server is stopping, so a stream finishing during graceful shutdown
  // would arrive as an empty 200.)
  response.set_header("Cache-Control", "no-cache");
  std::string body;
  for (const std::string& event : reply.events) body += event;
  response.set_content(body, reply.content_type);
}

void ProxyServer::stream_started() {
  {
    std::lock_guard lock(streams_mutex_);
    --streams_starting_;
  }
  streams_started_.notify_all();
}

void HttpOptions::validate() const {
  require(port >= 0 && port <= 65535, "--port", [&] { return "must be in [0, 65535], got " + std::to_string(port); });
  require(!host.empty(), "--host", "must not be empty");
  require(threads >= 0, "--threads", "must be >= 0 (0: automatic)");
  require(keep_alive_timeout_s >= 1, "keep-alive timeout", "must be at least 1 s");
}

ProxyServer::ProxyServer(ProxyService& service, HttpOptions options)
    : service_(service), options_((options.validate(), std::move(options))),
      http_(std::make_unique<ClientSocketServer>()) {
  const int threads =
      options_.threads > 0 ? options_.threads : std::max(64, 4 * service_.options().max_concurrent);
  http_->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  http_->set_keep_alive_max_count(100000);
  http_->set_keep_alive_timeout(options_.keep_alive_timeout_s);
  http_->set_tcp_nodelay(true);
  // SO_REUSEADDR for quick restarts, but not httplib's default SO_REUSEPORT,
  // with which a second server on the same port would start silently.
  listener_ = std::make_unique<HttpListener>(*http_);
  const std::size_t max_body = service_.options().max_body_bytes;
  http_->set_payload_max_length(max_body);

  // Refuse an announced oversize body before reading it; the connection is
  // closed since the unread body would follow on it.
  http_->set_pre_routing_handler([this, max_body](const httplib::Request& request, httplib::Response& response) {
    const std::string length = request.get_header_value("Content-Length");
    std::size_t bytes = 0;
    const auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), bytes);
    if (length.empty() || ec != std::errc() || end != length.data() + length.size() || bytes <= max_body)
      return httplib::Server::HandlerResponse::Unhandled;
    ProxyReply reply = service_.too_large(request.method, request.path, bytes);
    reply.headers.emplace_back("x-request-id", service_.new_request_id());
    send(reply, response);
    response.set_header("Connection", "close");
    return httplib::Server::HandlerResponse::Handled;
  });

  auto handler = [this](const httplib::Request& request, httplib::Response& response) {
    ProxyRequest proxy_request;
    proxy_request.method = request.method;
    proxy_request.path = request.path;
    proxy_request.body = request.body;
    proxy_request.authorization = request.get_header_value("Authorization");
    proxy_request.optscale_header = request.get_header_value("X-OptScale");
    proxy_request.content_type = request.get_header_value("Content-Type");
    proxy_request.accept = request.get_header_value("Accept");
    if (const auto query = request.target.find('?'); query != std::string::npos)
      proxy_request.query = request.target.substr(query);
    proxy_request.client_socket = ClientSocketServer::current_client_socket();
    send(service_.handle(proxy_request), response);
    if (!service_.accepting()) response.set_header("Connection", "close");
  };
  const std::string any = R"(/.*)";
  http_->Get(any, handler);
  http_->Post(any, handler);
  http_->Put(any, handler);
  http_->Patch(any, handler);
  http_->Delete(any, handler);

  // httplib's own refusals (malformed request line, a chunked body over the
  // limit, unknown methods) get the OpenAI error shape too.
  http_->set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request&,
                                                                       httplib::Response& response) {
    if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    response.set_header("x-request-id", service_.new_request_id());
    const int status = response.status;
    const std::string message = status == 413 ? "the request body is larger than the limit"
                                : status == 404 ? "no such route"
                                                : "the request could not be read as HTTP";
    response.set_content(error_body(status, message), "application/json");
    return httplib::Server::HandlerResponse::Handled;
  }));
  http_->set_exception_handler([this](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
    response.status = 500;
    response.set_header("x-request-id", service_.new_request_id());
    response.set_content(error_body(500, "internal error while serving the request", "internal_error"),
                         "application/json");
  });
}

ProxyServer::~ProxyServer() {
  listener_->stop();
  listener_->join();
}

int ProxyServer::start() {
  return port_ = listener_->start(options_.host, options_.port, "serve",
                                  " (address in use, or not an address of this machine?)");
}

bool ProxyServer::stopped() const { return listener_->stopped(); }

bool ProxyServer::shutdown(std::chrono::milliseconds grace, std::chrono::milliseconds cancel_wait) {
  service_.stop_accepting();
  {
    std::unique_lock lock(streams_mutex_);
    closing_ = true;
    streams_started_.wait_for(lock, grace, [this] { return streams_starting_ == 0; });
  }
  // Closes the listening socket; the listener then waits for every worker,
  // i.e. for the requests in flight and idle keep-alive connections to end.
  listener_->stop();
  bool done = listener_->wait_stopped_for(grace);
  if (!done) {
    service_.cancel_in_flight();
    done = listener_->wait_stopped_for(cancel_wait);
  }
  if (done) listener_->join();
  return done;
}

}  // namespace optscale::server
