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

bool observations_valid(std::span<const Observation> observations) {
  for (const Observation& o : observations)
    if (!(std::isfinite(o.score) && o.score >= 0.0 && o.score <= 1.0) || o.tokens < 0 || o.answer_class < -1)
      return false;
  return true;
}

void check_observations(std::span<const Observation> observations, const RunName& name) {
  if (!observations_valid(observations)) validate_observations(observations, name.str());
}

}  // namespace

RunResult run_to_end(ProblemRun& run) {
  for (Step step = run.start(); step.draw > 0; step = run.take()) {
  }
  return run.finish();
}

RunResult run_policy(ProblemPolicy& policy, std::span<const Observation> observations) {
  const RunName name;
  check_observations(observations, name);
  const NumberedStream stream = NumberedStream::borrowing(observations);
  ProblemRun run(policy, ProblemRun::kNoBudget, name, stream);
  return run_to_end(run);
}

RunResult run_policy(const Strategy& strategy, const ProblemInfo& problem,
                     std::span<const Observation> observations) {
  const RunName name{&strategy, problem.id};
  check_observations(observations, name);
  const NumberedStream stream = NumberedStream::borrowing(observations);
  ProblemRun run(strategy.start(problem), strategy.budget(), name, stream);
  return run_to_end(run);
}

std::vector<RunResult> run_strategy(const Strategy& strategy,
                                    std::span<const ProblemInfo> problems,
                                    std::span<const std::vector<Observation>> observations) {
  std::vector<NumberedStream> streams;
  streams.reserve(observations.size());
  for (std::size_t i = 0; i < observations.size(); ++i) {
    if (i < problems.size()) check_observations(observations[i], RunName{&strategy, problems[i].id});
    streams.push_back(NumberedStream::borrowing(observations[i]));
  }
  return run_strategy_on_streams(strategy, problems, streams);
}

std::vector<RunResult> run_strategy_on_streams(const Strategy& strategy, std::span<const ProblemInfo> problems,
                                               std::span<const NumberedStream> streams) {
  require(problems.size() == streams.size(), strategy.spec(),
          [&] { return std::to_string(problems.size()) + " problems but " + std::to_string(streams.size()) +
              " observation lists"; });
  const ProbeFn probe = [&](std::size_t problem, int count) {
    require(problem < streams.size(), strategy.spec(),
            [&] { return "probe of problem " + std::to_string(problem) + " out of range"; });
    const NumberedStream& stream = streams[problem];
    require(count >= 0 && static_cast<std::size_t>(count) <= stream.size(), strategy.spec(),
            [&] { return "probe asked for " + std::to_string(count) + " samples of problem '" + problems[problem].id +
                "', which has " + std::to_string(stream.size()); });
    const auto probed = stream.prefix(static_cast<std::size_t>(count));
    return std::vector<Observation>(probed.begin(), probed.end());
  };
  const auto plan = strategy.plan(problems, probe);
  std::vector<RunResult> results;
  results.reserve(problems.size());
  for (std::size_t i = 0; i < problems.size(); ++i) {
    ProblemRun run(plan->start(i), strategy.budget(), RunName{&strategy, problems[i].id}, streams[i]);
    results.push_back(run_to_end(run));
  }
  return results;
}

}  // namespace optscale::policy
