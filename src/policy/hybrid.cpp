// hybrid: stops on whichever evidence is strongest (docs/strategies.md).
//  - agreement: asc's Beta criterion on weighted votes. A sample whose
//    verifier score reaches s* is *verified* and counts `verified_votes`
//    votes for its answer class; any other sample counts `unverified_votes`
//    (<= 1). At verified_votes=1, unverified_votes=1 this is asc exactly; with
//    a verifier that only lets correct samples reach s*, one verified sample
//    is enough (at the defaults) and it stops where optscale-seq's
//    target-reached does. Constant scores below s* verify nothing: asc again.
//  - futility: once `peek` samples are in and agreement can no longer be met
//    within the budget by unverified votes, refit the score law as
//    optscale-seq does and give up when the chance that the draws left reach
//    s* is below `futility`.
//  - small budgets: the threshold is capped at the confidence that
//    ceil(unanimous_share * n) unanimous votes give, so that a unanimous class
//    can stop within that share of the budget. Without it, at n = 8 a
//    threshold of 0.99 needs 6 unanimous draws and any dissent takes the whole
//    budget: the extra draws buy nothing the budget lets the vote use (the
//    misses of the bar at n = 8, docs/strategies.md). From n = 16 on the cap
//    (>= 0.998 at the default 0.5) leaves thresholds up to 0.99 alone.
// Selection: the vote with the same weights, ties to the class seen first.
#include <algorithm>
#include <cmath>
#include <vector>

#include "asc_core.hpp"
#include "factories.hpp"
#include "optscale/policy/beta_criterion.hpp"
#include "optscale/policy/stop_reason.hpp"
#include "optscale/policy/vote.hpp"
#include "optscale_common.hpp"

namespace optscale::policy::detail {

namespace {

struct HybridConfig {
  int budget = 0;
  double threshold = 0.95;            // as given (the spec)
  double unanimous_share = 0.5;
  double effective_threshold = 0.95;  // threshold, capped for the budget
  double verified_votes = 4.0;
  double unverified_votes = 1.0;
  int peek = 0;
  double futility = 0.05;
  BoundConfig bound;
  bool none_votes = false;
};

// The weighted votes of a prefix.
struct Tally {
  double top = 0.0, runner_up = 0.0;
  bool top_verified = false;  // the top class holds a verified sample
  int winner = -1;            // first sample of the winning class
};

class HybridPolicy final : public ProblemPolicy {
 public:
  HybridPolicy(const HybridConfig& config, FitProvider* fits)
      : config_(config),
        fits_(fits),
        whole_votes_(config.unverified_votes == 1.0 &&
                     config.verified_votes == std::floor(config.verified_votes)) {}

  Step next(std::span<const Observation> observed) override {
    const int drawn = static_cast<int>(observed.size());
    const Tally t = tally(observed);
    if (met(drawn, t.top_verified, t.top, t.runner_up)) {
      return Step::stop(t.top_verified ? stop_reason::kTargetReached : stop_reason::kConsistent);
    }
    if (drawn >= config_.budget) return Step::stop(stop_reason::kBudget);
    const int remaining = config_.budget - drawn;
    // Futility: agreement is out of reach even if every sample left joins the
    // top class (unverified: a law that cannot reach s* verifies none), and
    // the refitted law gives those draws little chance of reaching s*.
    if (config_.futility > 0.0 && drawn >= config_.peek && fits_ != nullptr &&
        !met(config_.budget, false, t.top + remaining * config_.unverified_votes, t.runner_up)) {
      const stats::FitResult fit = fits_->fit(observed, drawn, std::nullopt, config_.bound.fit_bounds());
      if (chance_to_reach(law_of(fit), config_.bound.target, remaining) < config_.futility)
        return Step::stop(stop_reason::kFutility);
      return Step::more(1);
    }
    // The fewest samples after which the criterion could be met: each new
    // one verified and in the top class (asc's batching, weighted).
    const double gain = std::max(config_.verified_votes, config_.unverified_votes);
    int batch = 1;
    while (batch < remaining && !met(drawn + batch, gain > config_.unverified_votes,
                                     t.top + batch * gain, t.runner_up))
      ++batch;
    return Step::more(batch);
  }

