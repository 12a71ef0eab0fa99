// Cancellation of in-flight requests: each request registers its deadline and
// gets a flag that one watcher thread raises when the deadline passes, or that
// cancel_all() raises at shutdown. The flags are what the backends poll
// (libcurl checks its cancel flag while a transfer runs), so a request stops
// its upstream work at its deadline instead of running on unseen.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

namespace optscale::server {

enum class CancelReason { none, deadline, shutdown };

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
  Ticket watch(Clock::time_point deadline);
  // Raises every flag, now and for later tickets, with reason shutdown.
  void cancel_all();
  std::size_t watched() const;

 private:
  void run();
  void forget(std::uint64_t id);
  static void raise(State& state, CancelReason reason);

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::uint64_t, std::pair<Clock::time_point, std::shared_ptr<State>>> tickets_;
  std::set<std::pair<Clock::time_point, std::uint64_t>> by_deadline_;
  std::uint64_t next_id_ = 0;
  bool all_cancelled_ = false;
  bool stopping_ = false;
  std::thread watcher_;
};

}  // namespace optscale::server
