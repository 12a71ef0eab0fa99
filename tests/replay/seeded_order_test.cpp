#include "optscale/replay/seeded_order.hpp"
#include "optscale/replay/kfold.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>

#include "optscale/util/error.hpp"

namespace optscale::replay {
namespace {

TEST(SampleOrder, OneOrderIsThePoolOrder) {
  const std::vector<int> order = sample_order(64, 1, 12345, 7, 0);
  std::vector<int> identity(64);
  std::iota(identity.begin(), identity.end(), 0);
  EXPECT_EQ(order, identity);
}

TEST(SampleOrder, SeveralOrdersArePermutationsThatDependOnlyOnSeedProblemAndOrder) {
  const std::vector<int> a = sample_order(64, 10, 3, 5, 2);
  std::vector<int> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int> identity(64);
  std::iota(identity.begin(), identity.end(), 0);
  EXPECT_EQ(sorted, identity);
  EXPECT_NE(a, identity);
  EXPECT_EQ(a, sample_order(64, 10, 3, 5, 2));   // reproducible
  EXPECT_NE(a, sample_order(64, 10, 4, 5, 2));   // seed matters
  EXPECT_NE(a, sample_order(64, 10, 3, 6, 2));   // problem matters
  EXPECT_NE(a, sample_order(64, 10, 3, 5, 3));   // order matters
  // The number of orders only switches permuting on; order r is the same stream.
  EXPECT_EQ(a, sample_order(64, 20, 3, 5, 2));
}

TEST(SampleOrder, FixedSeedGivesAFixedPermutation) {
  // Pinned so that a change of generator or mixing (which would silently change
  // every published figure of a seeded replay) fails here.
  const std::vector<int> order = sample_order(8, 2, 0, 0, 0);
  std::vector<int> again = sample_order(8, 2, 0, 0, 0);
  EXPECT_EQ(order, again);
  auto rng = stream_generator(0, 0, 0);
  std::vector<int> manual(8);
  std::iota(manual.begin(), manual.end(), 0);
  shuffle_in_place(manual, rng);
  EXPECT_EQ(order, manual);
}

TEST(UniformBelow, StaysInRangeAndCoversIt) {
  std::mt19937_64 rng(1);
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 2000; ++i) {
    const auto v = uniform_below(rng, 7);
    ASSERT_LT(v, 7u);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 7u);
}

TEST(KFold, BalancedDeterministicAndSeeded) {
  const std::vector<int> folds = kfold_assignment(23, 5, 42);
  ASSERT_EQ(folds.size(), 23u);
  std::vector<int> sizes(5, 0);
  for (int f : folds) {
    ASSERT_GE(f, 0);
    ASSERT_LT(f, 5);
    ++sizes[static_cast<std::size_t>(f)];
  }
  EXPECT_EQ(*std::max_element(sizes.begin(), sizes.end()) - *std::min_element(sizes.begin(), sizes.end()), 1);
  EXPECT_EQ(folds, kfold_assignment(23, 5, 42));
  EXPECT_NE(folds, kfold_assignment(23, 5, 43));
}

TEST(KFold, ShufflesRatherThanSlicing) {
  const std::vector<int> folds = kfold_assignment(100, 4, 7);
  std::vector<int> round_robin(100), contiguous(100);
  for (int i = 0; i < 100; ++i) {
    round_robin[static_cast<std::size_t>(i)] = i % 4;
    contiguous[static_cast<std::size_t>(i)] = i / 25;
  }
  EXPECT_NE(folds, round_robin);
  EXPECT_NE(folds, contiguous);
}

TEST(KFold, RejectsImpossibleSplits) {
  EXPECT_THROW(kfold_assignment(10, 1, 0), Error);
  EXPECT_THROW(kfold_assignment(3, 4, 0), Error);
  EXPECT_NO_THROW(kfold_assignment(4, 4, 0));
}

// Pinned before the hashes moved to util/hash.hpp: replay orders must not move.
TEST(SeededOrder, StreamGeneratorIsPinned) {
  auto rng = stream_generator(7, 3, 1);
  EXPECT_EQ(rng(), 17596007659168384722ULL);
  EXPECT_EQ(rng(), 1055763192274213638ULL);
}

}  // namespace
}  // namespace optscale::replay
