// optscale0: OptScale^0, the one-shot decision on a maximum-likelihood fit of
// the peeked scores (one_shot.hpp).
#include "factories.hpp"
#include "one_shot.hpp"

namespace optscale::policy::detail {

namespace {

class OptScaleMle final : public BasicStrategy {
 public:
  explicit OptScaleMle(OneShotConfig config)
      : BasicStrategy(make_spec(config), config.budget), config_(config) {}
  std::unique_ptr<ProblemPolicy> start(const ProblemInfo& problem) const override {
    return std::make_unique<OneShotPolicy>(config_, fits_of(problem, spec_text()), std::nullopt);
  }

 private:
  static std::string make_spec(const OneShotConfig& config) {
    SpecWriter writer("optscale0");
    writer.add("n", config.budget).add("peek", config.peek);
    write_bound_config(writer, config.bound);
    return writer.str();
  }
  OneShotConfig config_;
};

}  // namespace

std::unique_ptr<Strategy> make_optscale0(SpecReader& reader) {
  OneShotConfig config;
  config.budget = read_budget(reader);
  config.peek = read_peek(reader, config.budget);
  config.bound = read_bound_config(reader);
  return std::make_unique<OptScaleMle>(config);
}

}  // namespace optscale::policy::detail
