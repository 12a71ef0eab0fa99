// The live engine's draw tasks (internal to the engine): generation and
// scoring requests run on the worker pool, each reporting its outcome and its
// request attempts to the session loop as events (session_events.hpp). A
// generation task scores its own samples right away, on the same thread; the
// session records them from the Generated event, queued before their scores.
// Every exception of a task ends here, as its problem's Failed event.
#pragma once
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "event_queue.hpp"
#include "session_events.hpp"
#include "slots.hpp"
#include "optscale/backend/generator.hpp"
#include "optscale/backend/scorer.hpp"
#include "optscale/engine/problems.hpp"
#include "optscale/engine/worker_pool.hpp"

namespace optscale::engine {

// The seed of a request's retry jitter: fixed by (run seed, problem, draw, kind).
std::uint64_t jitter_seed(long long seed, int problem, int draw, char kind);

class DrawTasks {
 public:
  DrawTasks(backend::Generator& generator, backend::Scorer& scorer, long long seed, WorkerPool& workers,
            EventQueue<Event>& events, Slots& scoring_slots)
      : generator_(generator), scorer_(scorer), seed_(seed), workers_(workers), events_(events),
        scoring_slots_(scoring_slots) {}

  // Samples per scoring request (at least 1).
  int scoring_batch() const { return std::max(1, scorer_.batch_size()); }

  // Generation tasks for draws first..first+count-1 of problem `index` (as
  // many samples per request as the generator takes), each scoring what it
  // drew; returns how many tasks were queued.
  int generate(int index, const Problem* problem, const std::shared_ptr<std::atomic<bool>>& cancel, int first,
               int count);

  // Scoring tasks for already drawn samples (`draws` with their `texts`), one
  // per chunk of the scorer's batch size; returns how many were queued.
  int score(int index, const Problem* problem, const std::shared_ptr<std::atomic<bool>>& cancel,
            const std::vector<int>& draws, const std::vector<std::string>& texts);

 private:
  template <typename Task>
  void submit(WorkerPool::Key key, int index, Task task);
  void score_now(int index, const Problem* problem, const std::atomic<bool>& cancel, std::vector<int> chunk,
                 const std::vector<std::string>& texts, Clock::time_point submitted);
  template <typename Fn>
  void for_each_chunk(const std::vector<int>& draws, const std::vector<std::string>& texts, Fn fn) const;

  backend::Generator& generator_;
  backend::Scorer& scorer_;
  long long seed_;
  WorkerPool& workers_;
  EventQueue<Event>& events_;
  Slots& scoring_slots_;
};

}  // namespace optscale::engine
