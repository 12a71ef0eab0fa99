// An httplib::Server that tells a handler which socket its client is on, so
// that the proxy can notice a client that hangs up while its answer is being
// made (Debian's cpp-httplib 0.11 has no Request::is_connection_closed()).
//
// It replaces httplib's per-connection loop (the virtual
// process_and_close_socket, the same override point httplib's SSLServer
// uses) with an equivalent one over its own socket stream: keep-alive up to
// the server's count and idle timeout, read and write timeouts, the request
// itself parsed and routed by httplib's process_request. While a handler
// runs, current_client_socket() is that connection's socket.
#pragma once
#include <httplib.h>

namespace optscale::server {

class ClientSocketServer : public httplib::Server {
 public:
  // The socket of the connection whose request this thread is handling; -1
  // outside a handler.
  static int current_client_socket();

 private:
  bool process_and_close_socket(socket_t sock) override;
};

}  // namespace optscale::server
