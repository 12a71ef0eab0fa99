#include <gtest/gtest.h>

#include <vector>

#include "optscale/policy/policy.hpp"
#include "optscale/util/invariant.hpp"
#include "policy_test_util.hpp"

namespace optscale::policy {
namespace {

using testing::obs;

TEST(DirectFitProvider, FitsTheFirstCountScores) {
  const std::vector<Observation> o{obs(0.91), obs(0.95), obs(0.88), obs(0.2), obs(0.1)};
  const std::vector<double> first_three{0.91, 0.95, 0.88};
  DirectFitProvider fits;
  const stats::FitResult ours = fits.fit(o, 3, std::nullopt, {});
  const stats::FitResult direct = stats::fit_truncated_normal(first_three);
  EXPECT_DOUBLE_EQ(ours.mu, direct.mu);
  EXPECT_DOUBLE_EQ(ours.sigma, direct.sigma);
  // The later, low scores must not have been seen.
  EXPECT_NE(fits.fit(o, 5, std::nullopt, {}).mu, ours.mu);
}

TEST(DirectFitProvider, PassesPriorAndBounds) {
  const std::vector<Observation> o{obs(0.91), obs(0.95), obs(0.88)};
  const std::vector<double> s{0.91, 0.95, 0.88};
  stats::FitPrior prior;
  prior.mean_mu = 0.5;
  prior.mean_sigma = 0.12;
  const auto bounds = stats::FitBounds::reference_parity();
  DirectFitProvider fits;
  const stats::FitResult ours = fits.fit(o, 3, prior, bounds);
  const stats::FitResult direct = stats::fit_truncated_normal(s, prior, bounds);
  EXPECT_DOUBLE_EQ(ours.mu, direct.mu);
  EXPECT_DOUBLE_EQ(ours.sigma, direct.sigma);
}

// Its callers are the policies, fitting what they observed: a count outside
// is a bug of ours, a broken invariant.
TEST(DirectFitProvider, RejectsCountsOutsideTheObservations) {
  const std::vector<Observation> o{obs(0.9), obs(0.8)};
  DirectFitProvider fits;
  EXPECT_THROW(fits.fit(o, 0, std::nullopt, {}), InvariantError);
  EXPECT_THROW(fits.fit(o, 3, std::nullopt, {}), InvariantError);
}

}  // namespace
}  // namespace optscale::policy
