#include "optscale/engine/worker_pool.hpp"

#include "optscale/util/thread_priority.hpp"

#include <pthread.h>

#include "optscale/util/error.hpp"
#include "optscale/util/invariant.hpp"

namespace optscale::engine {

WorkerPool::WorkerPool(int threads, int nice_steps) : nice_steps_(nice_steps) {
  // Its owners check the flag that sets it (--max-in-flight, --upstream-in-flight).
  OPTSCALE_INVARIANT(threads >= 1, "worker pool: at least one thread is needed, got " + std::to_string(threads));
  threads_.reserve(static_cast<std::size_t>(threads));
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

WorkerPool::~WorkerPool() { shutdown(); }

void WorkerPool::submit(Key key, std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    queue_.push(Item{key, sequence_++, std::move(task)});
  }
  wake_.notify_one();
}

std::size_t WorkerPool::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

std::size_t WorkerPool::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

void WorkerPool::shutdown() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    while (!queue_.empty()) queue_.pop();
  }
  wake_.notify_all();
  for (std::thread& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

void WorkerPool::work() {
  // Workers mostly wait on the network; when the CPU is contended (a server
  // on the same machine), the one controller thread must not get only a
  // 1/N share, or it caps throughput. A lower priority for workers (nice +5,
  // allowed without privileges) keeps the controller responsive.
  if (nice_steps_ > 0) util::lower_current_thread_priority(nice_steps_);
  pthread_setname_np(pthread_self(), "optscale-work");  // for top -H, perf, gdb
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      task = std::move(const_cast<Item&>(queue_.top()).task);
      queue_.pop();
      ++running_;
    }
    task();
    {
      std::lock_guard lock(mutex_);
      --running_;
    }
  }
}

}  // namespace optscale::engine
