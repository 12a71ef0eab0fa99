// asc: adaptive self-consistency with the Beta criterion (asc_core.hpp).
#include "asc_core.hpp"
#include "factories.hpp"

namespace optscale::policy::detail {

namespace {

struct AscConfig {
  int budget;
  double threshold;
  bool none_votes;
};

class AdaptivePolicy final : public ProblemPolicy {
 public:
  explicit AdaptivePolicy(const AscConfig& c) : core_(c.budget, c.threshold, c.none_votes) {}
  Step next(std::span<const Observation> observed) override { return core_.next(observed); }
  int select(std::span<const Observation> observed) const override { return core_.select(observed); }

 private:
  AscCore core_;
};

}  // namespace

double read_asc_threshold(SpecReader& reader) {
  return reader.real("threshold", 0.95, [](double v) { return v > 0.5 && v < 1.0; },
                     "a number in (0.5, 1)");
}

std::unique_ptr<Strategy> make_asc(SpecReader& reader) {
  AscConfig config{};
  config.budget = read_budget(reader);
  config.threshold = read_asc_threshold(reader);
  config.none_votes = read_none_votes(reader);
  SpecWriter spec("asc");
  spec.add("n", config.budget).add("threshold", config.threshold).add("none_votes", config.none_votes ? 1 : 0);
  return configured<AdaptivePolicy>(spec, config);
}

}  // namespace optscale::policy::detail
