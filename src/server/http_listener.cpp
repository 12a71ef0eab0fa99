#include "optscale/server/http_listener.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include "optscale/util/error.hpp"

namespace optscale::server {

HttpListener::HttpListener(httplib::Server& http) : http_(http) {
  http_.set_socket_options([this](socket_t socket) {
    const int yes = 1;
    ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_socket_ = static_cast<int>(socket);
  });
}

HttpListener::~HttpListener() {
  stop();
  join();
}

int HttpListener::start(const std::string& host, int port, std::string_view who, std::string_view hint) {
  port_ = port == 0 ? http_.bind_to_any_port(host) : (http_.bind_to_port(host, port) ? port : -1);
  if (port_ <= 0)
    throw Error(std::string(who) + ": cannot listen on " + host + ":" + std::to_string(port) + std::string(hint));
  // Debian's httplib listens with a backlog of 5: when many clients connect
  // at once, dropped SYNs come back only after the kernel's 1 s retransmit.
  if (listen_socket_ >= 0) ::listen(listen_socket_, SOMAXCONN);
  thread_ = std::thread([this] {
    http_.listen_after_bind();
    {
      std::lock_guard lock(mutex_);
      stopped_ = true;
    }
    stopped_signal_.notify_all();
  });
  // httplib's stop() does nothing until the listener runs: wait for it, so
  // that a stop right after start cannot be lost (and hang the join).
  while (!http_.is_running() && !stopped()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return port_;
}

void HttpListener::stop() { http_.stop(); }

bool HttpListener::stopped() const {
  std::lock_guard lock(mutex_);
  return stopped_;
}

bool HttpListener::wait_stopped_for(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  return stopped_signal_.wait_for(lock, duration, [this] { return stopped_; });
}

void HttpListener::join() {
  if (thread_.joinable()) thread_.join();
}

}  // namespace optscale::server
