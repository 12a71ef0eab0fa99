// What a live run writes to its store and counts in its summary for each
// task outcome (internal to the engine): request attempts, drawn samples,
// scoring outcomes with their issues. One place for the session loop and the
// probes of cross-problem plans (probe_prefetch.hpp), which record alike.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "session_events.hpp"
#include "optscale/engine/controller.hpp"

namespace optscale::engine {

class RunRecords {
 public:
  // `summary` is the run's, counted into; `notice` may be empty.
  RunRecords(store::RunStore& store, RunSummary& summary, const std::vector<Problem>& problems,
             std::function<void(const std::string&)> notice)
      : store_(store), summary_(summary), problems_(problems), notice_(std::move(notice)),
        tokens_spent_(store.total_tokens()) {}

  // A request attempt.
  void attempt(const Attempted& e);

  // Sample `draw` of `problem`, generated.
  void drawn(int problem, int draw, const backend::GeneratedSample& s);

  // A scoring outcome (score, failure, unreadable verdict, cut input); true
  // when the sample has a score.
  bool scored(int problem, int draw, const backend::ScoredSample& s);

  // Tokens drawn by the run so far, earlier sessions included.
  long long tokens_spent() const { return tokens_spent_; }

 private:
  store::RunStore& store_;
  RunSummary& summary_;
  const std::vector<Problem>& problems_;
  std::function<void(const std::string&)> notice_;
  long long tokens_spent_;
  bool warned_unreadable_ = false;
};

}  // namespace optscale::engine
