// The one driver of a policy over one problem. The replay (pool samples),
// the live engine (samples drawn from a model server) and the proxy (one
// chat request) all run policies through this, and nothing else calls a
// ProblemPolicy, so that the same strategy over the same samples decides the
// same everywhere:
//  - answers are numbered into classes in draw order, as each prefix alone
//    numbers them (answers/answer_classes.hpp; policy/numbered_stream.hpp);
//  - the policy is asked first with no observations, then each time every
//    sample it asked for has been observed;
//  - one contract, checked the same way everywhere: a draw >= 0, a stop with
//    a non-empty reason, never more than the strategy's budget in all, and a
//    selection inside what was observed. A policy that breaks it is a bug:
//    optscale::Error naming the strategy and the problem.
// Ties: selection and votes are the policy's; every built-in one sends a tie
// to the earliest drawn sample (best-of-N: the first highest score; votes:
// the class whose first sample was drawn first). The same draws in the same
// order therefore select the same sample in replay, live runs and the proxy.
//
// From a simple loop (what the Python `Policy` wraps):
//   ProblemRun run(strategy, info);
//   for (int k = run.next().draw; k > 0; k = run.next().draw)
//     for (int i = 0; i < k; ++i) run.observe(draw_one());
//   RunResult r = run.finish();   // r.selected, r.reason
#pragma once
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "optscale/answers/answer_classes.hpp"
#include "optscale/policy/numbered_stream.hpp"
#include "optscale/policy/policy.hpp"

namespace optscale::policy {

// What a run sums up when it has stopped and selected.
struct RunResult {
  int consumed = 0;       // samples observed: always the first `consumed` drawn
  int selected = -1;      // index of the selected sample; -1 = no answer
  std::string reason;     // why it stopped (the policy's reason, or the runner's: "token-budget")
  long long tokens = 0;   // sum of the observed samples' tokens
  int rounds = 0;         // requests made (draw > 0 steps); latency rounds online
};

// One drawn sample as a live runner hands it over.
struct DrawnSample {
  double score = 0.0;                    // verifier score in [0, 1]
  long long tokens = 0;                  // completion tokens
  std::optional<std::string> answer;     // its final answer, when the caller knows it
  std::optional<std::string_view> text;  // the completion: the answer is extracted from it when
                                         // `answer` is unset; "" marks an empty completion
};

// Names a run in error messages; the strings are built only on failure.
struct RunName {
  const Strategy* strategy = nullptr;  // null: "policy run"
  std::string_view problem;            // a problem id; empty: none
  std::string str() const;
};

class ProblemRun {
 public:
  static constexpr int kNoBudget = std::numeric_limits<int>::max();

  // A live run of a per-problem strategy (throws for cross-problem ones:
  // start those from their plan). Answers are numbered with `grouping`.
  ProblemRun(const Strategy& strategy, const ProblemInfo& problem,
             answers::AnswerGrouping grouping = answers::AnswerGrouping::equivalent);
  // A live run of a policy the caller made (a plan's start(i)); the run owns it.
  ProblemRun(std::unique_ptr<ProblemPolicy> policy, int budget, RunName name,
             answers::AnswerGrouping grouping = answers::AnswerGrouping::equivalent);
  // A run over samples that already exist: take() feeds the next ones from
  // `stream`, which must outlive the run; observe() is refused.
  ProblemRun(std::unique_ptr<ProblemPolicy> policy, int budget, RunName name, const NumberedStream& stream);
  // The same with a policy the caller keeps (a test's scripted policy).
  ProblemRun(ProblemPolicy& policy, int budget, RunName name, const NumberedStream& stream);

  ProblemRun(ProblemRun&&) = default;
  ProblemRun& operator=(ProblemRun&&) = default;

  // Asks the policy first (no observations yet). Returns its checked step.
  const Step& start();
  // The next drawn sample, in draw order; only samples that were asked for.
  void observe(const DrawnSample& sample);
  // Every asked sample has been observed: renumbers the classes, asks the
  // policy, checks its step.
  const Step& step();
  // start() the first time, step() after: the one call of a simple loop
  // (what a Python `Policy.next()` wraps).
  const Step& next() { return started_ ? step() : start(); }
  // observe() each, then step().
  const Step& feed(std::span<const DrawnSample> samples);
  // Over a stream: observes the samples the last step asked for, then step().
  const Step& take();
  // The runner stops the run itself (its token budget ran out): `reason`
  // replaces the policy's "draw more".
  void stop(std::string reason);
  // Selects (once the run has stopped) and sums up. Without any observation
  // the policy is not asked: nothing can be selected.
  RunResult finish();

  bool started() const { return started_; }
  bool stopped() const { return started_ && last_.draw == 0; }
  const Step& last_step() const { return last_; }
  const std::string& stop_reason() const { return last_.reason; }
  int observed() const { return observed_; }
  int asked() const { return asked_; }
  int wanted() const { return asked_ - observed_; }   // asked for, not observed yet
  int budget() const { return budget_; }
  int rounds() const { return rounds_; }
  // What the policy has seen so far (classes as of this prefix).
  std::span<const Observation> observations() const;
  // Sample i's final answer (live runs; nullopt over a stream).
  const std::optional<std::string>& answer(std::size_t i) const;
  const RunName& name() const { return name_; }

 private:
  const Step& ask();
  template <class Message>
  void check(bool condition, const Message& what) const;

  std::unique_ptr<ProblemPolicy> owned_;
  ProblemPolicy* policy_;
  int budget_;
  RunName name_;
  const NumberedStream* stream_ = nullptr;
  answers::AnswerGrouping grouping_ = answers::AnswerGrouping::equivalent;
  std::optional<answers::AnswerClasses> classes_;      // live runs, made on the first observation
  std::vector<Observation> observations_;              // live runs
  std::vector<std::optional<std::string>> answers_;    // live runs
  Step last_;
  bool started_ = false;
  bool finished_ = false;
  int observed_ = 0;
  int asked_ = 0;
  int rounds_ = 0;
  long long tokens_ = 0;
};

}  // namespace optscale::policy
