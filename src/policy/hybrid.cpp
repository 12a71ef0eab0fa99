// hybrid: stops on whichever evidence is strongest (docs/strategies.md).
//  - agreement: asc's Beta criterion, where a sample whose verifier score
//    reaches s* counts as `verified_votes` votes for its answer class (1 vote
//    otherwise). With verified_votes=1 this is asc exactly; with a verifier
//    that only lets correct samples reach s*, one verified sample is enough
//    (at the defaults) and it stops where optscale-seq's target-reached does.
//  - constant scores below s* verify nothing: hybrid is then asc (its
//    futility aside). A verifier that passes everything (every score >= s*)
//    stops it at the first sample, as it stops optscale-seq.
//  - futility: once `peek` samples are in and agreement can no longer be met
//    within the budget by unverified votes, refit the score law as optscale-seq does and give up
//    when the chance that the draws left reach s* is below `futility`.
// Selection: vote with the same weights (verified samples count
// verified_votes), ties to the class seen first.
#include <algorithm>
#include <vector>

#include "asc_core.hpp"
#include "factories.hpp"
#include "optscale/policy/stop_reason.hpp"
#include "optscale/policy/vote.hpp"
#include "optscale_common.hpp"

namespace optscale::policy::detail {

namespace {

struct HybridConfig {
  int budget = 0;
  double threshold = 0.95;
  int verified_votes = 4;
  int peek = 0;
  double futility = 0.05;
  BoundConfig bound;
  bool none_votes = false;
};

// The votes of a prefix: weighted counts of the top class and the runner-up,
// and the weighted number of votes drawn (samples, a verified one counting
// verified_votes).
struct Tally {
  int top = 0, runner_up = 0, drawn = 0;
  bool top_verified = false;  // the top class holds a verified sample
  int winner = -1;            // first sample of the winning class
};

class HybridPolicy final : public ProblemPolicy {
 public:
  HybridPolicy(const HybridConfig& config, FitProvider* fits) : config_(config), fits_(fits) {}

  Step next(std::span<const Observation> observed) override {
    const int drawn = static_cast<int>(observed.size());
    const Tally t = tally(observed);
    if (agreement_met(t.drawn, t.top, t.runner_up, config_.threshold)) {
      return Step::stop(t.top_verified ? stop_reason::kTargetReached : stop_reason::kConsistent);
    }
    if (drawn >= config_.budget) return Step::stop(stop_reason::kBudget);
    const int remaining = config_.budget - drawn;
    const int gain = config_.verified_votes;
    // Futility: agreement is out of reach even if every sample left joins the
    // top class (unverified: a law that cannot reach s* verifies none), and
    // the refitted law gives those draws little chance of reaching s*.
    if (config_.futility > 0.0 && drawn >= config_.peek && fits_ != nullptr &&
        !agreement_met(t.drawn + remaining, t.top + remaining, t.runner_up, config_.threshold)) {
      const stats::FitResult fit = fits_->fit(observed, drawn, std::nullopt, config_.bound.fit_bounds());
      if (chance_to_reach(law_of(fit), config_.bound.target, remaining) < config_.futility)
        return Step::stop(stop_reason::kFutility);
      return Step::more(1);
    }
    return Step::more(agreement_batch(t.drawn, remaining, t.top, t.runner_up, config_.threshold, gain));
  }

  int select(std::span<const Observation> observed) const override { return tally(observed).winner; }

 private:
  Tally tally(std::span<const Observation> observed) const {
    VoteCounter counter(config_.none_votes);
    Tally t;
    std::vector<int> verified_classes;
    for (std::size_t i = 0; i < observed.size(); ++i) {
      const Observation& o = observed[i];
      const bool verified = config_.verified_votes > 1 && !o.empty && o.score >= config_.bound.target;
      const int votes = verified ? config_.verified_votes : 1;
      counter.add(o, static_cast<int>(i), votes);
      t.drawn += votes;
      if (verified) verified_classes.push_back(o.answer_class);
    }
    t.top = static_cast<int>(counter.top_weight());
    t.runner_up = static_cast<int>(counter.runner_up_weight());
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
};

class HybridStrategy final : public BasicStrategy {
 public:
  explicit HybridStrategy(const HybridConfig& config, std::string spec)
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
  config.verified_votes = reader.integer("verified_votes", 4, 1, 1000);
  config.peek = read_peek(reader, config.budget);
  config.futility = reader.real("futility", config.futility,
                                [](double v) { return v >= 0.0 && v < 1.0; }, "a number in [0, 1)");
  config.bound = read_bound_config(reader);
  config.none_votes = read_none_votes(reader);
  SpecWriter writer("hybrid");
  writer.add("n", config.budget).add("threshold", config.threshold);
  writer.add("verified_votes", config.verified_votes).add("peek", config.peek);
  writer.add("futility", config.futility);
  write_bound_config(writer, config.bound);
  writer.add("none_votes", config.none_votes ? 1 : 0);
  return std::make_unique<HybridStrategy>(config, writer.str());
}

}  // namespace optscale::policy::detail
