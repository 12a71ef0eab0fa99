#include "optscale/mock/mock_server.hpp"

#include <httplib.h>
#include <pthread.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

#include "optscale/server/http_listener.hpp"
#include "optscale/util/error.hpp"
#include "optscale/util/json_limits.hpp"
#include "optscale/util/thread_priority.hpp"

namespace optscale::mock {

struct MockServer::Counters {
  std::atomic<long long> requests{0};
  std::atomic<long long> server_errors{0};
  std::atomic<long long> rate_limited{0};
  std::atomic<long long> hangs{0};
  std::atomic<long long> malformed{0};
  std::atomic<long long> drops{0};
  std::atomic<long long> streams_open{0};  // streamed answers still being sent (--stream-delay)
  std::atomic<long long> held{0};          // generation requests waiting for POST /mock/release
  std::atomic<long long> held_total{0};
};

namespace {

// httplib's thread pool with every thread at a lower CPU priority: a test
// server must not starve the client it serves when both share a machine.
class LowPriorityPool final : public httplib::TaskQueue {
 public:
  explicit LowPriorityPool(std::size_t threads) : pool_(threads) {}
  void enqueue(std::function<void()> task) override {
    pool_.enqueue([task = std::move(task)] {
      thread_local bool lowered = false;
      if (!lowered) {
        util::lower_current_thread_priority(5);
        pthread_setname_np(pthread_self(), "optscale-mock");
        lowered = true;
      }
      task();
    });
  }
  void shutdown() override { pool_.shutdown(); }

