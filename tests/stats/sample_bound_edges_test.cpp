// The sample bound and the truncated normal where the standardised bounds
// leave the double range ((|mu| + 1) / sigma past 1.8e308), and the grid
// method's own probability (issue 11).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "optscale/stats/reference_grid.hpp"
#include "optscale/stats/sample_bound.hpp"
#include "optscale/stats/truncated_normal.hpp"

namespace optscale::stats {
namespace {

constexpr double kMin = std::numeric_limits<double>::denorm_min();
constexpr double kNegInf = -std::numeric_limits<double>::infinity();

TEST(SampleBoundEdges, IssueCaseOneSampleIsCertain) {
  const SampleBound bound = required_samples(TruncatedNormal(2.0, 1e-308), 0.5, 0.9, 64);
  EXPECT_EQ(bound.n, 1);
  EXPECT_EQ(bound.outcome, BoundOutcome::certain);
  EXPECT_EQ(bound.p_success, 1.0);
}

struct Edge {
  double mu, sigma, target;
  int n;
  BoundOutcome outcome;
};

TEST(SampleBoundEdges, OverflowingStandardisedBoundsGiveThePointMassAnswer) {
  const std::vector<Edge> edges = {
      {2.0, 1e-308, 0.5, 1, BoundOutcome::certain},         // all mass at 1
      {2.0, kMin, 0.999, 1, BoundOutcome::certain},
      {1e300, 1e-300, 0.5, 1, BoundOutcome::certain},       // a and b both -inf
      {1e308, 1e-308, 0.3, 1, BoundOutcome::certain},
      {-1.0, 1e-308, 0.5, 64, BoundOutcome::unreachable},   // all mass at 0
      {-1e300, 1e-10, 0.5, 64, BoundOutcome::unreachable},
      {-1.7e308, kMin, 0.3, 64, BoundOutcome::unreachable},
      {0.7, 1e-308, 0.5, 1, BoundOutcome::certain},         // mu inside, 1e305 sigma above
      {0.3, 1e-308, 0.5, 64, BoundOutcome::unreachable},
      {0.5, 1e-308, 0.5, 4, BoundOutcome::reached},         // target == mu: F = 1/2, 2^-4 <= 0.1
      {0.5, kMin, 0.5, 4, BoundOutcome::reached},
  };
  for (const Edge& e : edges) {
    const SampleBound bound = required_samples(TruncatedNormal(e.mu, e.sigma), e.target, 0.9, 64);
    EXPECT_EQ(bound.n, e.n) << e.mu << " " << e.sigma;
    EXPECT_EQ(bound.outcome, e.outcome) << e.mu << " " << e.sigma;
    EXPECT_FALSE(std::isnan(bound.p_success)) << e.mu << " " << e.sigma;
  }
}

TEST(TruncatedNormalEdges, PointMassLawsAnswerEveryMethodWithoutNaN) {
  for (const auto& [mu, sigma] : std::vector<std::pair<double, double>>{
           {2.0, 1e-308}, {1e300, 1e-300}, {-1.0, 1e-308}, {-1e300, 1e-10}, {2.0, kMin}}) {
    const TruncatedNormal law(mu, sigma);
    const double at = mu > 1.0 ? 1.0 : 0.0;
    for (double s : {0.0, 1e-300, 0.25, 0.5, 1.0 - 1e-16, 1.0}) {
      EXPECT_FALSE(std::isnan(law.log_cdf(s))) << mu << " " << s;
      EXPECT_FALSE(std::isnan(law.log_survival(s))) << mu << " " << s;
      EXPECT_FALSE(std::isnan(law.log_pdf(s))) << mu << " " << s;
      const auto tails = law.log_tails(s);
      EXPECT_EQ(tails.log_cdf, law.log_cdf(s));
      EXPECT_EQ(tails.log_survival, law.log_survival(s));
    }
    EXPECT_EQ(law.log_cdf(0.5), at == 1.0 ? kNegInf : 0.0) << mu << " " << sigma;
    EXPECT_EQ(law.quantile(0.5), at);
    std::mt19937_64 rng(7);
    EXPECT_EQ(law.sample(rng), at);
  }
  // mu inside [0, 1] with sigma ~1e-308: the mass is at mu, half below it.
  for (double sigma : {1e-308, kMin}) {
    const TruncatedNormal inside(0.5, sigma);
    EXPECT_NEAR(inside.log_cdf(0.5), std::log(0.5), 1e-15);
    EXPECT_NEAR(inside.log_survival(0.5), std::log(0.5), 1e-15);
    EXPECT_EQ(inside.log_cdf(0.25), kNegInf);
    EXPECT_EQ(inside.log_survival(0.75), kNegInf);
    EXPECT_NEAR(inside.quantile(0.3), 0.5, 1e-12);
  }
  // An ordinary law is untouched by the rule.
  EXPECT_NEAR(TruncatedNormal(0.5, 0.1).cdf(0.5), 0.5, 1e-15);
}

TEST(SampleBoundGrid, PrintedProbabilityIsTheGridsOwn) {
  // The issue's case: the grid's density underflows (mu 53 sigma above 1), so
  // it spends the budget; it has no probability, and must not borrow the
  // exact law's 1 (which would contradict "capped").
  SampleBoundRequest request;
  request.target = 0.99;
  request.risk = 0.1;
  request.method = BoundMethod::grid;
  const SampleBound failed = required_samples(TruncatedNormal(80.0, 1.5), request);
  EXPECT_EQ(failed.outcome, BoundOutcome::capped);
  EXPECT_EQ(failed.n, 64);
  EXPECT_TRUE(std::isnan(failed.p_success));

  // Where the grid works, its probability is its own and consistent with its
  // decision: above the confidence at n, not above it at n - 1.
  for (const auto& [mu, sigma, target] : std::vector<std::tuple<double, double, double>>{
           {0.5, 0.2, 0.8}, {0.9, 0.05, 0.95}, {0.6, 0.2, 0.7}}) {
    request.target = target;
    const SampleBound bound = required_samples(TruncatedNormal(mu, sigma), request);
    ASSERT_EQ(bound.outcome, BoundOutcome::reached);
    EXPECT_GT(bound.p_success, 1.0 - request.risk);
    EXPECT_EQ(bound.p_success, reference_grid_success_probability(mu, sigma, target, bound.n));
    if (bound.n > 1)
      EXPECT_LE(reference_grid_success_probability(mu, sigma, target, bound.n - 1), 1.0 - request.risk);
    // Close to the exact law's, not equal to it.
    const auto exact = required_samples(TruncatedNormal(mu, sigma), target, 1.0 - request.risk, 64);
    EXPECT_NEAR(bound.p_success, exact.p_success, 0.01);
  }
  // A grid that works but caps reports its own probability at the budget.
  request.target = 0.9;
  const SampleBound capped = required_samples(TruncatedNormal(0.3, 0.3), request);
  EXPECT_EQ(capped.outcome, BoundOutcome::capped);
  EXPECT_EQ(capped.p_success, reference_grid_success_probability(0.3, 0.3, 0.9, 64));
  EXPECT_LT(capped.p_success, 1.0 - request.risk);
  // With peeks the probability is the grid's at the peeked count.
  request.target = 0.8;
  request.peek = 50;
  const SampleBound peeked = required_samples(TruncatedNormal(0.5, 0.2), request);
  EXPECT_EQ(peeked.n, 50);
  EXPECT_EQ(peeked.p_success, reference_grid_success_probability(0.5, 0.2, 0.8, 50));
}

}  // namespace
}  // namespace optscale::stats
