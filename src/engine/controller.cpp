#include "optscale/engine/controller.hpp"

#include <algorithm>
#include <memory>
#include <set>
#include <variant>

#include "draw_tasks.hpp"
#include "event_queue.hpp"
#include "failure_limit.hpp"
#include "latencies.hpp"
#include "probe_prefetch.hpp"
#include "run_records.hpp"
#include "session_events.hpp"
#include "slots.hpp"
#include "optscale/answers/answers.hpp"
#include "optscale/engine/problem_result.hpp"
#include "optscale/engine/progress.hpp"
#include "optscale/engine/worker_pool.hpp"
#include "optscale/policy/problem_run.hpp"
#include "optscale/util/error.hpp"
#include "optscale/util/json_limits.hpp"

namespace optscale::engine {

namespace {

struct Slot {
  bool generated = false;
  bool scored = false;
  bool failed = false;  // no score: left out of the observations
  std::string text;
  long long tokens = 0;
  double score = 0.0;
};

// One problem being worked on.
struct Active {
  int index = 0;
  const Problem* problem = nullptr;
  std::optional<policy::ProblemRun> run;          // the policy, its observations and answer classes
  std::vector<Slot> slots;                        // every draw requested so far
  std::vector<int> observed_draws;                // the draw of each observation (failed ones left out)
  std::size_t next_slot = 0;                      // first slot not yet observed or skipped
  int failed = 0;                                 // failed samples
  int unreplaced = 0;                             // failed samples not yet replaced by a new draw
  nlohmann::ordered_json failures = nlohmann::ordered_json::array();  // {draw, stage, reason}
  std::map<int, store::SampleIssue> stored_failures;  // from an earlier run, by draw
  std::map<int, store::StoredSample> stored;      // from an earlier run, by draw
  std::vector<store::StoredDecision> stored_decisions;
  int round = 0;
  int pending = 0;                                // tasks not yet reported
  std::shared_ptr<std::atomic<bool>> cancel = std::make_shared<std::atomic<bool>>(false);
  bool finished = false;
};

// The run itself: state shared by the loop's steps.
class Session final : private ProbeHost {
 public:
  Session(const policy::Strategy& strategy, backend::Generator& generator, backend::Scorer& scorer,
          store::RunStore& store, const RunOptions& options, const std::vector<Problem>& problems)
      : strategy_(strategy), generator_(generator), scorer_(scorer), store_(store), options_(options),
        problems_(problems),
        workers_(options.max_in_flight),
        scoring_slots_(options.scorer_in_flight) {}

  RunSummary run(std::ostream& results, std::ostream* progress_out) {
    const auto start = std::chrono::steady_clock::now();
    for (int index : store_.finished_problems()) finished_before_.insert(index);
    summary_.problems = problems_.size();
    Progress progress(progress_out, options_.progress_interval_s, options_.progress_terminal);
    const std::size_t max_active = static_cast<std::size_t>(4 * workers_.threads() + 16);
    std::vector<std::string> lines;
    auto last_commit = Clock::now();
    try {
      prepare_plan();
      while (next_emit_ < problems_.size()) {
        if (interrupted()) abort("interrupted");
        if (!abort_message_.empty()) break;
        store_.begin();  // continues the open transaction, if any
        // Finished results wait in ready_ for earlier problems; bounding them
        // bounds memory when one problem lags (its requests go first anyway).
        while (next_admit_ < problems_.size() && active_.size() < max_active && ready_.size() < 4 * max_active &&
               workers_.queued() < static_cast<std::size_t>(workers_.threads())) {
          const int index = static_cast<int>(next_admit_++);
          if (!finished_before_.count(index)) admit(index);
        }
        emit_ready(lines);
        bool idle = true;
        if (next_emit_ < problems_.size() && abort_message_.empty()) {
          // With a transaction open, come back soon to commit it.
          auto events = events_.take_all(std::chrono::milliseconds(lines.empty() ? 100 : 5));
          idle = events.empty();
          for (Event& event : events) handle(event);
          emit_ready(lines);
        }
        // One commit per 20 ms under load (a commit costs a WAL write), at
        // once when idle or done; results are written after the commit that
        // stores them.
        if (idle || next_emit_ == problems_.size() || !abort_message_.empty() ||
            Clock::now() - last_commit >= std::chrono::milliseconds(20)) {
          store_.commit();
          last_commit = Clock::now();
          for (const std::string& line : lines) results << line << '\n';
          if (!lines.empty()) results.flush();
          lines.clear();
        }
        progress.update(snapshot());
      }
    } catch (...) {
      shut_down();
      throw;
    }
    if (aborted()) {
      shut_down();
      throw_if_aborted();
    }
    workers_.shutdown();
    progress.finish(snapshot());
    summary_.queue_ms = latencies_.queue_ms();
    summary_.handling_ms = latencies_.handling_ms();
    summary_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary_;
  }

