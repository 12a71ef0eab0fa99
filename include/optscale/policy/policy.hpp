// One stopping-policy interface for every strategy (BoN, SC, ESC, ASC, DSC,
// OptScale^0, OptScale^t, sequential OptScale). The same objects run offline
// (replay feeds pool samples) and online (the engine feeds live samples): given
// what was observed so far, a policy says "draw k more" or "stop", and then
// which sample it selects.
#pragma once
#include <array>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "optscale/policy/prior_source.hpp"
#include "optscale/stats/estimators.hpp"

namespace optscale::policy {

// What a policy sees of one drawn sample.
struct Observation {
  double score = 0.0;       // verifier score in [0, 1]
  long long tokens = 0;     // completion tokens of this sample
  int answer_class = -1;    // equivalence class of its final answer within this problem
                            // (classes numbered in order of first appearance); -1 = no answer
  bool empty = false;       // the completion was empty (the reference's BoN rule skips it)
};

// Fits of the score law from a prefix of the observations. The replay passes a
// memoising provider (fits of the same prefix are shared by every grid point);
// the engine a plain one. Implementations must be safe to call from the one
// thread that runs this problem.
class FitProvider {
 public:
  virtual ~FitProvider() = default;
  // Fit on the first `count` observations' scores.
  virtual stats::FitResult fit(std::span<const Observation> observed, int count,
                               const std::optional<stats::FitPrior>& prior,
                               const stats::FitBounds& bounds) = 0;
};

// Calls stats::fit_truncated_normal every time.
class DirectFitProvider final : public FitProvider {
 public:
  stats::FitResult fit(std::span<const Observation> observed, int count,
                       const std::optional<stats::FitPrior>& prior,
                       const stats::FitBounds& bounds) override;
};

// What a policy knows of a problem before any sample is drawn.
struct ProblemInfo {
  std::string id;
  std::string text;
  std::optional<std::array<double, 2>> prior;      // predicted [mu, sigma]
  std::optional<std::array<double, 2>> prior_std;  // the predictor's uncertainty of each
  FitProvider* fits = nullptr;                     // never null when handed to a policy
  // PriorSource::key() of the source `prior` was resolved from by the runner
  // ("predictor=PATH", "priors=PATH"); empty: the problem's own prior. A
  // strategy whose spec names a source refuses a problem resolved otherwise.
  std::string prior_source;
};

// The policy's answer after each round of observations.
struct Step {
  int draw = 0;            // > 0: draw this many more samples; 0: stop
  std::string reason;      // when stopping: why (e.g. "budget", "bound", "target-reached", "futility", "consistent")
  static Step more(int k) { return Step{k, {}}; }
  static Step stop(std::string why) { return Step{0, std::move(why)}; }
};

// State of one strategy on one problem.
class ProblemPolicy {
 public:
  virtual ~ProblemPolicy() = default;
  // Called first with no observations, then each time the requested samples
  // have all arrived, with every observation so far in draw order.
  virtual Step next(std::span<const Observation> observed) = 0;
  // Index of the selected sample among `observed` after stopping; -1 = no answer.
  virtual int select(std::span<const Observation> observed) const = 0;
};

// Hands a cross-problem strategy (dsc) the first `count` observations of
// problem `problem` (an index into the span given to Strategy::plan), drawing
// them if they are not drawn yet; must return exactly `count` observations.
// The runner must later feed these same observations, in this order, as that
// problem's first ones: a probe is paid for once, and is counted in that
// problem's samples and tokens (the policy asks for them first).
using ProbeFn = std::function<std::vector<Observation>(std::size_t problem, int count)>;

// A strategy prepared for one set of problems (one replay order, or one batch
// of the engine). Read-only and thread-safe once made.
class DatasetPlan {
 public:
  virtual ~DatasetPlan() = default;
  // Policy for problem `index` of the span the plan was made for.
  virtual std::unique_ptr<ProblemPolicy> start(std::size_t index) const = 0;
  // What the plan found suspect about the problem set (e.g. dsc: a difficulty
  // ranking in which every problem ties); runners report them.
  virtual std::vector<std::string> warnings() const { return {}; }
};

// A configured strategy, shared (read-only, thread-safe) across problems.
class Strategy {
 public:
  virtual ~Strategy() = default;
  // Per-problem start. Cross-problem strategies throw optscale::Error here:
  // they must run through plan().
  virtual std::unique_ptr<ProblemPolicy> start(const ProblemInfo& problem) const = 0;
  virtual std::string spec() const = 0;   // canonical spec string, e.g. "optscale0:n=16,peek=5,..."
  virtual int budget() const = 0;         // never draws more than this
  // True when the strategy decides something across problems (dsc sorts them
  // by difficulty and probes a few) and so must run through plan().
  virtual bool cross_problem() const { return false; }
  // The source the spec names for the problems' priors (`predictor=` or
  // `priors=`); the runner resolves it (predict::resolve_priors) into
  // ProblemInfo::prior, prior_std and prior_source. nullopt: the problems' own.
  virtual std::optional<PriorSource> prior_source() const { return std::nullopt; }
  // Prepares a run over a whole set of problems; every runner may call it for
  // every strategy. The default (per-problem strategies) never probes and
  // returns a plan whose start(i) is start(problems[i]). The plan refers to
  // `problems` and to this strategy: both must outlive it. `probe` may be empty
  // for strategies that are not cross_problem().
  virtual std::unique_ptr<DatasetPlan> plan(std::span<const ProblemInfo> problems,
                                            const ProbeFn& probe) const;
};

}  // namespace optscale::policy
