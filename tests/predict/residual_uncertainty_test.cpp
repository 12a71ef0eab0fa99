#include "optscale/predict/residual_uncertainty.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "optscale/util/error.hpp"

namespace optscale::predict {
namespace {

TEST(ResidualUncertainty, BinsByPredictedMuWithRmsePerBin) {
  // 200 predictions 0..199; residual 0.01 in the lower half, 0.05 in the upper.
  std::vector<double> pm, tm, ps, ts;
  for (int i = 0; i < 200; ++i) {
    pm.push_back(i);
    const double r = i < 100 ? 0.01 : 0.05;
    tm.push_back(i + (i % 2 ? r : -r));
    ps.push_back(0.1);
    ts.push_back(0.1 + 2 * r);
  }
  const auto u = ResidualUncertainty::fit(pm, tm, ps, ts, 2);
  ASSERT_EQ(u.upper_edges.size(), 2u);
  EXPECT_DOUBLE_EQ(u.upper_edges[0], 99.5);
  EXPECT_TRUE(std::isinf(u.upper_edges[1]));
  EXPECT_NEAR(u.mu_std[0], 0.01, 1e-12);
  EXPECT_NEAR(u.mu_std[1], 0.05, 1e-12);
  EXPECT_NEAR(u.sigma_std[1], 0.10, 1e-12);
  EXPECT_EQ(u.lookup(-5.0).first, u.mu_std[0]);
  EXPECT_EQ(u.lookup(99.5).first, u.mu_std[0]);
  EXPECT_EQ(u.lookup(99.6).first, u.mu_std[1]);
  EXPECT_EQ(u.lookup(1e9).second, u.sigma_std[1]);
}

TEST(ResidualUncertainty, FewResidualsMeanFewerBins) {
  std::vector<double> v(120, 0.5), t(120, 0.6);
  const auto u = ResidualUncertainty::fit(v, t, v, t, 5);
  EXPECT_EQ(u.upper_edges.size(), 2u);  // at least 50 residuals per bin
}

TEST(ResidualUncertainty, JsonRoundTripAndValidation) {
  std::vector<double> pm, tm;
  for (int i = 0; i < 300; ++i) {
    pm.push_back(0.8 + 0.001 * i);
    tm.push_back(0.8 + 0.001 * i + ((i * 37) % 11 - 5) * 0.003);
  }
  const auto u = ResidualUncertainty::fit(pm, tm, pm, tm, 3);
  const auto back = ResidualUncertainty::from_json(u.to_json());
  EXPECT_EQ(back.upper_edges, u.upper_edges);
  EXPECT_EQ(back.mu_std, u.mu_std);
  EXPECT_EQ(back.sigma_std, u.sigma_std);

  auto bad = u.to_json();
  bad["mu_std"][0] = -1.0;
  EXPECT_THROW(ResidualUncertainty::from_json(bad), Error);
  bad = u.to_json();
  bad["bin_upper_edges"].back() = 2.0;  // last edge must be +inf
  EXPECT_THROW(ResidualUncertainty::from_json(bad), Error);
  bad = u.to_json();
  bad["sigma_std"].erase(0);
  EXPECT_THROW(ResidualUncertainty::from_json(bad), Error);
  EXPECT_THROW(ResidualUncertainty::fit({}, {}, {}, {}, 2), Error);
}

}  // namespace
}  // namespace optscale::predict