 private:
  // ---- the strategy's plan over all problems ----

  // Strategies that decide across problems (dsc) probe some problems' first
  // samples before any policy starts (probe_prefetch.hpp); the problem's
  // policy later receives exactly these as its first observations.
  void prepare_plan() {
    infos_.reserve(problems_.size());
    for (const Problem& p : problems_)
      infos_.push_back(policy::ProblemInfo{p.id, p.text, p.prior, p.prior_std ? p.prior_std : options_.prior_std, &fits_,
                                              p.prior_source});
    policy::ProbeFn probe;
    if (strategy_.cross_problem())
      probe = [this](std::size_t index, int count) { return probes_.probe(index, count); };
    plan_ = strategy_.plan(infos_, probe);
    probes_.finish();
    // The plan's warnings (e.g. dsc's all-tied difficulty ranking), as
    // `optscale eval`/`tune` print them for the same plan.
    if (notice_)
      for (const std::string& warning : plan_->warnings()) notice_(warning);
  }

  // ---- admission and policy rounds ----

  void admit(int index) {
    auto active = std::make_unique<Active>();
    Active& a = *active;
    a.index = index;
    a.problem = &problems_[static_cast<std::size_t>(index)];
    for (store::StoredSample& s : store_.load_samples(index)) a.stored.emplace(s.draw, std::move(s));
    a.stored_decisions = store_.load_decisions(index);
    for (store::SampleIssue& issue : store_.load_issues(index))
      if (issue.kind == "failed") a.stored_failures.emplace(issue.draw, std::move(issue));
    a.run.emplace(plan_->start(static_cast<std::size_t>(index)), strategy_.budget(),
                  policy::RunName{&strategy_, a.problem->id}, options_.answer_grouping);
    active_.emplace(index, std::move(active));
    advance(a);
  }

  // Feeds the policy (through its run: policy/problem_run.hpp) whenever
  // every requested sample is scored or failed.
  void advance(Active& a) {
    policy::ProblemRun& run = *a.run;
    while (!a.finished) {
      if (run.started()) {
        while (a.next_slot < a.slots.size() && (a.slots[a.next_slot].scored || a.slots[a.next_slot].failed)) {
          const Slot& slot = a.slots[a.next_slot];
          if (!slot.failed) {
            run.observe(policy::DrawnSample{slot.score, slot.tokens, std::nullopt, std::string_view(slot.text)});
            a.observed_draws.push_back(static_cast<int>(a.next_slot));
          }
          ++a.next_slot;
        }
        // A problem whose samples keep failing would be asked for more
        // forever: past the strategy's budget in failures it stops with what
        // it has.
        if (a.failed >= std::max(1, strategy_.budget())) {
          run.stop("failed-samples");
          return finish(a);
        }
        // The policy sees as many observations as it asked for: each failed
        // sample is replaced by the problem's next draw (which sample that is
        // does not depend on timing: replacements take the next indices, and
        // observations stay in draw order).
        if (a.unreplaced > 0) {
          const int replace = a.unreplaced;
          a.unreplaced = 0;
          request(a, replace);
          continue;
        }
        if (a.next_slot < a.slots.size()) return;  // waiting for samples
      }
      const policy::Step& step = run.started() ? run.step() : run.start();
      record_decision(a, step);
      if (step.draw == 0) return finish(a);
      if (options_.token_budget && records_.tokens_spent() >= *options_.token_budget) {
        run.stop("token-budget");
        return finish(a);
      }
      request(a, step.draw);
    }
  }

