// The project's portable hashes: FNV-1a over bytes and the SplitMix64 mixer.
// std::hash and the std:: distributions differ between standard libraries;
// these do not, so saved predictor models (hashed n-gram buckets), seeded
// draws (replay orders, folds, the simulator, mock faults) and request keys
// are the same everywhere. Their output is pinned by tests/util/hash_test.cpp:
// changing a bit here changes saved models and seeded results.
#pragma once
#include <cstdint>
#include <string_view>

namespace optscale::util {

inline constexpr std::uint64_t kFnv1aOffset = 0xcbf29ce484222325ULL;
inline constexpr std::uint64_t kFnv1aPrime = 0x100000001b3ULL;
// SplitMix64's increment (2^64 / golden ratio).
inline constexpr std::uint64_t kGoldenGamma = 0x9e3779b97f4a7c15ULL;

// One FNV-1a step: folds one byte into the running hash.
constexpr std::uint64_t fnv1a64_step(std::uint64_t h, unsigned char byte) { return (h ^ byte) * kFnv1aPrime; }

// FNV-1a of `bytes`, starting from `basis` (the standard offset unless a
// caller keeps its own, e.g. a seed folded into the offset).
constexpr std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t basis = kFnv1aOffset) {
  std::uint64_t h = basis;
  for (char c : bytes) h = fnv1a64_step(h, static_cast<unsigned char>(c));
  return h;
}

// SplitMix64's output function alone (no increment): a bijective avalanche
// of 64 bits, mix64(0) == 0.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// SplitMix64 as a pure function: the generator's next output for state x,
// i.e. mix64(x + golden gamma). Decorrelates nearby seeds.
constexpr std::uint64_t splitmix64(std::uint64_t x) { return mix64(x + kGoldenGamma); }

// SplitMix64 as a generator: advances `state` and returns the next draw.
constexpr std::uint64_t splitmix64_next(std::uint64_t& state) {
  state += kGoldenGamma;
  return mix64(state);
}

}  // namespace optscale::util
