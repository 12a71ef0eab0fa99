// The sample-count bound: the exact method against mpmath (tests/data
// table), its edge-case rules, its verified rounding, the grid method's
// documented failures, the peek rule, and input validation.
#include "optscale/stats/sample_bound.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <random>

#include "optscale/stats/reference_grid.hpp"
#include "optscale/util/error.hpp"
#include "reference_table.hpp"

namespace optscale::stats {
namespace {

using testing::reference_rows;

SampleBound exact(double mu, double sigma, double target, double delta, int budget, int peek = 0) {
  SampleBoundRequest request;
  request.target = target;
  request.risk = delta;
  request.budget = budget;
  request.peek = peek;
  return required_samples(TruncatedNormal(mu, sigma), request);
}

SampleBound grid(double mu, double sigma, double target, double delta, int budget, int peek = 0) {
  SampleBoundRequest request;
  request.target = target;
  request.risk = delta;
  request.budget = budget;
  request.peek = peek;
  request.method = BoundMethod::grid;
  return required_samples(TruncatedNormal(mu, sigma), request);
}

TEST(SampleBound, MatchesMpmath) {
  for (const auto& row : reference_rows("bound")) {
    const double mu = row.number(0), sigma = row.number(1), target = row.number(2),
                 delta = row.number(3);
    const int budget = static_cast<int>(row.number(4));
    const SampleBound got = exact(mu, sigma, target, delta, budget);
    const std::string where = "mu=" + row.text[0] + " sigma=" + row.text[1] +
                              " target=" + row.text[2] + " delta=" + row.text[3];
    EXPECT_EQ(got.n, static_cast<int>(row.number(5))) << where;
    EXPECT_EQ(to_string(got.outcome), row.text[6]) << where;
    EXPECT_LE(testing::relative_error(got.p_success, row.number(7)), 1e-13) << where;
  }
}

TEST(SampleBound, EdgeCaseOutcomes) {
  // target <= 0: F = 0, one draw is certain.
  for (double t : {0.0, -0.5, -1e300}) {
    const SampleBound b = exact(0.5, 0.1, t, 0.05, 64);
    EXPECT_EQ(b.n, 1);
    EXPECT_EQ(b.outcome, BoundOutcome::certain);
    EXPECT_EQ(b.p_success, 1.0);
  }
  // target >= 1: F = 1, unreachable, the whole budget.
  for (double t : {1.0, 1.5, 1e300}) {
    const SampleBound b = exact(0.5, 0.1, t, 0.05, 64);
    EXPECT_EQ(b.n, 64);
    EXPECT_EQ(b.outcome, BoundOutcome::unreachable);
    EXPECT_EQ(b.p_success, 0.0);
  }
  // Capped: N* = 1000-ish > 64.
  const SampleBound capped = exact(0.5, 0.1, 0.85, 0.01, 64);
  EXPECT_EQ(capped.outcome, BoundOutcome::capped);
  EXPECT_EQ(capped.n, 64);
  EXPECT_LT(capped.p_success, 0.99);
  EXPECT_GT(capped.p_success, 0.0);
  // Survival far below double range: capped (not unreachable), P rounds to 0.
  const SampleBound tiny = exact(0.2, 0.001, 0.9, 0.05, 64);
  EXPECT_EQ(tiny.outcome, BoundOutcome::capped);
  EXPECT_EQ(tiny.p_success, 0.0);
  // Reached exactly at the budget.
  const TruncatedNormal law(0.9, 0.05);
  const double ratio = std::log(0.05) / law.log_cdf(0.97);
  const int n_star = static_cast<int>(std::ceil(ratio));
  EXPECT_EQ(exact(0.9, 0.05, 0.97, 0.05, n_star).outcome, BoundOutcome::reached);
  EXPECT_EQ(exact(0.9, 0.05, 0.97, 0.05, n_star - 1).outcome, BoundOutcome::capped);
}

TEST(SampleBound, SigmaToZeroLimits) {
  // The law collapses onto mu: one draw when mu is above the target, the
  // median case ceil(log2(1/delta)) when mu == target, capped below.
  for (double sigma : {1e-6, 1e-9, 1e-12}) {
    EXPECT_EQ(exact(0.5, sigma, 0.4, 0.05, 64).n, 1);
    EXPECT_EQ(exact(0.5, sigma, 0.5, 0.05, 64).n, 5);  // 2^-5 <= 0.05 < 2^-4
    EXPECT_EQ(exact(0.5, sigma, 0.5, 0.01, 64).n, 7);
    EXPECT_EQ(exact(0.5, sigma, 0.6, 0.05, 64).outcome, BoundOutcome::capped);
  }
}

TEST(SampleBound, SigmaSoSmallThatTheLogsOverflow) {
  // (0.9 - 0.5) / 1e-200 squared overflows: no representable mass above.
  EXPECT_EQ(exact(0.5, 1e-200, 0.9, 0.05, 64).outcome, BoundOutcome::unreachable);
  EXPECT_EQ(exact(0.5, 1e-200, 0.9, 0.05, 64).n, 64);
  EXPECT_EQ(exact(0.5, 1e-200, 0.1, 0.05, 64).outcome, BoundOutcome::certain);
  EXPECT_EQ(exact(0.5, 1e-200, 0.1, 0.05, 64).n, 1);
  // At 1e-100 the logs are still finite: capped, with P underflowing to 0.
  EXPECT_EQ(exact(0.5, 1e-100, 0.9, 0.05, 64).outcome, BoundOutcome::capped);
}

TEST(SampleBound, FarOutsideTheUnitInterval) {
  // paper-spec §1: mu = 80, sigma = 1.5 needs 1/2/9 samples for s* = 0.85/0.95/0.99.
  EXPECT_EQ(exact(80.0, 1.5, 0.85, 0.05, 64).n, 1);
  EXPECT_EQ(exact(80.0, 1.5, 0.95, 0.05, 64).n, 2);
  EXPECT_EQ(exact(80.0, 1.5, 0.99, 0.05, 64).n, 9);
  // ... where the reference grid underflows to NaN and spends the budget.
  EXPECT_EQ(grid(80.0, 1.5, 0.85, 0.05, 64).n, 64);
  EXPECT_EQ(grid(80.0, 1.5, 0.85, 0.05, 64).outcome, BoundOutcome::capped);
  // mu = 0.95, sigma = 1e-6: the right answer is 1, the grid says 64.
  EXPECT_EQ(exact(0.95, 1e-6, 0.85, 0.05, 64).n, 1);
  EXPECT_EQ(grid(0.95, 1e-6, 0.85, 0.05, 64).n, 64);
  // mu far below 0: the mass piles at 0, a target of 0.5 is out of reach.
  EXPECT_EQ(exact(-50.0, 1.0, 0.5, 0.05, 64).outcome, BoundOutcome::capped);
  EXPECT_EQ(exact(-50.0, 1.0, 1e-4, 0.05, 64).n, 1);  // the pile at 0 is ~1/50 wide
}

TEST(SampleBound, RoundingIsVerifiedOnTheCriterion) {
  // For seeded random laws, targets and deltas, the returned n is the
  // smallest with n ln F <= ln delta, as computed.
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> mu_dist(-0.5, 1.5), log_sigma(-12.0, 1.0),
      target_dist(0.01, 0.999), log_delta(-20.0, -0.01);
  int reached = 0;
  for (int i = 0; i < 20000; ++i) {
    const double mu = mu_dist(rng), sigma = std::exp(log_sigma(rng)), target = target_dist(rng);
    const double delta = std::exp(log_delta(rng));
    const TruncatedNormal law(mu, sigma);
    const SampleBound b = exact(mu, sigma, target, delta, 1000000);
    if (b.outcome != BoundOutcome::reached) continue;
    ++reached;
    const double log_f = law.log_cdf(target);
    ASSERT_LE(b.n * log_f, std::log(delta)) << mu << " " << sigma << " " << target;
    if (b.n > 1) {
      ASSERT_GT((b.n - 1) * log_f, std::log(delta)) << mu << " " << sigma << " " << target;
    }
    ASSERT_GE(b.p_success, 1.0 - delta - 1e-15);
  }
  EXPECT_GT(reached, 1000);
}

TEST(SampleBound, ConfidenceFormEqualsRiskForm) {
  const TruncatedNormal law(0.92, 0.04);
  for (double c : {0.5, 0.9, 0.95, 0.99}) {
    SampleBoundRequest request;
    request.target = 0.97;
    request.risk = 1.0 - c;
    request.budget = 64;
    const SampleBound a = required_samples(law, 0.97, c, 64);
    const SampleBound b = required_samples(law, request);
    EXPECT_EQ(a.n, b.n);
    EXPECT_EQ(a.outcome, b.outcome);
    EXPECT_EQ(a.p_success, b.p_success);
  }
}

TEST(SampleBound, PeekRaisesTheAnswerAndItsProbability) {
  const SampleBound plain = exact(0.95, 0.02, 0.96, 0.05, 64);
  ASSERT_EQ(plain.outcome, BoundOutcome::reached);
  ASSERT_LT(plain.n, 20);
  const SampleBound peeked = exact(0.95, 0.02, 0.96, 0.05, 64, 20);
  EXPECT_EQ(peeked.n, 20);
  EXPECT_EQ(peeked.outcome, BoundOutcome::reached);
  EXPECT_GT(peeked.p_success, plain.p_success);
  EXPECT_NEAR(peeked.p_success, -std::expm1(20 * TruncatedNormal(0.95, 0.02).log_cdf(0.96)), 1e-15);
  // A peek below the answer changes nothing.
  const SampleBound low_peek = exact(0.95, 0.02, 0.96, 0.05, 64, 1);
  EXPECT_EQ(low_peek.n, plain.n);
  EXPECT_EQ(low_peek.p_success, plain.p_success);
  EXPECT_EQ(grid(0.95, 0.02, 0.96, 0.05, 64, 20).n, 20);
}

TEST(SampleBound, GridMatchesTheClosedFormOnOrdinaryLaws) {
  // In the regime the grid resolves (sigma well above the grid step, mu
  // inside [0, 1]) it agrees with the closed form up to the drift of a
  // 1000-point integration: the same N or one more.
  int same = 0, total = 0;
  for (double mu : {0.5, 0.7, 0.9}) {
    for (double sigma : {0.05, 0.1, 0.2}) {
      for (double target : {0.6, 0.8, 0.9}) {
        const SampleBound e = exact(mu, sigma, target, 0.05, 64);
        const SampleBound g = grid(mu, sigma, target, 0.05, 64);
        EXPECT_LE(std::abs(g.n - e.n), 1) << mu << " " << sigma << " " << target;
        same += g.n == e.n;
        ++total;
        // The grid reports its own probability (issue 11), which tracks the law's.
        EXPECT_EQ(g.p_success, reference_grid_success_probability(mu, sigma, target, g.n));
        EXPECT_NEAR(g.p_success, -std::expm1(g.n * TruncatedNormal(mu, sigma).log_cdf(target)), 0.01);
      }
    }
  }
  EXPECT_GT(same, total / 2);
}

TEST(SampleBound, GridVersusExactOnThePapersGrids) {
  // paper-spec §1's comparison: seeded random laws (mu 0.3..1.3, sigma
  // 0.01..0.5), the MATH500 target and delta grids, budget 64. The grid
  // differs in a small fraction of decisions, by one or two samples, and
  // mostly upwards (it overshoots); the figures go to docs/numerics.md.
  std::mt19937_64 rng(3000);
  std::uniform_real_distribution<double> mu_dist(0.3, 1.3), sigma_dist(0.01, 0.5);
  const double targets[] = {0.85, 0.9, 0.925, 0.95, 0.96, 0.97, 0.98, 0.99};
  const double deltas[] = {0.01, 0.02, 0.035, 0.05, 0.075, 0.1};
  constexpr int kCases = 1000;
  int differ = 0, up = 0, short_of_confidence = 0, worst = 0;
  for (int i = 0; i < kCases; ++i) {
    const double mu = mu_dist(rng), sigma = sigma_dist(rng);
    const double target = targets[rng() % 8], delta = deltas[rng() % 6];
    const SampleBound e = exact(mu, sigma, target, delta, 64);
    const SampleBound g = grid(mu, sigma, target, delta, 64);
    if (g.n == e.n) continue;
    ++differ;
    up += g.n > e.n;
    // Under the law (not the grid's own probability, which passes by construction).
    short_of_confidence += -std::expm1(g.n * TruncatedNormal(mu, sigma).log_cdf(target)) < 1.0 - delta;
    worst = std::max(worst, std::abs(g.n - e.n));
  }
  std::cout << "grid vs exact on " << kCases << " random decisions: " << differ << " differ (" << up
            << " upwards), " << short_of_confidence
            << " grid answers short of the confidence, largest difference " << worst << "\n";
  EXPECT_LE(differ, kCases * 3 / 100);
  EXPECT_GT(differ, 0);
  EXPECT_LE(worst, 2);
  EXPECT_GE(up, differ - 2);
}

TEST(SampleBound, GridOutcomes) {
  EXPECT_EQ(grid(0.5, 0.1, 0.0, 0.05, 64).outcome, BoundOutcome::certain);
  EXPECT_EQ(grid(0.5, 0.1, 0.0, 0.05, 64).n, 1);
  EXPECT_EQ(grid(0.5, 0.1, 1.0, 0.05, 64).outcome, BoundOutcome::unreachable);
  EXPECT_EQ(grid(0.5, 0.1, 1.0, 0.05, 64).n, 64);
  EXPECT_EQ(grid(0.5, 0.1, 0.95, 0.05, 64).outcome, BoundOutcome::capped);
  EXPECT_EQ(grid(0.9, 0.05, 0.9, 0.05, 64).outcome, BoundOutcome::reached);
}

TEST(SampleBound, ReferenceGridCachesPerLaw) {
  ReferenceGrid cached(0.9, 0.05);
  for (double target : {0.85, 0.9, 0.95, 0.99}) {
    for (double delta : {0.01, 0.05, 0.1}) {
      const ReferenceGridResult a = cached.min_n(target, delta, 64);
      const ReferenceGridResult b = reference_grid_min_n(0.9, 0.05, target, delta, 64);
      EXPECT_EQ(a.n, b.n);
      EXPECT_EQ(a.found, b.found);
    }
  }
}

TEST(SampleBound, RejectsBadInput) {
  const TruncatedNormal law(0.5, 0.1);
  EXPECT_THROW(required_samples(law, NAN, 0.95, 64), Error);
  EXPECT_THROW(required_samples(law, INFINITY, 0.95, 64), Error);
  EXPECT_THROW(required_samples(law, 0.9, 0.0, 64), Error);
  EXPECT_THROW(required_samples(law, 0.9, 1.0, 64), Error);
  EXPECT_THROW(required_samples(law, 0.9, NAN, 64), Error);
  EXPECT_THROW(required_samples(law, 0.9, 0.95, 0), Error);
  EXPECT_THROW(exact(0.5, 0.1, 0.9, 0.05, 8, 9), Error);
  EXPECT_THROW(exact(0.5, 0.1, 0.9, 0.05, 8, -1), Error);
  EXPECT_THROW(grid(0.5, 0.1, 0.9, 0.05, kMaxGridBudget + 1), Error);
  try {
    required_samples(law, 0.9, 1.5, 64);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("confidence"), std::string::npos) << e.what();
  }
}

TEST(SampleBound, NamesRoundTrip) {
  EXPECT_EQ(to_string(BoundOutcome::reached), "reached");
  EXPECT_EQ(to_string(BoundOutcome::capped), "capped");
  EXPECT_EQ(to_string(BoundOutcome::unreachable), "unreachable");
  EXPECT_EQ(to_string(BoundOutcome::certain), "certain");
  EXPECT_EQ(parse_bound_method("exact"), BoundMethod::exact);
  EXPECT_EQ(parse_bound_method("grid"), BoundMethod::grid);
  EXPECT_EQ(to_string(BoundMethod::exact), "exact");
  EXPECT_EQ(to_string(BoundMethod::grid), "grid");
  try {
    parse_bound_method("Grid");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("\"Grid\""), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace optscale::stats
