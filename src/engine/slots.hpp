// A counting limit on concurrent scoring requests (--scorer-in-flight), which
// gives up waiting when the caller's request is cancelled.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace optscale::engine {

class Slots {
 public:
  // `count` <= 0: unlimited.
  explicit Slots(int count) : free_(count), limited_(count > 0) {}

  // False when `cancel` became true while waiting.
  bool acquire(const std::atomic<bool>& cancel) {
    if (!limited_) return true;
    std::unique_lock lock(mutex_);
    while (free_ == 0) {
      if (cancel.load()) return false;
      released_.wait_for(lock, std::chrono::milliseconds(50));
    }
    --free_;
    return true;
  }

  void release() {
    if (!limited_) return;
    {
      std::lock_guard lock(mutex_);
      ++free_;
    }
    released_.notify_one();
  }

 private:
  std::mutex mutex_;
  std::condition_variable released_;
  int free_;
  bool limited_;
};

}  // namespace optscale::engine
