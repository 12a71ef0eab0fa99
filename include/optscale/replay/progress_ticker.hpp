// A progress line for long replays: after the first second, at most one line
// per second ("replayed 1200/5000 problems (24%), 2.1 s, about 6.6 s left"),
// so short replays stay quiet and long ones show they are alive. Safe to tick
// from every worker thread.
#pragma once
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>

namespace optscale::replay {

class ProgressTicker {
 public:
  using Sink = std::function<void(const std::string&)>;
  using Clock = std::chrono::steady_clock;

  // `sink` empty: silent. `interval` is both the quiet start and the spacing.
  ProgressTicker(std::size_t total, Sink sink, Clock::duration interval = std::chrono::seconds(1));

  // One more unit done; prints when the interval has passed since the last line.
  void tick();
  // As tick(), with the time given (tests).
  void tick_at(Clock::time_point now);

 private:
  std::size_t total_;
  Sink sink_;
  Clock::duration interval_;
  Clock::time_point start_, last_;
  std::size_t done_ = 0;
  std::mutex mutex_;
};

}  // namespace optscale::replay