  void record_decision(Active& a, const policy::Step& step) {
    store::StoredDecision decision{a.round, a.run->observed(), std::max(step.draw, 0),
                                   step.draw > 0 ? std::string() : step.reason};
    if (static_cast<std::size_t>(a.round) < a.stored_decisions.size()) {
      const store::StoredDecision& before = a.stored_decisions[static_cast<std::size_t>(a.round)];
      if (before.observed != decision.observed || before.draw != decision.draw)
        throw Error("problem " + a.problem->id + ", round " + std::to_string(a.round) +
                    ": the policy now asks for " + std::to_string(decision.draw) + " after " +
                    std::to_string(decision.observed) + " samples, but the stored run asked for " +
                    std::to_string(before.draw) + " after " + std::to_string(before.observed) +
                    " (the strategy is not deterministic, or the store belongs to another run)");
    } else {
      store_.record_decision(a.index, decision);
    }
    ++a.round;
  }

  // Requests draws slots.size() .. slots.size()+count-1, reusing stored ones.
  void request(Active& a, int count) {
    const int first = static_cast<int>(a.slots.size());
    a.slots.resize(a.slots.size() + static_cast<std::size_t>(count));
    std::vector<int> to_score;
    int run_start = -1;
    for (int draw = first; draw <= first + count; ++draw) {
      bool stored = false;
      if (draw < first + count) {
        if (auto failure = a.stored_failures.find(draw); failure != a.stored_failures.end()) {
          stored = true;
          failures_.attempted();
          fail_sample(a, draw, failure->second.stage, failure->second.reason, /*stored=*/true);
        } else if (auto it = a.stored.find(draw); it != a.stored.end()) {
          failures_.attempted();
          stored = true;
          Slot& slot = a.slots[static_cast<std::size_t>(draw)];
          slot.generated = true;
          slot.text = it->second.text;
          slot.tokens = it->second.tokens;
          if (it->second.score) {
            slot.scored = true;
            slot.score = *it->second.score;
          } else {
            to_score.push_back(draw);
          }
        }
      }
      const bool end = draw == first + count || stored;
      if (end && run_start >= 0) {
        submit_generation(a, run_start, draw - run_start);
        run_start = -1;
      } else if (!end && run_start < 0) {
        run_start = draw;
      }
    }
    submit_scoring(a, to_score);
  }

  // ---- tasks ----

  // Draw tasks (draw_tasks.hpp): a generation task scores its own samples
  // right away, on the same thread; the samples are recorded here from the
  // Generated event, which is queued before their scores.
  void submit_generation(Active& a, int first, int count) {
    a.pending += tasks_.generate(a.index, a.problem, a.cancel, first, count);
  }

  int scoring_batch() const { return tasks_.scoring_batch(); }

  // Scoring of stored but unscored samples (resume): one task per chunk.
  void submit_scoring(Active& a, const std::vector<int>& draws) {
    std::vector<std::string> texts;
    for (int draw : draws) texts.push_back(a.slots[static_cast<std::size_t>(draw)].text);
    a.pending += tasks_.score(a.index, a.problem, a.cancel, draws, texts);
  }

  // ---- events ----

  Active* find(int index) {
    auto it = active_.find(index);
    return it == active_.end() ? nullptr : it->second.get();
  }

  void task_done(Active& a) {
    --a.pending;
    if (a.finished && a.pending == 0) active_.erase(a.index);
  }

  void handle(Event& event) {
    std::visit([this](auto& e) { on(e); }, event);
  }

  void on(const Attempted& e) { records_.attempt(e); }

  void on(Generated& e) {
    latencies_.add(e.timing);
    Active* a = find(e.problem);
    if (!a) {
      // Its problem finished and is gone: these samples are not used.
      for (const backend::GeneratedSample& s : e.samples) summary_.wasted_tokens += s.tokens;
      return;
    }
    for (std::size_t j = 0; j < e.samples.size(); ++j) {
      const int draw = e.first_draw + static_cast<int>(j);
      backend::GeneratedSample& s = e.samples[j];
      records_.drawn(e.problem, draw, s);
      failures_.attempted();
      Slot& slot = a->slots[static_cast<std::size_t>(draw)];
      slot.generated = true;
      slot.text = std::move(s.text);
      slot.tokens = s.tokens;
    }
    // The generation task has queued the scoring of these samples itself.
    const int batch = scoring_batch();
    a->pending += (static_cast<int>(e.samples.size()) + batch - 1) / batch;
    if (!a->finished && abort_message_.empty()) {
      const int got = static_cast<int>(e.samples.size());
      if (got < e.asked) submit_generation(*a, e.first_draw + got, e.asked - got);
    }
    task_done(*a);
  }

