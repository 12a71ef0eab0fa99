#include "optscale/replay/stream.hpp"

#include <string>

#include "optscale/policy/run.hpp"

namespace optscale::replay {

Stream make_stream(const pool::Problem& problem, GradedProblem& graded, std::span<const int> order) {
  const std::size_t n = order.size();
  Stream stream;
  stream.pool_index.assign(order.begin(), order.end());
  std::vector<policy::Observation> observations(n);
  std::vector<int> answer_ids(n);
  stream.scores.resize(n);
  for (std::size_t position = 0; position < n; ++position) {
    const auto i = static_cast<std::size_t>(order[position]);
    const pool::Sample& sample = problem.samples[i];
    policy::Observation& observation = observations[position];
    observation.score = sample.score;
    observation.tokens = sample.tokens;
    observation.empty = graded.empty[i] != 0;
    answer_ids[position] = graded.answer_id[i];
    stream.scores[position] = sample.score;
  }
  policy::validate_observations(observations, "problem '" + problem.id + "'");
  stream.numbered = policy::NumberedStream::number(std::move(observations), answer_ids, graded.answers);
  return stream;
}

}  // namespace optscale::replay
