// What the live engine adds to each request (internal to the engine): the
// wait from submission until a worker sends it, and from the server's answer
// until the session loop has stored it and acted on it; reported as
// [p50, p99] in ms (RunSummary::queue_ms, handling_ms).
#pragma once
#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "session_events.hpp"

namespace optscale::engine {

class Latencies {
 public:
  // A task's timing, handled now.
  void add(const Timing& t) {
    const Clock::time_point handled = Clock::now();
    queue_ms_.push_back(std::chrono::duration<double, std::milli>(t.started - t.submitted).count());
    handling_ms_.push_back(std::chrono::duration<double, std::milli>(handled - t.finished).count());
  }
  std::array<double, 2> queue_ms() { return percentiles(queue_ms_); }
  std::array<double, 2> handling_ms() { return percentiles(handling_ms_); }

 private:
  // p50 and p99 (nearest rank) of `values`; zeros when empty.
  static std::array<double, 2> percentiles(std::vector<double>& values) {
    if (values.empty()) return {0.0, 0.0};
    auto rank = [&](double q) {
      std::size_t k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size()))) - 1;
      k = std::min(k, values.size() - 1);
      std::nth_element(values.begin(), values.begin() + static_cast<long>(k), values.end());
      return values[k];
    };
    return {rank(0.50), rank(0.99)};
  }

  std::vector<double> queue_ms_, handling_ms_;
};

}  // namespace optscale::engine
