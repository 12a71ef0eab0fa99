#include "optscale/replay/parallel_for.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

namespace optscale::replay {
namespace {

TEST(ParallelFor, RunsEveryTaskExactlyOnce) {
  for (int threads : {1, 2, 3, 8, 0}) {
    std::vector<std::atomic<int>> runs(1000);
    parallel_for(runs.size(), threads, [&](std::size_t i, int) { ++runs[i]; });
    for (std::size_t i = 0; i < runs.size(); ++i) ASSERT_EQ(runs[i].load(), 1) << "threads=" << threads;
  }
}

TEST(ParallelFor, WorkerIdsStayInRange) {
  const int workers = worker_count(100, 4);
  EXPECT_EQ(workers, 4);
  std::atomic<bool> out_of_range{false};
  parallel_for(100, 4, [&](std::size_t, int worker) {
    if (worker < 0 || worker >= workers) out_of_range = true;
  });
  EXPECT_FALSE(out_of_range);
  EXPECT_EQ(worker_count(2, 8), 2);
  EXPECT_EQ(worker_count(0, 8), 1);
  EXPECT_GE(worker_count(100, 0), 1);
}

TEST(ParallelFor, RethrowsTheLowestFailingTasksError) {
  for (int threads : {1, 2, 4}) {
    try {
      parallel_for(200, threads, [](std::size_t i, int) {
        if (i == 37 || i == 150) throw std::runtime_error("task " + std::to_string(i));
      });
      FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()), "task 37") << "threads=" << threads;
    }
  }
}

TEST(ParallelFor, NothingToDo) {
  bool ran = false;
  parallel_for(0, 4, [&](std::size_t, int) { ran = true; });
  EXPECT_FALSE(ran);
}

}  // namespace
}  // namespace optscale::replay
