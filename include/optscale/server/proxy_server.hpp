// `optscale serve` over HTTP: cpp-httplib serving a ProxyService. Binds
// 127.0.0.1 unless told otherwise; port 0 picks a free port. Bodies announced
// larger than the limit are refused (413) before they are read. Shutdown is
// graceful: stop accepting, let in-flight requests finish up to a grace
// period, then cancel the rest (they answer 503) and return.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "optscale/server/proxy_service.hpp"

namespace httplib {
class Server;
struct Response;
}

namespace optscale::server {

class HttpListener;

struct HttpOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                       // 0: any free port
  int threads = 0;                       // connections served at once; 0: max(64, 4 x max_concurrent)
  int keep_alive_timeout_s = 2;          // an idle keep-alive connection holds a thread this long
  void validate() const;
};

class ProxyServer {
 public:
  ProxyServer(ProxyService& service, HttpOptions options);
  ~ProxyServer();
  ProxyServer(const ProxyServer&) = delete;
  ProxyServer& operator=(const ProxyServer&) = delete;

  // Binds and serves on a background thread; returns the bound port. Throws
  // optscale::Error when the address cannot be bound.
  int start();
  // True once the server has stopped serving (after shutdown(), or a fatal
  // listen error).
  bool stopped() const;
  // Graceful shutdown (see above). Returns true when every in-flight request
  // had finished or been cancelled within grace + cancel_wait, false when some
  // still ran (the caller may then exit anyway).
  bool shutdown(std::chrono::milliseconds grace,
                std::chrono::milliseconds cancel_wait = std::chrono::seconds(10));
  int port() const { return port_; }

 private:
  // Sends `reply` as `response`; a live relayed stream goes out piece by
  // piece (chunked) while the server runs, whole once shutdown has begun.
  void send(const ProxyReply& reply, httplib::Response& response);
  void stream_started();  // a live stream's writer took over (or never will)

  ProxyService& service_;
  HttpOptions options_;
  std::unique_ptr<httplib::Server> http_;
  std::unique_ptr<HttpListener> listener_;  // after http_: stopped and joined before it goes
  int port_ = 0;
  // httplib writes nothing more of a chunked body once stop() has closed the
  // listening socket, unless its writer is already running: shutdown waits
  // (within the grace period) for live streams that are about to start.
  std::mutex streams_mutex_;
  std::condition_variable streams_started_;
  int streams_starting_ = 0;
  bool closing_ = false;  // shutdown begun: new live streams go out whole
};

}  // namespace optscale::server
