#include "optscale/replay/stream.hpp"

#include <algorithm>

#include "optscale/util/error.hpp"

namespace optscale::replay {

Stream make_stream(const pool::Problem& problem, const GradedProblem& graded,
                   std::span<const int> order) {
  const std::size_t n = order.size();
  Stream stream;
  stream.pool_index.assign(order.begin(), order.end());
  stream.observations.resize(n);
  stream.scores.resize(n);
  std::vector<int> renumbered(static_cast<std::size_t>(graded.class_count), -1);
  int next_class = 0;
  for (std::size_t position = 0; position < n; ++position) {
    const auto i = static_cast<std::size_t>(order[position]);
    const pool::Sample& sample = problem.samples[i];
    policy::Observation& observation = stream.observations[position];
    observation.score = sample.score;
    observation.tokens = sample.tokens;
    observation.empty = graded.empty[i] != 0;
    if (const int pool_class = graded.answer_class[i]; pool_class >= 0) {
      int& id = renumbered[static_cast<std::size_t>(pool_class)];
      if (id < 0) id = next_class++;
      observation.answer_class = id;
    }
    stream.scores[position] = sample.score;
  }
  return stream;
}

StreamOutcome run_on_stream(const policy::Strategy& strategy, const policy::ProblemInfo& problem,
                            std::span<const policy::Observation> stream) {
  const int limit = std::min(strategy.budget(), static_cast<int>(stream.size()));
  auto where = [&] { return "strategy '" + strategy.spec() + "' on problem '" + problem.id + "'"; };
  auto policy = strategy.start(problem);
  StreamOutcome outcome;
  for (;;) {
    const policy::Step step = policy->next(stream.first(static_cast<std::size_t>(outcome.consumed)));
    if (step.draw == 0) {
      outcome.reason = step.reason.empty() ? "unspecified" : step.reason;
      break;
    }
    require(step.draw > 0, where(), "asked to draw " + std::to_string(step.draw) + " samples");
    require(step.draw <= limit - outcome.consumed, where(),
            "asked for " + std::to_string(step.draw) + " more samples after " +
                std::to_string(outcome.consumed) + ", past its budget of " +
                std::to_string(limit));
    outcome.consumed += step.draw;
  }
  const auto drawn = stream.first(static_cast<std::size_t>(outcome.consumed));
  outcome.selected = policy->select(drawn);
  require(outcome.selected >= -1 && outcome.selected < outcome.consumed, where(),
          "selected sample " + std::to_string(outcome.selected) + " of " +
              std::to_string(outcome.consumed) + " drawn");
  for (const policy::Observation& observation : drawn) outcome.tokens += observation.tokens;
  return outcome;
}

}  // namespace optscale::replay
