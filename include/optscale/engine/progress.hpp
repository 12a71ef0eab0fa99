// The live run's progress line on stderr: problems done/total, samples,
// tokens, running accuracy (when gold answers are given), rate and ETA.
// On a terminal one line is rewritten in place; otherwise a line is printed
// per interval.
#pragma once
#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>

namespace optscale::engine {

struct ProgressSnapshot {
  std::size_t done = 0;          // problems with a result
  std::size_t done_before = 0;   // of which finished by an earlier (resumed) run
  std::size_t total = 0;
  long long samples = 0;         // used by finished problems
  long long tokens = 0;
  std::size_t graded = 0;
  std::size_t correct = 0;
  long long drawn = 0;           // samples drawn in this session
};

// "12/500 problems | 96 samples | 1.2M tokens | acc 91.7% (12) | 35.0 samples/s | ETA 2m10s"
std::string format_progress(const ProgressSnapshot& snapshot, double elapsed_s);

class Progress {
 public:
  // `out` null: silent. `interval_s`: seconds between updates.
  Progress(std::ostream* out, double interval_s, bool terminal);
  // Prints when the interval has passed since the last print.
  void update(const ProgressSnapshot& snapshot);
  // Prints the final line (and ends the rewritten line on a terminal).
  void finish(const ProgressSnapshot& snapshot);

 private:
  void print(const ProgressSnapshot& snapshot, bool last);
  std::ostream* out_;
  double interval_s_;
  bool terminal_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_ = start_;
};

}  // namespace optscale::engine
