#include "optscale/replay/progress_ticker.hpp"

#include <cstdio>

namespace optscale::replay {

ProgressTicker::ProgressTicker(std::size_t total, Sink sink, Clock::duration interval)
    : total_(total), sink_(std::move(sink)), interval_(interval), start_(Clock::now()), last_(start_) {}

void ProgressTicker::tick() {
  if (sink_) tick_at(Clock::now());
}

void ProgressTicker::tick_at(Clock::time_point now) {
  if (!sink_) return;
  std::lock_guard lock(mutex_);
  ++done_;
  if (now - last_ < interval_ || done_ >= total_) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double left = elapsed * static_cast<double>(total_ - done_) / static_cast<double>(done_);
  char line[160];
  std::snprintf(line, sizeof line, "replayed %zu/%zu problems (%.0f%%), %.1f s, about %.1f s left", done_, total_,
                100.0 * static_cast<double>(done_) / static_cast<double>(total_), elapsed, left);
  sink_(line);
}

}  // namespace optscale::replay
