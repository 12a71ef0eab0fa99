// Probes for cross-problem plans (internal to the engine). A strategy that
// decides across problems (dsc) asks for some problems' first samples before
// any policy starts; ProbePrefetch draws and scores them on the workers (or
// reads them back from the store on resume), stores them, and hands them back
// as the problem's first observations, numbered in draw order, exactly what
// the problem's policy later receives first. A strategy that probes problems
// in order gets the next problems' probes drawn in parallel ahead of its calls.
//
// It runs on the session's thread before any problem is admitted, so every
// event in the queue meanwhile is a probe's; it talks to the session through
// the draw tasks, the store, the run's records (run_records.hpp, shared with
// the loop) and ProbeHost (stopping).
#pragma once
#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "draw_tasks.hpp"
#include "event_queue.hpp"
#include "run_records.hpp"
#include "session_events.hpp"
#include "optscale/answers/answer_classes.hpp"
#include "optscale/engine/problems.hpp"
#include "optscale/policy/policy.hpp"
#include "optscale/store/run_store.hpp"

namespace optscale::engine {

// How the probes stop the session that runs them.
class ProbeHost {
 public:
  virtual ~ProbeHost() = default;
  // The run's cancellation token reads true.
  virtual bool interrupted() const = 0;
  // Stops the run with `message` (the first one stays) and cancels what is in
  // flight, the probes included (ProbePrefetch::cancel).
  virtual void abort(const std::string& message) = 0;
  virtual bool aborted() const = 0;
  // When aborted: throws the run's stop as optscale::Error (what was done is
  // in the store, --resume continues).
  virtual void throw_if_aborted() const = 0;
};

class ProbePrefetch {
 public:
  // `lookahead`: how many later problems' probes are drawn ahead of an
  // in-order prober (the workers' count).
  ProbePrefetch(const std::vector<Problem>& problems, store::RunStore& store, DrawTasks& tasks,
                EventQueue<Event>& events, RunRecords& records, int lookahead, answers::AnswerGrouping grouping,
                ProbeHost& host)
      : problems_(problems), store_(store), tasks_(tasks), events_(events), records_(records), lookahead_(lookahead),
        grouping_(grouping), host_(host) {}

  // The first `count` observations of problem `index` (the strategy's
  // policy::ProbeFn), drawn and scored on the workers where the store lacks
  // them. Throws optscale::Error when the run stops meanwhile.
  std::vector<policy::Observation> probe(std::size_t index, int count);

  // Waits for the probes drawn ahead and still in flight once the plan is
  // made, so that no problem's samples are drawn twice. Throws as probe().
  void finish();

  // Cancels the probe tasks in flight (the run stops).
  void cancel() { cancel_->store(true); }

 private:
  void start(int problem, int count);
  void handle(Event& event);
  void task_done(int problem);
  // After waiting: commits what the probes stored; throws when the run stopped.
  void settle();

  const std::vector<Problem>& problems_;
  store::RunStore& store_;
  DrawTasks& tasks_;
  EventQueue<Event>& events_;
  RunRecords& records_;
  int lookahead_;
  answers::AnswerGrouping grouping_;
  ProbeHost& host_;
  std::map<int, int> probing_;             // problem -> probe tasks outstanding
  std::pair<int, int> last_probe_{-2, 0};  // (problem, count) of the last probe
  int streak_ = 0;                         // probes in problem order before it
  std::shared_ptr<std::atomic<bool>> cancel_ = std::make_shared<std::atomic<bool>>(false);
};

}  // namespace optscale::engine
