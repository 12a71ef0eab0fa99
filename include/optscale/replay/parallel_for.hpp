// A small work-sharing loop over std::thread: tasks are claimed one at a time
// from an atomic counter, so long and short problems balance out. Results
// must be written to per-task slots; the loop itself imposes no order.
#pragma once
#include <cstddef>
#include <functional>

namespace optscale::replay {

// Hardware concurrency, at least 1.
int default_thread_count();

// Runs task(i, worker) for i in [0, count) on min(threads, count) threads
// (worker in [0, threads) names the thread, for per-thread scratch space).
// threads <= 0 means default_thread_count(). An exception stops the claiming
// of new tasks; the one from the lowest failing task (what a serial loop would
// have thrown) is rethrown to the caller.
void parallel_for(std::size_t count, int threads,
                  const std::function<void(std::size_t task, int worker)>& task);

// How many workers parallel_for will use for `count` tasks.
int worker_count(std::size_t count, int threads);

}  // namespace optscale::replay
