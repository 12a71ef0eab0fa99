// `optscale mock-server` over HTTP: cpp-httplib serving a MockService, with
// seeded faults injected in front of it (see mock_faults.hpp). Binds
// 127.0.0.1 by default; port 0 picks a free port. GET /metrics reports
// request and fault counters (Prometheus text format). With `hold`, generation
// requests wait until POST /mock/release lets them go (tests use it to keep a
// request in flight upstream for exactly as long as they need).
#pragma once
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "optscale/mock/mock_faults.hpp"
#include "optscale/mock/mock_service.hpp"

namespace httplib {
class Server;
}
namespace optscale::server {
class HttpListener;
}

namespace optscale::mock {

struct MockServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;            // 0: any free port
  int threads = 256;       // connections served at once (keep-alive holds one each)
  // How long an idle keep-alive connection is kept (it holds a server thread,
  // and stop() waits for it). 0: no keep-alive, one request per connection;
  // what tests use, so that stopping is at once.
  int keep_alive_timeout_s = 1;
  std::string api_key;     // non-empty: requests without "Authorization: Bearer <key>" get 401
  // > 0: a streamed answer goes out an event at a time, this long before
  // each (GET /metrics counts the streams still being sent).
  double stream_delay_ms = 0;
  // Generation requests (chat and completions) are held before they are
  // answered until POST /mock/release: {"count": N} lets the N held longest
  // go, an empty body lets every held one go and stops holding (until POST
  // /mock/hold starts it again). GET /metrics
  // counts them (optscale_mock_held now, optscale_mock_held_total ever).
  bool hold = false;
  FaultOptions faults;
};

class MockServer {
 public:
  MockServer(const pool::Pool& pool, MockOptions service, MockServerOptions server);
  ~MockServer();
  MockServer(const MockServer&) = delete;
  MockServer& operator=(const MockServer&) = delete;

  // Binds and starts serving on a background thread; returns the bound port.
  // Throws optscale::Error when the address cannot be bound.
  int start();
  // Blocks until stop() (from another thread) or a fatal listen error.
  void wait();
  // Stops serving; hung, delayed and held requests are released at once.
  void stop();
  int port() const { return port_; }
  const MockService& service() const { return *service_; }

 private:
  struct Counters;
  bool sleep_unless_stopped(double milliseconds);
  // Holds a generation request until it is released (or the server stops:
  // false). Returns at once when not holding.
  bool hold_until_released();
  // POST /mock/release: count < 0 releases every held request and stops holding.
  long long release(long long count);
  std::string metrics() const;

  std::unique_ptr<MockService> service_;
  MockServerOptions options_;
  FaultInjector faults_;
  std::unique_ptr<httplib::Server> http_;
  std::unique_ptr<Counters> counters_;
  std::unique_ptr<server::HttpListener> listener_;  // after http_: stopped and joined before it goes
  int port_ = 0;
  std::mutex stop_mutex_;
  std::condition_variable stop_signal_;
  bool stopping_ = false;
  // The hold (under stop_mutex_): requests take tickets in arrival order, and
  // those below released_upto_ may go.
  bool holding_ = false;
  long long hold_tickets_ = 0;
  long long released_upto_ = 0;
};

}  // namespace optscale::mock
