#include "optscale/policy/selection.hpp"

#include <vector>

namespace optscale::policy {

int best_of_n(std::span<const Observation> observed) {
  if (observed.empty()) return -1;
  std::vector<double> scores;
  scores.reserve(observed.size());
  for (const Observation& o : observed) scores.push_back(o.score);
  auto first_argmax = [&scores] {
    std::size_t best = 0;
    for (std::size_t i = 1; i < scores.size(); ++i)
      if (scores[i] > scores[best]) best = i;
    return best;
  };
  std::size_t chosen = first_argmax();
  while (observed[chosen].empty) {
    scores[chosen] = 0.0;
    chosen = first_argmax();
    // Scores are in [0, 1], so a maximum of 0 means nothing usable is left.
    if (scores[chosen] == 0.0) return -1;
  }
  return static_cast<int>(chosen);
}

double best_usable_score(std::span<const Observation> observed) {
  double best = -1.0;
  for (const Observation& o : observed)
    if (!o.empty && o.score > best) best = o.score;
  return best;
}

}  // namespace optscale::policy
