// K-fold splits of problems for honest tuning: a seeded shuffle, then fold
// sizes that differ by at most one.
#pragma once
#include <cstdint>
#include <vector>

namespace optscale::replay {

// fold[i] in [0, folds) for each of `count` problems. Problems are shuffled
// with std::mt19937_64(seed) (Fisher-Yates with an explicit, portable
// uniform draw), then dealt round-robin, so fold sizes differ by at most one
// and the split is the same on every platform. Throws optscale::Error unless
// 2 <= folds <= count.
std::vector<int> kfold_assignment(std::size_t count, int folds, std::uint64_t seed);

}  // namespace optscale::replay
