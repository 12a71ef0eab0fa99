#include "optscale/predict/stacking.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "optscale/util/error.hpp"

namespace optscale::predict {
namespace {

TEST(PairStacker, DefaultIsIdentity) {
  const PairStacker s;
  const auto out = s.apply(-2.5, 0.7);
  EXPECT_EQ(out[0], -2.5);
  EXPECT_EQ(out[1], 0.7);
}

TEST(PairStacker, RecoversAnExactQuadratic) {
  std::vector<double> m, s, tm, ts;
  for (int i = 0; i < 40; ++i) {
    const double a = -3.0 + 0.1 * i, b = -2.0 + 0.05 * ((i * 7) % 13);
    m.push_back(a);
    s.push_back(b);
    tm.push_back(0.5 + 1.5 * a - 0.25 * b + 0.1 * a * a);
    ts.push_back(-1.0 + 0.3 * a + 0.9 * b + 0.2 * a * b);
  }
  const auto fit = PairStacker::fit(m, s, tm, ts);
  const std::array<double, 6> want_mu{0.5, 1.5, -0.25, 0.1, 0.0, 0.0};
  const std::array<double, 6> want_sigma{-1.0, 0.3, 0.9, 0.0, 0.0, 0.2};
  for (int k = 0; k < 6; ++k) {
    EXPECT_NEAR(fit.mu[k], want_mu[k], 1e-6) << k;
    EXPECT_NEAR(fit.sigma[k], want_sigma[k], 1e-6) << k;
  }
  const auto round_trip = PairStacker::from_json(fit.to_json());
  EXPECT_EQ(round_trip.mu, fit.mu);
  EXPECT_EQ(round_trip.sigma, fit.sigma);
}

TEST(PairStacker, RejectsTooFewRowsAndBadJson) {
  const std::vector<double> three{1, 2, 3};
  EXPECT_THROW(PairStacker::fit(three, three, three, three), Error);
  EXPECT_THROW(PairStacker::from_json({{"mu", {1, 2}}, {"sigma", {1, 2}}}), Error);
  EXPECT_THROW(PairStacker::from_json({{"mu", "x"}}), Error);
  // Coefficients that could overflow a stacked value to NaN are refused.
  EXPECT_THROW(PairStacker::from_json({{"mu", {1e200, 0, 0, 0, 0, 0}}, {"sigma", {0, 0, 0, 0, 0, 0}}}), Error);
  EXPECT_NO_THROW(PairStacker::from_json({{"mu", {-1e99, 0, 0, 0, 0, 0}}, {"sigma", {0, 0, 0, 0, 0, 1e99}}}));
}

}  // namespace
}  // namespace optscale::predict