 private:
  httplib::ThreadPool pool_;
};

// A server-sent event stream cut after each event's blank line.
std::vector<std::string> split_events(const std::string& stream) {
  std::vector<std::string> events;
  for (std::size_t at = 0; at < stream.size();) {
    const std::size_t end = stream.find("\n\n", at);
    const std::size_t next = end == std::string::npos ? stream.size() : end + 2;
    events.push_back(stream.substr(at, next - at));
    at = next;
  }
  return events;
}

bool is_generation(const httplib::Request& request) {
  const std::string& path = request.path;
  auto ends_with = [&path](std::string_view tail) {
    return path.size() >= tail.size() && path.compare(path.size() - tail.size(), tail.size(), tail) == 0;
  };
  return request.method == "POST" && (ends_with("/chat/completions") || ends_with("/completions"));
}

// The body of POST /mock/release: empty (every held request, and stop
// holding: -1) or {"count": N} with N >= 0.
long long release_count(const std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return -1;
  nlohmann::json request;
  try {
    request = util::parse_json(body, "POST /mock/release");
  } catch (const Error&) {
    request = nullptr;  // refused below, with the shape it must have
  }
  if (!request.is_object() || !request.contains("count") || !request["count"].is_number_integer() ||
      request["count"].get<long long>() < 0)
    throw std::invalid_argument("POST /mock/release takes an empty body or {\"count\": N} with N >= 0");
  return request["count"].get<long long>();
}

std::string format_seconds(double seconds) {
  char text[32];
  if (seconds == static_cast<double>(static_cast<long long>(seconds))) {
    std::snprintf(text, sizeof text, "%lld", static_cast<long long>(seconds));
  } else {
    std::snprintf(text, sizeof text, "%.3f", seconds);
  }
  return text;
}

}  // namespace

MockServer::MockServer(const pool::Pool& pool, MockOptions service, MockServerOptions server)
    : service_(std::make_unique<MockService>(pool, std::move(service))),
      options_(std::move(server)),
      faults_(options_.faults),
      http_(std::make_unique<httplib::Server>()),
      counters_(std::make_unique<Counters>()),
      holding_(options_.hold) {
  require(options_.threads >= 1, "mock-server", "--threads must be at least 1");
  require(options_.keep_alive_timeout_s >= 0, "mock-server", "--keep-alive-timeout must be at least 0");
  const int threads = options_.threads;
  http_->new_task_queue = [threads] { return new LowPriorityPool(static_cast<std::size_t>(threads)); };
  // An idle keep-alive connection holds a server thread and delays stop()
  // by up to this long; busy connections are unaffected. cpp-httplib applies
  // the same wait to a new connection's first request, so 0 (about 10 ms
  // there) would drop a client that is slow to send it: 0 is instead one
  // request per connection ("Connection: close"), its first request awaited
  // up to 1 s, and nothing left idle for stop() to wait on.
  const bool one_request_per_connection = options_.keep_alive_timeout_s == 0;
  http_->set_keep_alive_max_count(one_request_per_connection ? 1 : 1000000);
  http_->set_keep_alive_timeout(one_request_per_connection ? 1 : options_.keep_alive_timeout_s);
  http_->set_tcp_nodelay(true);
  listener_ = std::make_unique<server::HttpListener>(*http_);

  auto handler = [this](const httplib::Request& request, httplib::Response& response) {
    if (request.method == "GET" && request.path == "/metrics") {
      response.set_content(metrics(), "text/plain; version=0.0.4");
      return;
    }
    if (options_.hold && request.method == "POST" && request.path == "/mock/hold") {
      {
        std::lock_guard lock(stop_mutex_);
        holding_ = true;
      }
      response.set_content(R"({"holding":true})", "application/json");
      return;
    }
    if (options_.hold && request.method == "POST" && request.path == "/mock/release") {
      try {
        const long long released = release(release_count(request.body));
        response.set_content(nlohmann::json{{"released", released}}.dump(), "application/json");
      } catch (const std::invalid_argument& e) {
        response.status = 400;
        response.set_content(mock_error_body(400, e.what()), "application/json");
      }
      return;
    }
    ++counters_->requests;
    if (!options_.api_key.empty() && request.get_header_value("Authorization") != "Bearer " + options_.api_key) {
      response.status = 401;
      response.set_content(mock_error_body(401, "missing or wrong API key"), "application/json");
      return;
    }
    FaultDecision fault;
    if (request.method == "POST") fault = faults_.decide(request.body);
    if (!sleep_unless_stopped(fault.latency_ms)) {
      response.status = 503;
      response.set_content(mock_error_body(503, "mock-server is shutting down"), "application/json");
      return;
    }
    switch (fault.kind) {
      case FaultKind::server_error:
        ++counters_->server_errors;
        response.status = fault.status;
        response.set_content(mock_error_body(fault.status, "injected server error"), "application/json");
        return;
      case FaultKind::rate_limited:
        ++counters_->rate_limited;
        response.status = 429;
        response.set_header("Retry-After", format_seconds(faults_.options().retry_after_s));
        response.set_content(mock_error_body(429, "injected rate limit"), "application/json");
        return;
      case FaultKind::hang:
        ++counters_->hangs;
        sleep_unless_stopped(faults_.options().hang_ms);
        break;
      default:
        break;
    }
    if (is_generation(request) && !hold_until_released()) {
      response.status = 503;
      response.set_content(mock_error_body(503, "mock-server is shutting down"), "application/json");
      return;
    }
    MockReply reply = service_->handle(request.method, request.path, request.body);
    response.status = reply.status;
    for (auto& [name, value] : reply.headers) response.set_header(name, value);
    if (fault.kind == FaultKind::malformed) {
      ++counters_->malformed;
      // Half the body and a stray byte: no JSON parser accepts it.
      response.status = 200;
      response.set_content(reply.body.substr(0, reply.body.size() / 2) + "\x01", "application/json");
    } else if (fault.kind == FaultKind::drop) {
      ++counters_->drops;
      // Announce the whole body, send half, then fail: httplib closes the connection.
      auto body = std::make_shared<std::string>(std::move(reply.body));
      response.set_content_provider(
          body->size(), "application/json",
          [body](size_t offset, size_t, httplib::DataSink& sink) {
            if (offset == 0 && body->size() > 1) sink.write(body->data(), body->size() / 2);
            return false;
          });
    } else if (options_.stream_delay_ms > 0 && reply.status == 200 && reply.content_type == "text/event-stream") {
      // An event at a time, as a model server streams tokens. The stream
      // counts as open until its last event is written (before the chunked
      // body's end), so a client that sees an event while it is open got it
      // before the server finished.
      struct Stream {
        std::vector<std::string> events;
        std::size_t sent = 0;
        std::atomic<bool> open{true};
      };
      auto stream = std::make_shared<Stream>();
      stream->events = split_events(reply.body);
      ++counters_->streams_open;
      auto close = [this, stream] {
        if (stream->open.exchange(false)) --counters_->streams_open;
      };
      response.set_chunked_content_provider(
          reply.content_type,
          [this, stream, close](size_t, httplib::DataSink& sink) {
            if (stream->sent < stream->events.size()) {
              if (!sleep_unless_stopped(options_.stream_delay_ms)) return false;
              const std::string& event = stream->events[stream->sent++];
              if (!sink.write(event.data(), event.size())) return false;
            }
            if (stream->sent == stream->events.size()) {
              close();
              sink.done();
            }
            return true;
          },
          [close](bool) { close(); });
    } else {
      response.set_content(reply.body, reply.content_type);
    }
  };
  http_->Get(R"(/.*)", handler);
  http_->Post(R"(/.*)", handler);
}

MockServer::~MockServer() {
  stop();
  listener_->join();
}

int MockServer::start() { return port_ = listener_->start(options_.host, options_.port, "mock-server"); }

void MockServer::wait() { listener_->join(); }

void MockServer::stop() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_signal_.notify_all();
  listener_->stop();
}

