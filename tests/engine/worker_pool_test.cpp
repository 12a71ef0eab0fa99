// Worker pools run earlier problems first, FIFO among equals, and drop what
// is queued at shutdown.
#include "optscale/engine/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>

namespace optscale::engine {
namespace {

TEST(WorkerPool, RunsLowestKeyFirstAndFifoAmongEquals) {
  WorkerPool pool(1);
  std::promise<void> gate;
  std::shared_future<void> open = gate.get_future().share();
  pool.submit({0, 0}, [open] { open.wait(); });  // holds the only worker
  while (pool.running() == 0) std::this_thread::yield();
  std::mutex mutex;
  std::vector<int> order;
  std::atomic<int> done{0};
  auto record = [&](int id) {
    return [&, id] {
      std::lock_guard lock(mutex);
      order.push_back(id);
      ++done;
    };
  };
  pool.submit({5, 0}, record(50));
  pool.submit({2, 3}, record(23));
  pool.submit({2, 1}, record(21));
  pool.submit({2, 1}, record(211));
  EXPECT_EQ(pool.queued(), 4u);
  gate.set_value();
  while (done < 4) std::this_thread::yield();
  EXPECT_EQ(order, (std::vector<int>{21, 211, 23, 50}));
}

TEST(WorkerPool, ShutdownDropsQueuedTasks) {
  std::atomic<int> ran{0};
  {
    WorkerPool pool(1);
    std::promise<void> gate;
    std::shared_future<void> open = gate.get_future().share();
    pool.submit({0, 0}, [open, &ran] {
      open.wait();
      ++ran;
    });
    for (int i = 0; i < 10; ++i) pool.submit({1, i}, [&ran] { ++ran; });
    while (pool.running() == 0) std::this_thread::yield();
    std::thread opener([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      gate.set_value();
    });
    pool.shutdown();
    opener.join();
  }
  EXPECT_EQ(ran, 1);
}

}  // namespace
}  // namespace optscale::engine
