// What the live engine's worker tasks report to its session loop (internal to
// the engine): one event per task outcome, handed over through an EventQueue.
#pragma once
#include <chrono>
#include <string>
#include <variant>
#include <vector>

#include "optscale/backend/generator.hpp"
#include "optscale/backend/request_executor.hpp"
#include "optscale/backend/scorer.hpp"

namespace optscale::engine {

using Clock = std::chrono::steady_clock;
// When a task was submitted, picked up by a worker, and answered.
struct Timing {
  Clock::time_point submitted, started, finished;
};
struct Generated {
  int problem;
  int first_draw;
  int asked;
  std::vector<backend::GeneratedSample> samples;
  Timing timing;
};
struct Scored {
  int problem;
  std::vector<int> draws;
  std::vector<backend::ScoredSample> scores;
  Timing timing;
};
struct Attempted {
  int problem;
  const char* kind;
  int first_draw;
  int count;
  backend::AttemptRecord record;
};
struct Failed {
  int problem;
  std::string message;
  // A generation refused for its own sake (is_sample_specific): draws
  // first_draw .. first_draw+count-1 were asked for; the first of them is
  // the failed sample (the generator checked n > 1 with n = 1 first).
  bool sample_specific = false;
  int first_draw = -1;
  int count = 0;
};
struct Cancelled {
  int problem;
};
using Event = std::variant<Generated, Scored, Attempted, Failed, Cancelled>;

}  // namespace optscale::engine
