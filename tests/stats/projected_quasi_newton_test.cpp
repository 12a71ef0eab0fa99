#include "optscale/stats/projected_quasi_newton.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

#include "optscale/util/error.hpp"

namespace optscale::stats {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// A test objective from a lambda; natural scale 1, curvature guess 1.
class Lambda final : public BoxObjective2 {
 public:
  explicit Lambda(std::function<double(const Vec2&, Vec2&)> f) : f_(std::move(f)) {}
  double evaluate(const Vec2& x, Vec2& g) const override { return f_(x, g); }
  Vec2 natural_scale(const Vec2&) const override { return {1.0, 1.0}; }
  Vec2 curvature_guess(const Vec2&) const override { return {1.0, 1.0}; }

 private:
  std::function<double(const Vec2&, Vec2&)> f_;
};

const Lambda kRosenbrock([](const Vec2& x, Vec2& g) {
  const double a = 1 - x[0], b = x[1] - x[0] * x[0];
  g = {-2 * a - 400 * x[0] * b, 200 * b};
  return a * a + 100 * b * b;
});

TEST(ProjectedQuasiNewton, SolvesRosenbrockInsideTheBox) {
  const Box2 box{{-2, -2}, {2, 2}};
  const QuasiNewtonResult r = minimize_projected_quasi_newton(kRosenbrock, {-1.2, 1.0}, box);
  ASSERT_TRUE(r.converged());
  EXPECT_NEAR(r.x[0], 1.0, 1e-8);
  EXPECT_NEAR(r.x[1], 1.0, 1e-8);
  EXPECT_LE(r.stationarity, 1e-9);
  EXPECT_GT(r.iterations, 5);
}

TEST(ProjectedQuasiNewton, StopsOnAnActiveBoundWithKkt) {
  // The unconstrained minimum (1, 1) is cut off by x <= 0.5: the constrained
  // one is x = 0.5, y = 0.25, where df/dx < 0 points out of the box.
  const Box2 box{{-2, -2}, {0.5, 2}};
  const QuasiNewtonResult r = minimize_projected_quasi_newton(kRosenbrock, {-1.2, 1.0}, box);
  ASSERT_TRUE(r.converged());
  EXPECT_EQ(r.x[0], 0.5);
  EXPECT_NEAR(r.x[1], 0.25, 1e-9);
  EXPECT_LT(r.gradient[0], 0.0);
  EXPECT_NEAR(r.gradient[1], 0.0, 1e-9);
}

TEST(ProjectedQuasiNewton, BothBoundsActiveAtACorner) {
  const Lambda plane([](const Vec2& x, Vec2& g) {
    g = {-1.0, 2.0};
    return -x[0] + 2 * x[1];
  });
  const QuasiNewtonResult r = minimize_projected_quasi_newton(plane, {0.3, 0.3}, Box2{{0, 0}, {1, 1}});
  ASSERT_TRUE(r.converged());
  EXPECT_EQ(r.x[0], 1.0);
  EXPECT_EQ(r.x[1], 0.0);
  EXPECT_EQ(r.stationarity, 0.0);
}

TEST(ProjectedQuasiNewton, StepsBackFromWhereTheObjectiveIsUndefined) {
  // f = (x-1)^2 + y - log y is NaN for y < 0 and the box does not say so.
  const Lambda log_barrier([](const Vec2& x, Vec2& g) {
    g = {2 * (x[0] - 1), 1 - 1 / x[1]};
    return (x[0] - 1) * (x[0] - 1) + x[1] - std::log(x[1]);
  });
  const QuasiNewtonResult r =
      minimize_projected_quasi_newton(log_barrier, {5.0, 0.01}, Box2{{-kInf, -kInf}, {kInf, kInf}});
  ASSERT_TRUE(r.converged());
  EXPECT_NEAR(r.x[0], 1.0, 1e-9);
  EXPECT_NEAR(r.x[1], 1.0, 1e-9);
}

TEST(ProjectedQuasiNewton, StartIsClippedIntoTheBox) {
  const Lambda bowl([](const Vec2& x, Vec2& g) {
    g = {2 * x[0], 2 * x[1]};
    return x[0] * x[0] + x[1] * x[1];
  });
  const QuasiNewtonResult r = minimize_projected_quasi_newton(bowl, {-10, 10}, Box2{{1, -kInf}, {2, kInf}});
  ASSERT_TRUE(r.converged());
  EXPECT_EQ(r.x[0], 1.0);
  EXPECT_NEAR(r.x[1], 0.0, 1e-9);
}

TEST(ProjectedQuasiNewton, ReportsTheIterationLimit) {
  QuasiNewtonOptions options;
  options.max_iterations = 3;
  const QuasiNewtonResult r =
      minimize_projected_quasi_newton(kRosenbrock, {-1.2, 1.0}, Box2{{-2, -2}, {2, 2}}, options);
  EXPECT_EQ(r.stop, QuasiNewtonStop::max_iterations);
  EXPECT_FALSE(r.converged());
  EXPECT_EQ(r.iterations, 3);
  EXPECT_GT(r.stationarity, options.tolerance);
}

TEST(ProjectedQuasiNewton, KinkWithoutStationaryPointIsNotConverged) {
  // |x| + y^2 has its minimum on a kink where the gradient never vanishes:
  // the search creeps towards it (or stalls) and must end, through the
  // iteration limit or a failed line search, without claiming convergence.
  const Lambda kink([](const Vec2& x, Vec2& g) {
    g = {x[0] >= 0 ? 1.0 : -1.0, 2 * x[1]};
    return std::fabs(x[0]) + x[1] * x[1];
  });
  const QuasiNewtonResult r =
      minimize_projected_quasi_newton(kink, {1.0, 1.0}, Box2{{-kInf, -kInf}, {kInf, kInf}});
  EXPECT_NE(r.stop, QuasiNewtonStop::converged);
  EXPECT_FALSE(r.converged());
  EXPECT_NEAR(r.x[0], 0.0, 1e-6);
  EXPECT_GE(r.stationarity, 1.0);
}

TEST(ProjectedQuasiNewton, StepCapLimitsEachMove) {
  const Lambda far_bowl([](const Vec2& x, Vec2& g) {
    g = {2 * (x[0] - 100), 2 * x[1]};
    return (x[0] - 100) * (x[0] - 100) + x[1] * x[1];
  });
  QuasiNewtonOptions options;
  options.max_step = {1.0, kInf};
  const QuasiNewtonResult r =
      minimize_projected_quasi_newton(far_bowl, {0, 0}, Box2{{-kInf, -kInf}, {kInf, kInf}}, options);
  ASSERT_TRUE(r.converged());
  EXPECT_NEAR(r.x[0], 100.0, 1e-9);
  EXPECT_GE(r.iterations, 100);  // at most one unit per step
}

TEST(ProjectedQuasiNewton, RejectsEmptyBoxAndUndefinedStart) {
  EXPECT_THROW(minimize_projected_quasi_newton(kRosenbrock, {0, 0}, Box2{{1, 0}, {0, 1}}), Error);
  const Lambda undefined([](const Vec2&, Vec2& g) {
    g = {0, 0};
    return std::numeric_limits<double>::quiet_NaN();
  });
  EXPECT_THROW(minimize_projected_quasi_newton(undefined, {0, 0}, Box2{{-1, -1}, {1, 1}}), Error);
}

}  // namespace
}  // namespace optscale::stats
