#include "client_socket_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace optscale::server {
namespace {

thread_local int current_socket = -1;

int timeout_ms(time_t seconds, time_t microseconds) {
  return static_cast<int>(std::min<long long>(static_cast<long long>(seconds) * 1000 + microseconds / 1000, 1 << 30));
}

// Waits until `sock` has `events`; false on timeout or error.
bool wait_for(int sock, short events, int milliseconds) {
  pollfd fd{sock, events, 0};
  for (;;) {
    const int ready = ::poll(&fd, 1, milliseconds);
    if (ready < 0 && errno == EINTR) continue;
    return ready > 0 && (fd.revents & (events | POLLHUP | POLLERR)) != 0;
  }
}

void address_of(const sockaddr_storage& address, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = {0};
  if (address.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(address);
    ::inet_ntop(AF_INET, &in.sin_addr, text, sizeof text);
    port = ntohs(in.sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(address);
    ::inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof text);
    port = ntohs(in6.sin6_port);
  }
  ip = text;
}

// A connection's byte stream, buffered for reading: httplib reads request
// lines a byte at a time.
class ConnectionStream final : public httplib::Stream {
 public:
  ConnectionStream(int sock, int read_timeout_ms, int write_timeout_ms)
      : sock_(sock), read_timeout_ms_(read_timeout_ms), write_timeout_ms_(write_timeout_ms) {}


  bool is_readable() const override { return (begin_ < end_) || wait_for(sock_, POLLIN, read_timeout_ms_); }
  bool is_writable() const override { return wait_for(sock_, POLLOUT, write_timeout_ms_); }

  ssize_t read(char* ptr, size_t size) override {
    if (!(begin_ < end_)) {
      if (!wait_for(sock_, POLLIN, read_timeout_ms_)) return -1;
      if (size >= buffer_.size()) return receive(ptr, size);
      const ssize_t got = receive(buffer_.data(), buffer_.size());
      if (got <= 0) return got;
      begin_ = 0;
      end_ = static_cast<std::size_t>(got);
    }
    const std::size_t n = std::min(size, end_ - begin_);
    std::memcpy(ptr, buffer_.data() + begin_, n);
    begin_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    for (;;) {
      const ssize_t sent = ::send(sock_, ptr, size, MSG_NOSIGNAL);
      if (sent < 0 && errno == EINTR) continue;
      return sent;
    }
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(sock_, reinterpret_cast<sockaddr*>(&address), &length) == 0) address_of(address, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(sock_, reinterpret_cast<sockaddr*>(&address), &length) == 0) address_of(address, ip, port);
  }
  socket_t socket() const override { return sock_; }

 private:
  ssize_t receive(char* ptr, std::size_t size) {
    for (;;) {
      const ssize_t got = ::recv(sock_, ptr, size, 0);
      if (got < 0 && errno == EINTR) continue;
      return got;
    }
  }

  int sock_;
  int read_timeout_ms_, write_timeout_ms_;
  std::array<char, 4096> buffer_{};
  std::size_t begin_ = 0, end_ = 0;
};

// Sets current_socket for the duration of a request.
class CurrentSocket {
 public:
  explicit CurrentSocket(int sock) { current_socket = sock; }
  ~CurrentSocket() { current_socket = -1; }
  CurrentSocket(const CurrentSocket&) = delete;
  CurrentSocket& operator=(const CurrentSocket&) = delete;
};

}  // namespace

int ClientSocketServer::current_client_socket() { return current_socket; }

bool ClientSocketServer::process_and_close_socket(socket_t sock) {
  const int read_timeout = timeout_ms(read_timeout_sec_, read_timeout_usec_);
  const int write_timeout = timeout_ms(write_timeout_sec_, write_timeout_usec_);
  // Waits for the next request on an idle keep-alive connection, in short
  // slices so that a stopped server (svr_sock_ closed) lets it go at once.
  const auto next_request = [&] {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(keep_alive_timeout_sec_);
    while (svr_sock_ != INVALID_SOCKET) {
      if (wait_for(sock, POLLIN, 50)) return true;
      if (std::chrono::steady_clock::now() >= give_up) return false;
    }
    return false;
  };
  bool ok = false;
  for (std::size_t left = keep_alive_max_count_; left > 0 && svr_sock_ != INVALID_SOCKET && next_request(); --left) {
    // A stream per request, as httplib's own loop has: bytes read past the
    // end of a request are dropped (httplib does not pipeline).
    ConnectionStream stream(sock, read_timeout, write_timeout);
    bool connection_closed = false;
    {
      const CurrentSocket current(sock);
      ok = process_request(stream, /*close_connection=*/left == 1, connection_closed, nullptr);
    }
    if (!ok || connection_closed) break;
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

}  // namespace optscale::server