  int select(std::span<const Observation> observed) const override { return tally(observed).winner; }

 private:
  // asc's criterion (two samples drawn, or a verified one in the top class),
  // on whole votes exactly as asc computes it.
  bool met(int drawn, bool top_verified, double top, double runner_up) const {
    if (drawn < 2 && !top_verified) return false;
    const double p = whole_votes_ ? majority_confidence(static_cast<int>(top), static_cast<int>(runner_up))
                                  : weighted_majority_confidence(top, runner_up);
    return p >= config_.effective_threshold;
  }

  Tally tally(std::span<const Observation> observed) const {
    VoteCounter counter(config_.none_votes);
    std::vector<int> verified_classes;
    for (std::size_t i = 0; i < observed.size(); ++i) {
      const Observation& o = observed[i];
      const bool verified = config_.verified_votes > config_.unverified_votes && !o.empty &&
                            o.score >= config_.bound.target;
      counter.add(o, static_cast<int>(i), verified ? config_.verified_votes : config_.unverified_votes);
      if (verified) verified_classes.push_back(o.answer_class);
    }
    Tally t;
    t.top = counter.top_weight();
    t.runner_up = counter.runner_up_weight();
    t.winner = counter.winner();
    if (t.winner >= 0) {
      const int winning_class = observed[static_cast<std::size_t>(t.winner)].answer_class;
      t.top_verified = std::find(verified_classes.begin(), verified_classes.end(), winning_class) !=
                       verified_classes.end();
    }
    return t;
  }

  HybridConfig config_;
  FitProvider* fits_;
  bool whole_votes_;  // every weight a whole number: asc's exact integer criterion
};

class HybridStrategy final : public BasicStrategy {
 public:
  HybridStrategy(const HybridConfig& config, std::string spec)
      : BasicStrategy(std::move(spec), config.budget), config_(config) {}

  std::unique_ptr<ProblemPolicy> start(const ProblemInfo& problem) const override {
    // The score law is only refitted for futility.
    FitProvider* fits = config_.futility > 0.0 ? &fits_of(problem, spec_text()) : nullptr;
    return std::make_unique<HybridPolicy>(config_, fits);
  }

 private:
  HybridConfig config_;
};

}  // namespace

std::unique_ptr<Strategy> make_hybrid(SpecReader& reader) {
  HybridConfig config;
  config.budget = read_budget(reader);
  config.threshold = read_asc_threshold(reader);
  config.verified_votes = reader.real("verified_votes", 4.0,
                                      [](double v) { return v >= 1.0 && v <= 1000.0; },
                                      "a number in [1, 1000]");
  config.unverified_votes = reader.real("unverified_votes", 1.0,
                                        [](double v) { return v > 0.0 && v <= 1.0; }, "a number in (0, 1]");
  config.unanimous_share = reader.real("unanimous_share", config.unanimous_share,
                                       [](double v) { return v > 0.0 && v <= 1.0; }, "a number in (0, 1]");
  const int unanimous = std::max(1, static_cast<int>(std::ceil(config.unanimous_share * config.budget - 1e-9)));
  config.effective_threshold = std::min(config.threshold, majority_confidence(unanimous, 0));
  config.peek = read_peek(reader, config.budget);
  config.futility = reader.real("futility", config.futility,
                                [](double v) { return v >= 0.0 && v < 1.0; }, "a number in [0, 1)");
  config.bound = read_bound_config(reader);
  config.none_votes = read_none_votes(reader);
  SpecWriter writer("hybrid");
  writer.add("n", config.budget).add("threshold", config.threshold).add("unanimous_share", config.unanimous_share);
  writer.add("verified_votes", config.verified_votes).add("unverified_votes", config.unverified_votes);
  writer.add("peek", config.peek).add("futility", config.futility);
  write_bound_config(writer, config.bound);
  writer.add("none_votes", config.none_votes ? 1 : 0);
  return std::make_unique<HybridStrategy>(config, writer.str());
}

}  // namespace optscale::policy::detail