bool MockServer::sleep_unless_stopped(double milliseconds) {
  std::unique_lock lock(stop_mutex_);
  if (milliseconds <= 0.0) return !stopping_;
  return !stop_signal_.wait_for(lock, std::chrono::duration<double, std::milli>(milliseconds),
                                [this] { return stopping_; });
}

bool MockServer::hold_until_released() {
  std::unique_lock lock(stop_mutex_);
  if (!holding_) return !stopping_;
  const long long ticket = hold_tickets_++;
  ++counters_->held;
  ++counters_->held_total;
  stop_signal_.wait(lock, [&] { return stopping_ || !holding_ || ticket < released_upto_; });
  --counters_->held;
  return !stopping_;
}

long long MockServer::release(long long count) {
  long long released = 0;
  {
    std::lock_guard lock(stop_mutex_);
    const long long before = released_upto_;
    released_upto_ = count < 0 ? hold_tickets_ : std::min(hold_tickets_, released_upto_ + count);
    released = released_upto_ - before;
    if (count < 0) holding_ = false;
  }
  stop_signal_.notify_all();
  return released;
}

std::string MockServer::metrics() const {
  std::string out;
  auto line = [&out](const std::string& name, long long value) {
    out += name + " " + std::to_string(value) + "\n";
  };
  line("optscale_mock_requests_total", counters_->requests);
  line("optscale_mock_faults_total{kind=\"server_error\"}", counters_->server_errors);
  line("optscale_mock_faults_total{kind=\"rate_limited\"}", counters_->rate_limited);
  line("optscale_mock_faults_total{kind=\"hang\"}", counters_->hangs);
  line("optscale_mock_faults_total{kind=\"malformed\"}", counters_->malformed);
  line("optscale_mock_faults_total{kind=\"drop\"}", counters_->drops);
  line("optscale_mock_streams_open", counters_->streams_open);
  if (options_.hold) {
    line("optscale_mock_held", counters_->held);
    line("optscale_mock_held_total", counters_->held_total);
  }
  return out;
}

}  // namespace optscale::mock
