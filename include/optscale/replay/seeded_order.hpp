// The seeded sample orders of a replay: order r of problem p is a permutation
// that depends only on (seed, p, r), never on threads or other problems.
#pragma once
#include <cstdint>
#include <random>
#include <vector>

namespace optscale::replay {

// A generator for one (seed, problem, order) stream: the three are mixed with
// SplitMix64 into a std::mt19937_64 seed sequence.
std::mt19937_64 stream_generator(std::uint64_t seed, std::uint64_t problem, std::uint64_t order);

// Uniform integer in [0, bound) by rejection from 64-bit draws (std's
// distributions differ between standard libraries; this does not).
std::uint64_t uniform_below(std::mt19937_64& rng, std::uint64_t bound);

// Fisher-Yates shuffle of `values` driven by uniform_below.
void shuffle_in_place(std::vector<int>& values, std::mt19937_64& rng);

// The sample order used for (problem, order): 0, 1, ..., n-1 when `orders` is 1
// (the pool order, the paper's protocol); otherwise a seeded permutation.
std::vector<int> sample_order(int sample_count, int orders, std::uint64_t seed,
                              std::uint64_t problem, std::uint64_t order);

}  // namespace optscale::replay
