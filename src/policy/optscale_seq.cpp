// optscale-seq: our sequential OptScale (paper-spec §7.2). The one-shot
// decision is revisited after every round:
//   1. draw rounds of at most `batch` samples until `peek` are in;
//   2. after every round: stop when the best usable score (non-empty samples)
//      reaches s* ("target-reached") or the budget is spent ("budget");
//   3. once peek samples are in, refit on all of them (MAP when a prior is
//      used) and stop when the fitted law gives the remaining r = n - m draws
//      a chance 1 - F(s*)^r below `futility` of reaching s* ("futility");
//   4. otherwise draw k = min(N*, batch, r) more, N* = the samples the bound
//      now requires from the remaining budget (only future draws can reach s*:
//      the past ones all missed it).
// Selection is Best-of-N over everything drawn.
#include <algorithm>
#include <cmath>

#include "factories.hpp"
#include "optscale/policy/selection.hpp"
#include "optscale/policy/stop_reason.hpp"
#include "optscale/util/error.hpp"
#include "optscale_common.hpp"

namespace optscale::policy::detail {

namespace {

enum class PriorUse { none, automatic, required };

struct SeqConfig {
  int budget = 0;
  int peek = 0;
  int batch = 1;
  double futility = 0.05;
  BoundConfig bound;
  PriorUse prior = PriorUse::none;
  PriorStdConfig prior_std;
  std::optional<PriorSource> priors;  // predictor= / priors=
};

class SequentialPolicy final : public ProblemPolicy {
 public:
  SequentialPolicy(const SeqConfig& config, FitProvider& fits, std::optional<stats::FitPrior> prior)
      : config_(config), fits_(fits), prior_(std::move(prior)) {}

  Step next(std::span<const Observation> observed) override {
    const int drawn = static_cast<int>(observed.size());
    if (drawn == 0) return Step::more(std::min(config_.batch, config_.peek));
    if (best_usable_score(observed) >= config_.bound.target)
      return Step::stop(stop_reason::kTargetReached);
    if (drawn >= config_.budget) return Step::stop(stop_reason::kBudget);
    if (drawn < config_.peek) return Step::more(std::min(config_.batch, config_.peek - drawn));

    const stats::FitResult fit = fits_.fit(observed, drawn, prior_, config_.bound.fit_bounds());
    const stats::TruncatedNormal law = law_of(fit);
    const int remaining = config_.budget - drawn;
    const double p_reach = chance_to_reach(law, config_.bound.target, remaining);
    if (p_reach < config_.futility) return Step::stop(stop_reason::kFutility);
    const stats::SampleBound bound = stats::required_samples(
        law, config_.bound.target, config_.bound.confidence, remaining, config_.bound.method);
    return Step::more(std::clamp(std::min(bound.n, config_.batch), 1, remaining));
  }

  int select(std::span<const Observation> observed) const override { return best_of_n(observed); }

 private:
  SeqConfig config_;
  FitProvider& fits_;
  std::optional<stats::FitPrior> prior_;
};

const char* to_text(PriorUse use) {
  switch (use) {
    case PriorUse::automatic:
      return "auto";
    case PriorUse::required:
      return "predictor";
    case PriorUse::none:
      break;
  }
  return "none";
}

class SequentialOptScale final : public BasicStrategy {
 public:
  explicit SequentialOptScale(SeqConfig config)
      : BasicStrategy(make_spec(config), config.budget, config.priors), config_(config) {}

  std::unique_ptr<ProblemPolicy> start(const ProblemInfo& problem) const override {
    std::optional<stats::FitPrior> prior;
    if (config_.prior != PriorUse::none) {
      prior = problem_prior(problem, config_.prior_std, config_.priors, spec_text());
      if (!prior && config_.prior == PriorUse::required)
        throw Error(spec_text() + " on problem '" + problem.id +
                    "': prior=predictor but the problem has no prior [mu, sigma] (use prior=auto "
                    "to fall back to the MLE)");
    }
    return std::make_unique<SequentialPolicy>(config_, fits_of(problem, spec_text()), prior);
  }

 private:
  static std::string make_spec(const SeqConfig& config) {
    SpecWriter writer("optscale-seq");
    writer.add("n", config.budget).add("peek", config.peek).add("batch", config.batch);
    writer.add("futility", config.futility);
    write_bound_config(writer, config.bound);
    writer.add("prior", to_text(config.prior)).add("prior_std", to_text(config.prior_std));
    write_prior_source(writer, config.priors);
    return writer.str();
  }
  SeqConfig config_;
};

}  // namespace

std::unique_ptr<Strategy> make_optscale_seq(SpecReader& reader) {
  SeqConfig config;
  config.budget = read_budget(reader);
  config.peek = read_peek(reader, config.budget);
  config.batch = reader.integer("batch", 1, 1, 100000);
  config.futility = reader.real("futility", config.futility,
                                [](double v) { return v >= 0.0 && v < 1.0; }, "a number in [0, 1)");
  config.bound = read_bound_config(reader);
  config.priors = read_prior_source(reader);
  // Naming a source means using it: prior defaults to predictor then.
  const std::string prior =
      reader.choice("prior", config.priors ? "predictor" : "none", {"none", "auto", "predictor"});
  if (prior == "none" && config.priors)
    reader.fail("prior", "prior=none ignores the spec's " + config.priors->key() + "; use prior=predictor or auto");
  config.prior = prior == "auto"        ? PriorUse::automatic
                 : prior == "predictor" ? PriorUse::required
                                        : PriorUse::none;
  config.prior_std = read_prior_std(reader, config.priors);
  return std::make_unique<SequentialOptScale>(config);
}

}  // namespace optscale::policy::detail
