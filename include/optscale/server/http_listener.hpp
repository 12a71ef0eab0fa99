// The listening side shared by the proxy (`optscale serve`) and the test mock
// (`optscale mock-server`): binds an httplib server, raises its listen backlog,
// serves on a background thread, stops and joins. The owner configures routes,
// thread pool and timeouts on its httplib::Server; this class owns only the
// socket's lifetime and the listen thread.
//
// The socket gets SO_REUSEADDR (quick restarts) but not httplib's default
// SO_REUSEPORT, with which a second server on the same port would start
// silently instead of failing to bind.
#pragma once
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace httplib {
class Server;
}

namespace optscale::server {

class HttpListener {
 public:
  // Installs the socket options on `http` (before anything binds); `http`
  // must outlive this listener.
  explicit HttpListener(httplib::Server& http);
  // Stops and joins the listen thread.
  ~HttpListener();
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  // Binds host:port (port 0: any free port), then serves on a background
  // thread; returns once the server runs (so a stop() right after is not
  // lost). Returns the bound port. Throws optscale::Error
  // "<who>: cannot listen on HOST:PORT<hint>" when the address cannot be bound.
  int start(const std::string& host, int port, std::string_view who, std::string_view hint = "");
  // Closes the listening socket; the listen thread then waits for the
  // connections in flight to end. Idempotent; safe before start().
  void stop();
  // True once the listen thread has returned (after stop(), or a fatal listen error).
  bool stopped() const;
  // Waits up to `duration` for stopped(); true when it is.
  bool wait_stopped_for(std::chrono::milliseconds duration);
  // Blocks until the listen thread has returned (call stop() first, or from another thread).
  void join();
  int port() const { return port_; }

 private:
  httplib::Server& http_;
  std::thread thread_;
  int port_ = 0;
  int listen_socket_ = -1;  // the bound socket, to raise its listen backlog
  mutable std::mutex mutex_;
  std::condition_variable stopped_signal_;
  bool stopped_ = false;
};

}  // namespace optscale::server
