// Pins the portable hashes bit for bit. The expected values were computed
// from the six copies these functions replaced, before they were merged:
// saved predictor models and seeded draws depend on every bit.
#include <gtest/gtest.h>

#include "optscale/util/hash.hpp"

namespace optscale::util {
namespace {

TEST(Hash, Fnv1a64MatchesTheStandardAndThePreviousCopies) {
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);  // the published FNV-1a test vector
  EXPECT_EQ(fnv1a64("optscale"), 0xc1cbcd1edd2627f0ULL);
  EXPECT_EQ(fnv1a64("42:3:5g"), 0x83f9235fb6be688aULL);  // the engine's jitter-seed key shape
  // A caller-chosen basis (answers' evaluation points keep their own).
  EXPECT_EQ(fnv1a64("x", 1469598103934665603ULL), 0x44bda3d473cdc381ULL);
  std::uint64_t h = kFnv1aOffset;
  for (char c : std::string_view("optscale")) h = fnv1a64_step(h, static_cast<unsigned char>(c));
  EXPECT_EQ(h, fnv1a64("optscale"));
}

TEST(Hash, SplitMix64MatchesThePreviousCopies) {
  EXPECT_EQ(splitmix64(0), 0xe220a8397b1dcdafULL);  // SplitMix64's first output from state 0
  EXPECT_EQ(splitmix64(1), 0x910a2dec89025cc1ULL);
  EXPECT_EQ(splitmix64(0xdeadbeef), 0x4adfb90f68c9eb9bULL);
  EXPECT_EQ(mix64(0), 0u);
  EXPECT_EQ(mix64(1), 0x5692161d100b05e5ULL);
  EXPECT_EQ(mix64(0xdeadbeef), 0x4e062702ec929eeaULL);
}

TEST(Hash, SplitMix64GeneratorAdvancesByTheGoldenGamma) {
  std::uint64_t state = 0;
  EXPECT_EQ(splitmix64_next(state), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(state, kGoldenGamma);
  EXPECT_EQ(splitmix64_next(state), splitmix64(kGoldenGamma));
}

TEST(Hash, EvaluationPointHashOfTheAnswersLayerIsKept) {
  // answers/equivalence.cpp: FNV-1a of a variable name from its own basis,
  // then SplitMix64 at (point + 1) golden gammas.
  const std::uint64_t expected[] = {0x5162a98576489f41ULL, 0x1284b07665bf4cdbULL, 0x9b786769a3c19be5ULL};
  for (int point = 0; point < 3; ++point)
    EXPECT_EQ(splitmix64(fnv1a64("x", 1469598103934665603ULL) + static_cast<std::uint64_t>(point) * kGoldenGamma),
              expected[point]);
}

static_assert(fnv1a64("a") == 0xaf63dc4c8601ec8cULL, "usable at compile time");

}  // namespace
}  // namespace optscale::util
