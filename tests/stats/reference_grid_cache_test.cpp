// ReferenceGridCache: the reference's grid routine for many decisions on one
// law builds the law's curves once, and a cached grid answers exactly as a
// fresh one.
#include "optscale/stats/reference_grid.hpp"

#include <gtest/gtest.h>

#include <random>

namespace optscale::stats {
namespace {

TEST(ReferenceGridCache, FindsALawByItsExactParameters) {
  ReferenceGridCache cache;
  ReferenceGrid& first = cache.grid(0.9, 0.05);
  EXPECT_EQ(&cache.grid(0.9, 0.05), &first);
  EXPECT_EQ(cache.hits(), 1u);
  cache.grid(0.9, std::nextafter(0.05, 1.0));  // one ulp away: another law
  EXPECT_EQ(cache.misses(), 2u);
  EXPECT_EQ(cache.size(), 2u);
}

TEST(ReferenceGridCache, EvictsTheLeastRecentlyUsedLaw) {
  ReferenceGridCache cache(2);
  cache.grid(0.9, 0.05);
  cache.grid(0.8, 0.1);
  cache.grid(0.9, 0.05);  // now the most recent
  cache.grid(0.7, 0.2);   // evicts (0.8, 0.1)
  EXPECT_EQ(cache.size(), 2u);
  const std::size_t misses = cache.misses();
  cache.grid(0.9, 0.05);
  EXPECT_EQ(cache.misses(), misses);
  cache.grid(0.8, 0.1);
  EXPECT_EQ(cache.misses(), misses + 1);
}

TEST(ReferenceGridCache, BoundsTheCurvesItKeeps) {
  ReferenceGridCache cache(64, 10);
  cache.grid(0.5, 0.3).min_n(0.99, 0.01, 8);  // a hard law: all 8 curves
  cache.grid(0.4, 0.3).min_n(0.99, 0.01, 8);  // 16 curves in all, over the bound
  cache.grid(0.3, 0.3);                       // makes room: the oldest goes
  EXPECT_EQ(cache.size(), 2u);
  const std::size_t misses = cache.misses();
  cache.grid(0.4, 0.3);
  EXPECT_EQ(cache.misses(), misses);
  cache.grid(0.5, 0.3);
  EXPECT_EQ(cache.misses(), misses + 1);
}

TEST(ReferenceGridCache, CachedDecisionsEqualFreshOnes) {
  // Many decisions on a few laws, asked in a scrambled order through the
  // cached entry point, against a fresh grid for every decision.
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<double> mu(0.5, 1.1), sigma(0.01, 0.3);
  std::vector<std::pair<double, double>> laws;
  for (int i = 0; i < 12; ++i) laws.emplace_back(mu(rng), sigma(rng));
  const double targets[] = {0.85, 0.9, 0.95, 0.99};
  const double deltas[] = {0.01, 0.05, 0.1};
  for (int i = 0; i < 400; ++i) {
    const auto [m, s] = laws[rng() % laws.size()];
    const double target = targets[rng() % 4], delta = deltas[rng() % 3];
    const int budget = 1 + static_cast<int>(rng() % 64);
    const ReferenceGridResult cached = reference_grid_min_n(m, s, target, delta, budget);
    const ReferenceGridResult fresh = ReferenceGrid(m, s).min_n(target, delta, budget);
    EXPECT_EQ(cached.n, fresh.n) << m << " " << s << " " << target << " " << delta << " " << budget;
    EXPECT_EQ(cached.found, fresh.found);
  }
}

}  // namespace
}  // namespace optscale::stats