  void on(Scored& e) {
    latencies_.add(e.timing);
    Active* a = find(e.problem);
    if (!a) return;
    for (std::size_t j = 0; j < e.draws.size(); ++j) {
      const int draw = e.draws[j];
      const backend::ScoredSample& scored = e.scores[j];
      Slot& slot = a->slots[static_cast<std::size_t>(draw)];
      if (records_.scored(e.problem, draw, scored)) {
        slot.scored = true;
        slot.score = scored.score;
      } else {
        fail_sample(*a, draw, "score", scored.failure);
      }
    }
    const bool was_finished = a->finished;
    task_done(*a);  // erases `a` only when it was finished
    if (!was_finished && abort_message_.empty()) advance(*a);
  }

  void on(Failed& e) {
    Active* a = find(e.problem);
    if (e.sample_specific && e.first_draw >= 0) {
      failures_.attempted();
      if (!a) return;
      // The first draw asked for is the refused one; the rest are asked again.
      fail_sample(*a, e.first_draw, "generate", e.message);
      if (e.count > 1 && !a->finished && abort_message_.empty())
        submit_generation(*a, e.first_draw + 1, e.count - 1);  // the others were never refused
      const bool was_finished = a->finished;
      task_done(*a);
      if (!was_finished && abort_message_.empty()) advance(*a);
      return;
    }
    if (a) task_done(*a);
    abort("problem " + problems_[static_cast<std::size_t>(e.problem)].id + ": " + e.message);
  }

  // A sample that cannot be used: stored with its reason, left out of the
  // observations, counted; past --max-failed-samples the run stops.
  void fail_sample(Active& a, int draw, const std::string& stage, const std::string& reason, bool stored = false) {
    Slot& slot = a.slots[static_cast<std::size_t>(draw)];
    slot.failed = true;
    ++a.failed;
    ++a.unreplaced;
    a.failures.push_back({{"draw", draw}, {"stage", stage}, {"reason", reason}});
    if (!stored) {
      store_.record_issue(a.index, store::SampleIssue{draw, "failed", stage, reason});
      ++summary_.failed_samples;
    }
    if (std::optional<std::string> stop = failures_.failed(a.index, reason)) abort(*stop);
  }

  void on(Cancelled& e) {
    if (Active* a = find(e.problem)) task_done(*a);
  }

  // ---- finishing ----

  void finish(Active& a) {
    a.finished = true;
    a.cancel->store(true);  // anything still in flight for it is not needed
    const policy::RunResult run = a.run->finish();
    ProblemResult result;
    result.id = a.problem->id;
    const bool has_pick = run.selected >= 0;
    const std::optional<std::string>& answer = a.run->answer(static_cast<std::size_t>(std::max(run.selected, 0)));
    if (has_pick && answer) result.answer = *answer;
    if (has_pick)
      result.text = a.slots[static_cast<std::size_t>(a.observed_draws[static_cast<std::size_t>(run.selected)])].text;
    result.selected = run.selected;
    for (const policy::Observation& o : a.run->observations()) result.scores.push_back(o.score);
    result.samples_used = run.consumed;
    result.tokens = run.tokens;
    result.stop_reason = run.reason;
    result.failed = a.failures;
    if (a.problem->gold)
      result.correct = has_pick && answer.has_value() && answers::answers_equivalent(*answer, *a.problem->gold);
    std::string line = result.to_json().dump();
    store_.record_result(a.index, line);
    ready_.emplace(a.index, Ready{std::move(result), std::move(line)});
    if (a.pending == 0) active_.erase(a.index);
  }

