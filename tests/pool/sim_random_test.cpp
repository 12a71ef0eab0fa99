// The simulator's portable random draws: the moments of each law, and the
// engine's sequence pinned so that a seed means the same pool everywhere.
#include <gtest/gtest.h>

#include <cmath>

#include "../../src/pool/sim_random.hpp"

namespace optscale::pool::sim {
namespace {

struct Moments {
  double mean = 0.0, variance = 0.0;
};

template <typename Draw>
Moments moments(Draw draw, int n = 200000) {
  double sum = 0.0, sq = 0.0;
  for (int i = 0; i < n; ++i) {
    const double x = draw();
    sum += x;
    sq += x * x;
  }
  const double mean = sum / n;
  return {mean, sq / n - mean * mean};
}

TEST(SimRandom, EngineSequenceIsTheStandardOne) {
  // [rand.predef]: the 10000th output of a default-seeded mt19937_64.
  std::mt19937_64 reference;
  reference.discard(9999);
  EXPECT_EQ(reference(), 9981545732273789042ULL);
  Random a(42), b(42);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.uniform(), b.uniform());
  EXPECT_NE(mix64(1), mix64(2));
}

TEST(SimRandom, UniformAndBelowStayInRange) {
  Random rng(1);
  for (int i = 0; i < 100000; ++i) {
    const double u = rng.uniform();
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    ASSERT_LT(rng.below(7), 7u);
  }
  const auto m = moments([&] { return rng.uniform(); });
  EXPECT_NEAR(m.mean, 0.5, 0.003);
  EXPECT_NEAR(m.variance, 1.0 / 12.0, 0.001);
}

TEST(SimRandom, NormalHasUnitMoments) {
  Random rng(2);
  const auto m = moments([&] { return rng.normal(); });
  EXPECT_NEAR(m.mean, 0.0, 0.01);
  EXPECT_NEAR(m.variance, 1.0, 0.01);
}

TEST(SimRandom, GammaMomentsForSmallAndLargeShapes) {
  Random rng(3);
  for (double shape : {0.2, 0.7, 1.0, 3.5, 40.0}) {
    const auto m = moments([&] { return rng.gamma(shape); });
    EXPECT_NEAR(m.mean, shape, 0.02 * shape + 0.005) << shape;
    EXPECT_NEAR(m.variance, shape, 0.05 * shape + 0.005) << shape;
  }
}

TEST(SimRandom, BetaMomentsIncludingBothShapesBelowOne) {
  Random rng(4);
  for (auto [a, b] : {std::pair{0.3, 0.2}, {0.05, 0.5}, {2.0, 5.0}, {150.0, 1.5}, {8.0, 0.15}}) {
    const double mean = a / (a + b), variance = a * b / ((a + b) * (a + b) * (a + b + 1.0));
    const auto m = moments([&, a = a, b = b] {
      const double x = rng.beta(a, b);
      EXPECT_TRUE(x >= 0.0 && x <= 1.0);
      return x;
    });
    EXPECT_NEAR(m.mean, mean, 0.004) << a << "," << b;
    EXPECT_NEAR(m.variance, variance, 0.03 * variance + 2e-5) << a << "," << b;
  }
}

}  // namespace
}  // namespace optscale::pool::sim
