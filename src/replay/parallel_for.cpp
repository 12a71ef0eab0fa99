#include "optscale/replay/parallel_for.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace optscale::replay {

int default_thread_count() {
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

int worker_count(std::size_t count, int threads) {
  if (threads <= 0) threads = default_thread_count();
  return static_cast<int>(std::max<std::size_t>(1, std::min<std::size_t>(threads, count)));
}

void parallel_for(std::size_t count, int threads,
                  const std::function<void(std::size_t task, int worker)>& task) {
  if (count == 0) return;
  const int workers = worker_count(count, threads);
  if (workers == 1) {
    for (std::size_t i = 0; i < count; ++i) task(i, 0);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  // Tasks are claimed in increasing order, so every task below a failing one
  // has run: keeping the lowest failing index reports what a serial loop would.
  std::exception_ptr first_error;
  std::size_t first_error_task = count;
  std::mutex error_mutex;
  auto work = [&](int worker) {
    while (!failed.load(std::memory_order_relaxed)) {
      const std::size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= count) return;
      try {
        task(i, worker);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (i < first_error_task) {
          first_error = std::current_exception();
          first_error_task = i;
        }
        failed.store(true, std::memory_order_relaxed);
      }
    }
  };
  std::vector<std::jthread> pool;
  pool.reserve(static_cast<std::size_t>(workers - 1));
  for (int w = 1; w < workers; ++w) pool.emplace_back(work, w);
  work(0);
  pool.clear();  // joins
  if (first_error) std::rethrow_exception(first_error);
}

}  // namespace optscale::replay
