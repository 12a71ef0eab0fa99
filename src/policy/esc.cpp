// esc (paper-spec §5): draw non-overlapping windows of w; stop at the end of
// the first window whose w answers agree; vote over everything drawn. A
// budget that is not a multiple of w ends with a partial window, drawn but
// never checked; a budget below w is drawn whole.
#include <algorithm>

#include "factories.hpp"
#include "optscale/policy/stop_reason.hpp"
#include "optscale/policy/vote.hpp"

namespace optscale::policy::detail {

namespace {

struct EscConfig {
  int budget;
  int window;
  bool none_votes;
};

class EarlyStoppingPolicy final : public ProblemPolicy {
 public:
  explicit EarlyStoppingPolicy(EscConfig config) : config_(config) {}
  Step next(std::span<const Observation> observed) override {
    const int drawn = static_cast<int>(observed.size());
    if (drawn > 0 && drawn % config_.window == 0 &&
        all_agree(observed.last(static_cast<std::size_t>(config_.window)), config_.none_votes))
      return Step::stop(stop_reason::kConsistent);
    if (drawn >= config_.budget) return Step::stop(stop_reason::kBudget);
    return Step::more(std::min(config_.window, config_.budget - drawn));
  }
  int select(std::span<const Observation> observed) const override {
    return majority_vote(observed, config_.none_votes);
  }

 private:
  EscConfig config_;
};

}  // namespace

std::unique_ptr<Strategy> make_esc(SpecReader& reader) {
  EscConfig config{};
  config.budget = read_budget(reader);
  config.window = reader.integer("window", 5, 1, 100000);
  config.none_votes = read_none_votes(reader);
  SpecWriter spec("esc");
  spec.add("n", config.budget).add("window", config.window).add("none_votes", config.none_votes ? 1 : 0);
  return configured<EarlyStoppingPolicy>(spec, config);
}

}  // namespace optscale::policy::detail
