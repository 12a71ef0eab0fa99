// Worker threads hand their outcomes to the controller thread through this
// queue; the controller takes everything that has arrived in one go. A
// producer wakes the controller only when it is waiting (a busy controller
// finds the events on its next turn), which saves a futex call per event.
#pragma once
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <vector>

namespace optscale::engine {

template <typename Event>
class EventQueue {
 public:
  void push(Event event) {
    bool wake;
    {
      std::lock_guard lock(mutex_);
      events_.push_back(std::move(event));
      wake = waiting_;
    }
    if (wake) ready_.notify_one();
  }

  // Several events, kept together and in order.
  void push_all(std::vector<Event> events) {
    bool wake;
    {
      std::lock_guard lock(mutex_);
      for (Event& e : events) events_.push_back(std::move(e));
      wake = waiting_;
    }
    if (wake) ready_.notify_one();
  }

  // Everything queued, waiting up to `timeout` for the first event.
  std::vector<Event> take_all(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (events_.empty() && timeout.count() > 0) {
      waiting_ = true;
      ready_.wait_for(lock, timeout, [this] { return !events_.empty(); });
      waiting_ = false;
    }
    std::vector<Event> out(std::make_move_iterator(events_.begin()), std::make_move_iterator(events_.end()));
    events_.clear();
    return out;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Event> events_;
  bool waiting_ = false;
};

}  // namespace optscale::engine
