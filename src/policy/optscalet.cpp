// optscalet: OptScale^t, the one-shot decision on a MAP fit with Gaussian
// priors centred on the problem's predicted [mu, sigma] (one_shot.hpp).
// The prior is the problem's own, or resolved by the runner from the spec's
// predictor=PATH or priors=PATH. A problem without a prior is an error, or
// (missing_prior=mle) gets the MLE.
#include "factories.hpp"
#include "one_shot.hpp"
#include "optscale/util/error.hpp"

namespace optscale::policy::detail {

namespace {

struct MapConfig {
  OneShotConfig one_shot;
  PriorStdConfig prior_std;
  bool mle_without_prior = false;
  std::optional<PriorSource> priors;  // predictor= / priors=; none: the problem's own
};

class OptScaleMap final : public BasicStrategy {
 public:
  explicit OptScaleMap(MapConfig config)
      : BasicStrategy(make_spec(config), config.one_shot.budget, config.priors), config_(config) {}
  std::unique_ptr<ProblemPolicy> start(const ProblemInfo& problem) const override {
    auto prior = problem_prior(problem, config_.prior_std, config_.priors, spec_text());
    if (!prior && !config_.mle_without_prior)
      throw Error(spec_text() + " on problem '" + problem.id +
                  "': the problem has no prior [mu, sigma] (give the pool priors, name predictor=PATH "
                  "or priors=PATH, or add missing_prior=mle)");
    return std::make_unique<OneShotPolicy>(config_.one_shot, fits_of(problem, spec_text()), prior);
  }

 private:
  static std::string make_spec(const MapConfig& config) {
    SpecWriter writer("optscalet");
    writer.add("n", config.one_shot.budget).add("peek", config.one_shot.peek);
    write_bound_config(writer, config.one_shot.bound);
    writer.add("prior_std", to_text(config.prior_std))
        .add("missing_prior", config.mle_without_prior ? "mle" : "error");
    write_prior_source(writer, config.priors);
    return writer.str();
  }
  MapConfig config_;
};

}  // namespace

std::unique_ptr<Strategy> make_optscalet(SpecReader& reader) {
  MapConfig config;
  config.one_shot.budget = read_budget(reader);
  config.one_shot.peek = read_peek(reader, config.one_shot.budget);
  config.one_shot.bound = read_bound_config(reader);
  config.priors = read_prior_source(reader);
  config.prior_std = read_prior_std(reader, config.priors);
  config.mle_without_prior = reader.choice("missing_prior", "error", {"error", "mle"}) == "mle";
  return std::make_unique<OptScaleMap>(config);
}

}  // namespace optscale::policy::detail
