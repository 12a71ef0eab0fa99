#include "optscale/replay/stream.hpp"

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

}  // namespace optscale::replay
