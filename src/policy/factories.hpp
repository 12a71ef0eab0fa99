// One factory per strategy (each defined next to its strategy), used by
// make_strategy's registry. Each asks the reader for every key it knows.
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "optscale/policy/policy.hpp"
#include "spec_reader.hpp"

namespace optscale::policy::detail {

// Base of every strategy here: the canonical spec is built once, at
// construction, since runners ask for it per problem.
class BasicStrategy : public Strategy {
 public:
  BasicStrategy(std::string spec, int budget, std::optional<PriorSource> priors = std::nullopt)
      : spec_(std::move(spec)), budget_(budget), priors_(std::move(priors)) {}
  std::string spec() const final { return spec_; }
  int budget() const final { return budget_; }
  std::optional<PriorSource> prior_source() const final { return priors_; }

 protected:
  const std::string& spec_text() const { return spec_; }

 private:
  std::string spec_;
  int budget_;
  std::optional<PriorSource> priors_;  // the spec's predictor= or priors=
};

// A per-problem strategy that starts every problem with the same policy,
// made from the configuration alone (bon, sc, wsc, esc, asc).
template <class Policy, class Config>
class ConfiguredStrategy final : public BasicStrategy {
 public:
  ConfiguredStrategy(std::string spec, int budget, Config config)
      : BasicStrategy(std::move(spec), budget), config_(std::move(config)) {}
  std::unique_ptr<ProblemPolicy> start(const ProblemInfo&) const override {
    return std::make_unique<Policy>(config_);
  }

 private:
  Config config_;
};

// A ConfiguredStrategy of `config.budget` under the canonical spec `spec`.
template <class Policy, class Config>
std::unique_ptr<Strategy> configured(const SpecWriter& spec, Config config) {
  const int budget = config.budget;
  return std::make_unique<ConfiguredStrategy<Policy, Config>>(spec.str(), budget, std::move(config));
}

std::unique_ptr<Strategy> make_bon(SpecReader& reader);
std::unique_ptr<Strategy> make_sc(SpecReader& reader);
std::unique_ptr<Strategy> make_wsc(SpecReader& reader);
std::unique_ptr<Strategy> make_esc(SpecReader& reader);
std::unique_ptr<Strategy> make_asc(SpecReader& reader);
std::unique_ptr<Strategy> make_dsc(SpecReader& reader);
std::unique_ptr<Strategy> make_optscale0(SpecReader& reader);
std::unique_ptr<Strategy> make_optscalet(SpecReader& reader);
std::unique_ptr<Strategy> make_optscale_seq(SpecReader& reader);
std::unique_ptr<Strategy> make_hybrid(SpecReader& reader);

// The budget key every strategy has: n, required, 1..100000.
int read_budget(SpecReader& reader);
// none_votes=0|1 (default 0): whether samples without an answer vote.
bool read_none_votes(SpecReader& reader);
// threshold (default 0.95, in (0.5, 1)): ASC's stopping level, shared with dsc.
double read_asc_threshold(SpecReader& reader);

}  // namespace optscale::policy::detail
