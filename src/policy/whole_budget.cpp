// bon, sc and wsc: draw the whole budget in one round, then select: the best
// score (with the reference's empty-completion rule), the majority answer, or
// the answer with the highest total score.
#include "factories.hpp"
#include "optscale/policy/selection.hpp"
#include "optscale/policy/stop_reason.hpp"
#include "optscale/policy/vote.hpp"

namespace optscale::policy::detail {

namespace {

struct WholeBudgetConfig {
  int budget = 0;
  bool none_votes = false;
  int (*choose)(std::span<const Observation> observed, bool none_votes) = nullptr;
};

class WholeBudgetPolicy final : public ProblemPolicy {
 public:
  explicit WholeBudgetPolicy(const WholeBudgetConfig& config) : config_(config) {}
  Step next(std::span<const Observation> observed) override {
    if (observed.empty()) return Step::more(config_.budget);
    return Step::stop(stop_reason::kBudget);
  }
  int select(std::span<const Observation> observed) const override {
    return config_.choose(observed, config_.none_votes);
  }

 private:
  WholeBudgetConfig config_;
};

std::unique_ptr<Strategy> make_vote(SpecReader& reader, const char* name,
                                    int (*choose)(std::span<const Observation>, bool)) {
  WholeBudgetConfig config;
  config.budget = read_budget(reader);
  config.none_votes = read_none_votes(reader);
  config.choose = choose;
  SpecWriter spec(name);
  spec.add("n", config.budget).add("none_votes", config.none_votes ? 1 : 0);
  return configured<WholeBudgetPolicy>(spec, config);
}

}  // namespace

std::unique_ptr<Strategy> make_bon(SpecReader& reader) {
  WholeBudgetConfig config;
  config.budget = read_budget(reader);
  config.choose = [](std::span<const Observation> observed, bool) { return best_of_n(observed); };
  SpecWriter spec("bon");
  spec.add("n", config.budget);
  return configured<WholeBudgetPolicy>(spec, config);
}

std::unique_ptr<Strategy> make_sc(SpecReader& reader) { return make_vote(reader, "sc", majority_vote); }

std::unique_ptr<Strategy> make_wsc(SpecReader& reader) { return make_vote(reader, "wsc", weighted_vote); }

}  // namespace optscale::policy::detail
