// A fixed set of threads running tasks by priority (lowest key first): the
// engine's in-flight limit is the number of threads, and earlier problems'
// requests go first so that problems finish roughly in order.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>
#include <utility>
#include <vector>

namespace optscale::engine {

class WorkerPool {
 public:
  using Key = std::pair<long long, long long>;  // (problem, draw)

  // Workers lower their CPU priority by `nice_steps` (0: keep the caller's);
  // see work() for why the engine does.
  explicit WorkerPool(int threads, int nice_steps = 5);
  ~WorkerPool();  // drops queued tasks and joins
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void submit(Key key, std::function<void()> task);
  // Tasks not yet started.
  std::size_t queued() const;
  // Tasks running now.
  std::size_t running() const;
  int threads() const { return static_cast<int>(threads_.size()); }
  // Drops queued tasks, waits for running ones, joins the threads.
  void shutdown();

 private:
  struct Item {
    Key key;
    long long sequence;  // FIFO among equal keys
    std::function<void()> task;
    bool operator>(const Item& other) const {
      return key != other.key ? key > other.key : sequence > other.sequence;
    }
  };
  void work();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> queue_;
  std::vector<std::thread> threads_;
  int nice_steps_ = 5;
  long long sequence_ = 0;
  std::size_t running_ = 0;
  bool stopping_ = false;
};

}  // namespace optscale::engine
