// Cancellation of in-flight requests: each request registers its deadline
// (and the socket of its client connection, when there is one) and gets a
// flag that one watcher thread raises when the deadline passes or the client
// hangs up, or that cancel_all() raises at shutdown. The flags are what the
// backends poll (libcurl checks its cancel flag while a transfer runs), so a
// request stops its upstream work at its deadline, or as soon as nobody waits
// for its answer, instead of running on unseen.
//
// A client counts as gone when its socket reports a hang-up or an error
// (poll: POLLRDHUP, POLLHUP, POLLERR): it closed the connection, or shut down
// its sending side, which HTTP clients do only to close. The watcher sleeps in
// poll() on every watched socket at once, so it notices at once.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

namespace optscale::server {

enum class CancelReason { none, deadline, shutdown, client_closed };

class DeadlineWatch {
 public:
  using Clock = std::chrono::steady_clock;
  DeadlineWatch();
  ~DeadlineWatch();
  DeadlineWatch(const DeadlineWatch&) = delete;
  DeadlineWatch& operator=(const DeadlineWatch&) = delete;

  struct State {
    std::atomic<bool> cancelled{false};
    std::atomic<CancelReason> reason{CancelReason::none};
  };

  // A registered request; unregisters when destroyed.
  class Ticket {
   public:
    Ticket(Ticket&& other) noexcept;
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket();
    const std::atomic<bool>* flag() const { return &state_->cancelled; }
    bool cancelled() const { return state_->cancelled.load(); }
    CancelReason reason() const { return state_->reason.load(); }

   private:
    friend class DeadlineWatch;
    Ticket(DeadlineWatch* owner, std::uint64_t id, std::shared_ptr<State> state)
        : owner_(owner), id_(id), state_(std::move(state)) {}
    DeadlineWatch* owner_;
    std::uint64_t id_;
    std::shared_ptr<State> state_;
  };

  // After cancel_all(), tickets come back already cancelled (shutdown).
  // `client_socket` (>= 0) is the client's connection, watched for a hang-up
  // until the ticket ends; the caller keeps it open that long.
  Ticket watch(Clock::time_point deadline, int client_socket = -1);
  // Raises every flag, now and for later tickets, with reason shutdown.
  void cancel_all();
  std::size_t watched() const;

 private:
  struct Entry {
    Clock::time_point deadline;
    std::shared_ptr<State> state;
    int client_socket = -1;
  };
  void run();
  void wake();
  void forget(std::uint64_t id);
  static void raise(State& state, CancelReason reason);

  mutable std::mutex mutex_;
  int wake_fd_ = -1;  // an eventfd: wakes the watcher from poll()
  std::map<std::uint64_t, Entry> tickets_;
  std::set<std::pair<Clock::time_point, std::uint64_t>> by_deadline_;
  std::uint64_t next_id_ = 0;
  bool all_cancelled_ = false;
  bool stopping_ = false;
  std::thread watcher_;
};

}  // namespace optscale::server
