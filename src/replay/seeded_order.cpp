#include "optscale/replay/seeded_order.hpp"
#include "optscale/util/hash.hpp"

#include <numeric>
#include <utility>

namespace optscale::replay {
std::mt19937_64 stream_generator(std::uint64_t seed, std::uint64_t problem, std::uint64_t order) {
  std::uint64_t state = seed;
  std::uint64_t mixed = util::splitmix64_next(state);
  state = mixed ^ problem;
  mixed = util::splitmix64_next(state);
  state = mixed ^ order;
  return std::mt19937_64(util::splitmix64_next(state));
}

std::uint64_t uniform_below(std::mt19937_64& rng, std::uint64_t bound) {
  // Rejection: only draws below the largest multiple of bound, so no value is favoured.
  const std::uint64_t limit = bound == 0 ? 0 : (~std::uint64_t{0} / bound) * bound;
  std::uint64_t draw;
  do draw = rng(); while (draw >= limit);
  return draw % bound;
}

void shuffle_in_place(std::vector<int>& values, std::mt19937_64& rng) {
  for (std::size_t i = values.size(); i > 1; --i) {
    const std::size_t j = uniform_below(rng, i);
    std::swap(values[i - 1], values[j]);
  }
}

std::vector<int> sample_order(int sample_count, int orders, std::uint64_t seed,
                              std::uint64_t problem, std::uint64_t order) {
  std::vector<int> indices(static_cast<std::size_t>(sample_count));
  std::iota(indices.begin(), indices.end(), 0);
  if (orders == 1) return indices;
  auto rng = stream_generator(seed, problem, order);
  shuffle_in_place(indices, rng);
  return indices;
}

}  // namespace optscale::replay
