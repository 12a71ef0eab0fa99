// Talking HTTP byte by byte to a server on 127.0.0.1, for tests of what a
// well-behaved client library would never send (bad framing, oversize
// heads, lying lengths).
#pragma once
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdint>
#include <string>

namespace optscale::testing {

// A TCP connection to 127.0.0.1:port (the test fails when it cannot connect).
inline int connect_to_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  return fd;
}

// Sends `bytes` and returns the server's first answer: its head and a body of
// Content-Length bytes (or everything until the server closes, or 30 s pass).
inline std::string raw_exchange(int port, const std::string& bytes) {
  const int fd = connect_to_loopback(port);
  // The server may answer (and close) before reading it all: a short send is
  // not a failure here.
  ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  timeval timeout{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string answer;
  char buffer[4096];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) {
    answer.append(buffer, static_cast<std::size_t>(n));
    const auto head_end = answer.find("\r\n\r\n");
    const auto length_at = answer.find("Content-Length: ");
    if (head_end == std::string::npos || length_at == std::string::npos || length_at > head_end) continue;
    if (answer.size() >= head_end + 4 + std::stoul(answer.substr(length_at + 16))) break;
  }
  ::close(fd);
  return answer;
}

// Sends a chat completion request (a JSON body) on a raw connection and
// returns the socket unread, so that the test closes it (a client giving up)
// exactly when it wants.
inline int send_raw_chat_request(int port, const std::string& json_body) {
  const int fd = connect_to_loopback(port);
  const std::string request = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                              "Content-Length: " + std::to_string(json_body.size()) + "\r\n\r\n" + json_body;
  EXPECT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL), static_cast<ssize_t>(request.size()));
  return fd;
}

}  // namespace optscale::testing