  void emit_ready(std::vector<std::string>& lines) {
    while (next_emit_ < problems_.size()) {
      const int index = static_cast<int>(next_emit_);
      std::string line;
      if (auto it = ready_.find(index); it != ready_.end()) {
        count_result(summary_, it->second.result);
        line = std::move(it->second.line);
        ready_.erase(it);
      } else if (finished_before_.count(index)) {
        line = *store_.load_result(index);
        const std::string where = "the stored result of problem " + problems_[static_cast<std::size_t>(index)].id;
        count_result(summary_, ProblemResult::from_json(util::parse_json(line, where), where));
        ++summary_.resumed;
      } else {
        return;
      }
      lines.push_back(std::move(line));
      ++next_emit_;
    }
  }

  ProgressSnapshot snapshot() const {
    return ProgressSnapshot{next_emit_, summary_.resumed, problems_.size(), summary_.samples, summary_.tokens,
                            summary_.graded, summary_.correct, summary_.drawn};
  }

  // ---- stopping ----

  bool interrupted() const override { return options_.cancel != nullptr && options_.cancel->load(); }
  bool aborted() const override { return !abort_message_.empty(); }

  void abort(const std::string& message) override {
    if (abort_message_.empty()) abort_message_ = message;
    probes_.cancel();
    for (auto& [index, a] : active_) a->cancel->store(true);
  }

  void throw_if_aborted() const override {
    if (aborted())
      throw Error(abort_message_ + " (the work done so far is in " + store_.path().string() +
                  "; rerun with --resume to continue)");
  }

  // Stops the workers and stores what they still report (samples drawn,
  // attempts made) so that a resume does not redo them.
  void shut_down() {
    for (auto& [index, a] : active_) a->cancel->store(true);
    workers_.shutdown();
    try {
      store_.begin();
      for (Event& event : events_.take_all(std::chrono::milliseconds(0))) {
        if (auto* g = std::get_if<Generated>(&event)) {
          on(*g);
        } else if (auto* at = std::get_if<Attempted>(&event)) {
          on(*at);
        } else if (auto* s = std::get_if<Scored>(&event)) {
          Active* a = find(s->problem);
          if (a) a->finished = true;  // record the scores, ask the policy nothing
          on(*s);
        }
      }
      store_.commit();
    } catch (const std::exception&) {
      // The original failure matters more than a failure to save extras.
    }
  }

  const policy::Strategy& strategy_;
  backend::Generator& generator_;
  backend::Scorer& scorer_;
  store::RunStore& store_;
  const RunOptions& options_;
  const std::vector<Problem>& problems_;
  policy::DirectFitProvider fits_;
  std::vector<policy::ProblemInfo> infos_;
  std::unique_ptr<policy::DatasetPlan> plan_;
  EventQueue<Event> events_;
  WorkerPool workers_;
  Slots scoring_slots_;
  DrawTasks tasks_{generator_, scorer_, options_.seed, workers_, events_, scoring_slots_};
  std::map<int, std::unique_ptr<Active>> active_;
  struct Ready {
    ProblemResult result;
    std::string line;  // result.to_json().dump(), as stored
  };
  std::map<int, Ready> ready_;  // finished, waiting for earlier problems' results
  std::set<int> finished_before_;
  std::size_t next_admit_ = 0;
  std::size_t next_emit_ = 0;
  std::string abort_message_;
  RunSummary summary_;
  RunRecords records_{store_, summary_, problems_, options_.notice};
  FailureLimit failures_{options_, problems_};
  std::function<void(const std::string&)> notice_ = options_.notice;
  Latencies latencies_;
  ProbePrefetch probes_{problems_, store_, tasks_, events_, records_, workers_.threads(), options_.answer_grouping,
                        *this};
};

}  // namespace

Controller::Controller(const policy::Strategy& strategy, backend::Generator& generator, backend::Scorer& scorer,
                       store::RunStore& store, RunOptions options)
    : strategy_(strategy), generator_(generator), scorer_(scorer), store_(store), options_(std::move(options)) {
  options_.validate();
}

RunSummary Controller::run(const std::vector<Problem>& problems, std::ostream& results, std::ostream* progress) {
  Session session(strategy_, generator_, scorer_, store_, options_, problems);
  return session.run(results, progress);
}


}  // namespace optscale::engine
