#include "optscale_common.hpp"

#include <cmath>

#include "optscale/policy/peek.hpp"
#include "optscale/policy/stop_reason.hpp"
#include "optscale/util/error.hpp"

namespace optscale::policy::detail {

stats::FitBounds BoundConfig::fit_bounds() const {
  return reference_bounds ? stats::FitBounds::reference_parity() : stats::FitBounds{};
}

BoundConfig read_bound_config(SpecReader& reader) {
  BoundConfig config;
  config.target = reader.real("target", config.target,
                              [](double v) { return v >= 0.0 && v <= 1.0; }, "a number in [0, 1]");
  const auto in_open_unit = [](double v) { return v > 0.0 && v < 1.0; };
  const bool has_confidence = reader.has("confidence");
  const bool has_delta = reader.has("delta");
  if (has_confidence && has_delta) reader.fail("give confidence or delta (= 1 - confidence), not both");
  // A delta below about 1.1e-16 gives a confidence of exactly 1 in double
  // precision, which the canonical spec could not write back (confidence < 1).
  if (has_delta)
    config.confidence = 1.0 - reader.real("delta", std::nullopt,
                                          [&](double v) { return in_open_unit(v) && 1.0 - v < 1.0; },
                                          "a number in (0, 1) at least about 1.1e-16 (1 - delta must differ from 1)");
  else
    config.confidence = reader.real("confidence", config.confidence, in_open_unit, "a number in (0, 1)");
  config.method =
      stats::parse_bound_method(reader.choice("method", "exact", {"exact", "grid"}));
  config.reference_bounds = reader.choice("bounds", "default", {"default", "reference"}) == "reference";
  return config;
}

void write_bound_config(SpecWriter& writer, const BoundConfig& config) {
  writer.add("target", config.target)
      .add("confidence", config.confidence)
      .add("method", stats::to_string(config.method))
      .add("bounds", config.reference_bounds ? "reference" : "default");
}

PriorStdConfig read_prior_std(SpecReader& reader, const std::optional<PriorSource>& source) {
  PriorStdConfig config;
  const bool has_key = reader.has("prior_std");
  if ((has_key && reader.text("prior_std") == "predictor") ||
      (!has_key && source && source->kind == PriorSource::Kind::model)) {
    config.from_predictor = true;
    return config;
  }
  config.value = reader.real("prior_std", config.value, [](double v) { return v > 0.0; },
                             "a number > 0 or 'predictor'");
  return config;
}

std::string to_text(const PriorStdConfig& config) {
  return config.from_predictor ? "predictor" : format_number(config.value);
}

namespace {

// Throws "<who> on problem '<id>': <what>" unless `condition` holds; the
// message is built only on failure (these run for every policy started).
void require_for(bool condition, const ProblemInfo& problem, const std::string& who, const char* what) {
  if (!condition) throw Error(who + " on problem '" + problem.id + "': " + what);
}

}  // namespace

std::optional<stats::FitPrior> problem_prior(const ProblemInfo& problem, const PriorStdConfig& config,
                                             const std::optional<PriorSource>& source,
                                             const std::string& who) {
  require_prior_resolved(problem, source, who);
  if (!problem.prior) return std::nullopt;
  const auto& mean = *problem.prior;
  require_for(std::isfinite(mean[0]) && std::isfinite(mean[1]), problem, who, "prior [mu, sigma] must be finite");
  stats::FitPrior prior;
  prior.mean_mu = mean[0];
  prior.mean_sigma = mean[1];
  if (config.from_predictor) {
    require_for(problem.prior_std.has_value(), problem, who,
                "prior_std=predictor but the problem has no predictor std");
    prior.std_mu = (*problem.prior_std)[0];
    prior.std_sigma = (*problem.prior_std)[1];
    require_for(std::isfinite(prior.std_mu) && prior.std_mu > 0.0 && std::isfinite(prior.std_sigma) &&
                    prior.std_sigma > 0.0,
                problem, who, "predictor prior stds must be finite and > 0");
  } else {
    prior.std_mu = config.value;
    prior.std_sigma = config.value;
  }
  return prior;
}

FitProvider& fits_of(const ProblemInfo& problem, const std::string& who) {
  require_for(problem.fits != nullptr, problem, who, "no fit provider (ProblemInfo::fits is null)");
  return *problem.fits;
}

stats::TruncatedNormal law_of(const stats::FitResult& fit) {
  return stats::TruncatedNormal(fit.mu, fit.sigma);
}

std::string stop_reason_of(stats::BoundOutcome outcome) {
  switch (outcome) {
    case stats::BoundOutcome::capped:
      return stop_reason::kCapped;
    case stats::BoundOutcome::unreachable:
      return stop_reason::kUnreachable;
    case stats::BoundOutcome::reached:
    case stats::BoundOutcome::certain:
      break;
  }
  return stop_reason::kBound;
}

int read_peek(SpecReader& reader, int budget) {
  const int peek = reader.integer("peek", default_peek(budget), 1, 100000);
  if (peek > budget)
    reader.fail("peek", "must not exceed the budget n=" + std::to_string(budget) + ", got " +
                            std::to_string(peek));
  return peek;
}

double chance_to_reach(const stats::TruncatedNormal& law, double target, int remaining) {
  // -expm1(r log F): exact for F near 1; log F = -inf gives 1.
  return -std::expm1(remaining * law.log_cdf(target));
}

}  // namespace optscale::policy::detail
