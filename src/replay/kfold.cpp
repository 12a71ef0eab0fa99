#include "optscale/replay/kfold.hpp"

#include <numeric>
#include <string>

#include "optscale/replay/seeded_order.hpp"
#include "optscale/util/error.hpp"

namespace optscale::replay {

std::vector<int> kfold_assignment(std::size_t count, int folds, std::uint64_t seed) {
  require(folds >= 2, "k-fold split", [&] { return "need at least 2 folds, got " + std::to_string(folds); });
  require(static_cast<std::size_t>(folds) <= count, "k-fold split",
          [&] { return std::to_string(folds) + " folds need at least as many problems, got " +
              std::to_string(count); });
  std::vector<int> shuffled(count);
  std::iota(shuffled.begin(), shuffled.end(), 0);
  std::mt19937_64 rng(seed);
  shuffle_in_place(shuffled, rng);
  std::vector<int> fold(count);
  for (std::size_t position = 0; position < count; ++position)
    fold[static_cast<std::size_t>(shuffled[position])] = static_cast<int>(position % folds);
  return fold;
}

}  // namespace optscale::replay
