#include "optscale/policy/run.hpp"

#include <cmath>
#include <string>

#include "optscale/util/error.hpp"

namespace optscale::policy {

void validate_observations(std::span<const Observation> observations, const std::string& where) {
  for (std::size_t i = 0; i < observations.size(); ++i) {
    const Observation& o = observations[i];
    const auto at = [&] { return where + ": sample " + std::to_string(i) + ": "; };
    if (!(std::isfinite(o.score) && o.score >= 0.0 && o.score <= 1.0))
      throw Error(at() + "score must be finite and in [0, 1], got " + std::to_string(o.score));
    if (o.tokens < 0) throw Error(at() + "tokens must be >= 0, got " + std::to_string(o.tokens));
    if (o.answer_class < -1)
      throw Error(at() + "answer class must be >= -1, got " + std::to_string(o.answer_class));
  }
}

namespace {

// Names the run in error messages; built only when something fails, since the
// replay drives millions of runs.
struct RunName {
  const Strategy* strategy = nullptr;
  const ProblemInfo* problem = nullptr;
  std::string str() const {
    if (strategy == nullptr) return "policy run";
    return strategy->spec() + (problem ? " on problem '" + problem->id + "'" : std::string());
  }
};

// `what` makes the message, called only on failure: these checks run on
// every round of every run, and building strings there cost ~5% of a replay.
template <class Message>
void check(bool condition, const RunName& name, const Message& what) {
  if (!condition) throw Error(name.str() + ": " + what());
}

bool observations_valid(std::span<const Observation> observations) {
  for (const Observation& o : observations)
    if (!(std::isfinite(o.score) && o.score >= 0.0 && o.score <= 1.0) || o.tokens < 0 ||
        o.answer_class < -1)
      return false;
  return true;
}

RunResult drive(ProblemPolicy& policy, std::span<const Observation> observations,
                const RunName& name) {
  if (!observations_valid(observations)) validate_observations(observations, name.str());
  RunResult result;
  for (;;) {
    const Step step = policy.next(observations.first(static_cast<std::size_t>(result.consumed)));
    check(step.draw >= 0, name, [] { return std::string("policy asked for a negative number of samples"); });
    if (step.draw == 0) {
      check(!step.reason.empty(), name, [] { return std::string("policy stopped without a reason"); });
      result.reason = step.reason;
      break;
    }
    const long long wanted = static_cast<long long>(result.consumed) + step.draw;
    check(wanted <= static_cast<long long>(observations.size()), name, [&] {
      return "policy asked for " + std::to_string(wanted) + " samples but only " +
             std::to_string(observations.size()) + " are available";
    });
    result.consumed = static_cast<int>(wanted);
    ++result.rounds;
  }
  const auto used = observations.first(static_cast<std::size_t>(result.consumed));
  result.selected = policy.select(used);
  check(result.selected >= -1 && result.selected < result.consumed, name, [&] {
    return "policy selected sample " + std::to_string(result.selected) + " of " +
           std::to_string(result.consumed) + " consumed";
  });
  for (const Observation& o : used) result.tokens += o.tokens;
  return result;
}

RunResult checked_within_budget(RunResult result, const Strategy& strategy, const RunName& name) {
  check(result.consumed <= strategy.budget(), name, [&] {
    return "drew " + std::to_string(result.consumed) + " samples, over its budget of " +
           std::to_string(strategy.budget());
  });
  return result;
}

}  // namespace

RunResult run_policy(ProblemPolicy& policy, std::span<const Observation> observations) {
  return drive(policy, observations, RunName{});
}

RunResult run_policy(const Strategy& strategy, const ProblemInfo& problem,
                     std::span<const Observation> observations) {
  const RunName name{&strategy, &problem};
  auto policy = strategy.start(problem);
  return checked_within_budget(drive(*policy, observations, name), strategy, name);
}

std::vector<RunResult> run_strategy(const Strategy& strategy,
                                    std::span<const ProblemInfo> problems,
                                    std::span<const std::vector<Observation>> observations) {
  require(problems.size() == observations.size(), strategy.spec(),
          std::to_string(problems.size()) + " problems but " +
              std::to_string(observations.size()) + " observation lists");
  const ProbeFn probe = [&](std::size_t problem, int count) {
    require(problem < observations.size(), strategy.spec(),
            "probe of problem " + std::to_string(problem) + " out of range");
    const auto& list = observations[problem];
    require(count >= 0 && static_cast<std::size_t>(count) <= list.size(), strategy.spec(),
            "probe asked for " + std::to_string(count) + " samples of problem '" +
                problems[problem].id + "', which has " + std::to_string(list.size()));
    return std::vector<Observation>(list.begin(), list.begin() + count);
  };
  const auto plan = strategy.plan(problems, probe);
  std::vector<RunResult> results;
  results.reserve(problems.size());
  for (std::size_t i = 0; i < problems.size(); ++i) {
    const RunName name{&strategy, &problems[i]};
    auto policy = plan->start(i);
    results.push_back(checked_within_budget(drive(*policy, observations[i], name), strategy, name));
  }
  return results;
}

}  // namespace optscale::policy
