// The live engine: runs every problem of a problem file under a stopping
// policy against a generator and a scorer, keeping many problems in flight.
//
// Per problem: ask the policy (the same objects as the offline replay), draw
// the samples it asks for (sample k with seed `seed + k`), score them, feed
// the observations back in draw order, and when it stops, select, grade and
// emit. Every sample, score, request attempt, decision and result goes to the
// run store as it happens (one transaction per loop turn); a resumed run
// replays the policy over the stored samples and draws or scores only what is
// missing, so it ends with the same results as an uninterrupted run.
//
// Concurrency: `max_in_flight` worker threads, each with one request in
// flight (a generation, then the scoring of what it drew, on the same thread:
// no hand-over per sample), earlier problems first; `scorer_in_flight`
// optionally caps scoring requests further. Workers run at a lower CPU
// priority than the calling thread, which alone touches the policies, the
// store and the results file.
#pragma once
#include <array>
#include <functional>
#include <atomic>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "optscale/backend/generator.hpp"
#include "optscale/backend/scorer.hpp"
#include "optscale/answers/answer_classes.hpp"
#include "optscale/engine/problems.hpp"
#include "optscale/policy/policy.hpp"
#include "optscale/store/run_store.hpp"

namespace optscale::engine {

struct RunOptions {
  long long seed = 0;                    // sample k of a problem is drawn with seed + k
  int max_in_flight = 64;                // requests at once (worker threads)
  int scorer_in_flight = 0;              // scoring requests at once at most; 0: no separate cap
  std::optional<long long> token_budget; // stop drawing once the run has used this many
  std::optional<std::array<double, 2>> prior_std;  // predictor uncertainty handed to policies
  answers::AnswerGrouping answer_grouping = answers::AnswerGrouping::equivalent;  // as `optscale eval`'s
  // The run's cancellation token: once it reads true the run stops as
  // interrupted (what it did is in the store). Null: never. `optscale run`
  // sets it from SIGINT/SIGTERM; must outlive the run.
  const std::atomic<bool>* cancel = nullptr;
  double progress_interval_s = 1.0;
  bool progress_terminal = false;
  // --max-failed-samples: the run stops when more samples have failed than
  // a count allows, or a fraction f of max(samples attempted, 100) (so that
  // the first failures of a run do not stop it). One of the two is set.
  std::optional<long long> max_failed_count;
  std::optional<double> max_failed_fraction = 0.05;
  std::function<void(const std::string&)> notice;  // one-line warnings (any thread)
  void validate() const;
};

struct RunSummary {
  std::size_t problems = 0;
  std::size_t resumed = 0;          // results that an earlier run had stored
  long long samples = 0;            // used, over all problems
  long long tokens = 0;             // of the used samples
  std::size_t graded = 0;           // problems with a gold answer
  std::size_t correct = 0;
  long long drawn = 0;              // samples generated in this session
  long long scored = 0;             // samples scored in this session
  long long attempts = 0;           // request attempts in this session
  long long failed_attempts = 0;
  long long failed_samples = 0;     // samples refused (generation or scoring) in this session
  long long unreadable_judgements = 0;  // judge replies naming neither verdict word
  long long truncated_inputs = 0;   // scorer inputs cut to --scorer-max-input-tokens
  long long wasted_tokens = 0;      // generated, then dropped (choices without counts, unasked, or late)
  std::map<std::string, std::size_t> stop_reasons;
  // What the engine adds to each request, [p50, p99] in ms: the wait from
  // submission until a worker sends it (queueing behind the in-flight limit)
  // and from the server's answer until the controller has stored it and
  // acted on it (the policy decision included).
  std::array<double, 2> queue_ms{0.0, 0.0};
  std::array<double, 2> handling_ms{0.0, 0.0};
  double seconds = 0.0;
  nlohmann::json to_json() const;
};

class Controller {
 public:
  Controller(const policy::Strategy& strategy, backend::Generator& generator, backend::Scorer& scorer,
             store::RunStore& store, RunOptions options);

  // Runs every problem (the store must have begun the run) and writes one
  // JSON line per problem to `results`, in problem order:
  //   {"id", "answer", "text", "selected", "samples_used", "tokens",
  //    "scores", "stop_reason", "correct" (when gold is given)}
  // `progress` may be null. Throws optscale::Error when a backend fails for
  // good or the run is interrupted (RunOptions::cancel); what was done is
  // in the store.
  RunSummary run(const std::vector<Problem>& problems, std::ostream& results, std::ostream* progress);

 private:
  const policy::Strategy& strategy_;
  backend::Generator& generator_;
  backend::Scorer& scorer_;
  store::RunStore& store_;
  RunOptions options_;
};

}  // namespace optscale::engine
