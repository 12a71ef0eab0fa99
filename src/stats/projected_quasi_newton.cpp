#include "optscale/stats/projected_quasi_newton.hpp"

#include <algorithm>
#include <cmath>

#include "optscale/util/error.hpp"

namespace optscale::stats {
namespace {

constexpr double kArmijo = 1e-4;     // sufficient-decrease constant
constexpr int kMaxBacktracks = 60;   // each cuts the step by 2x to 10x
constexpr double kValueNoise = 1e-12;  // relative rounding error tolerated in f

// Symmetric 2x2 matrix: the BFGS model of the Hessian.
struct Sym2 {
  double xx, xy, yy;
  Vec2 times(const Vec2& v) const { return {xx * v[0] + xy * v[1], xy * v[0] + yy * v[1]}; }
};

double dot(const Vec2& u, const Vec2& v) { return u[0] * v[0] + u[1] * v[1]; }

Vec2 clip(const Vec2& x, const Box2& box) {
  return {std::clamp(x[0], box.lower[0], box.upper[0]),
          std::clamp(x[1], box.lower[1], box.upper[1])};
}

// A variable is held at its bound when it sits there and f would decrease by
// leaving the box; the projected gradient is zero in such variables.
std::array<bool, 2> held_at_bound(const Vec2& x, const Vec2& g, const Box2& box) {
  std::array<bool, 2> held{};
  for (int i = 0; i < 2; ++i)
    held[i] = (x[i] <= box.lower[i] && g[i] > 0.0) || (x[i] >= box.upper[i] && g[i] < 0.0);
  return held;
}

double stationarity(const Vec2& x, const Vec2& g, const Box2& box, const Vec2& scale) {
  const auto held = held_at_bound(x, g, box);
  double worst = 0.0;
  for (int i = 0; i < 2; ++i)
    if (!held[i]) worst = std::max(worst, std::fabs(g[i]) * scale[i]);
  return worst;
}

Sym2 diagonal(const Vec2& d) { return {d[0], 0.0, d[1]}; }

// Newton direction of the model B on the free variables (zero on held ones).
Vec2 model_direction(const Sym2& b, const Vec2& g, const std::array<bool, 2>& held) {
  if (held[0] && held[1]) return {0.0, 0.0};
  if (held[0]) return {0.0, -g[1] / b.yy};
  if (held[1]) return {-g[0] / b.xx, 0.0};
  const double det = b.xx * b.yy - b.xy * b.xy;
  return {-(b.yy * g[0] - b.xy * g[1]) / det, -(b.xx * g[1] - b.xy * g[0]) / det};
}

// Powell-damped BFGS update: keeps B positive definite even where f is not
// convex along the step (s'y < 0.2 s'Bs).
void update_model(Sym2& b, const Vec2& s, const Vec2& y) {
  const Vec2 bs = b.times(s);
  const double sbs = dot(s, bs);
  if (!(sbs > 0.0) || !std::isfinite(sbs)) return;
  const double sy = dot(s, y);
  const double theta = sy >= 0.2 * sbs ? 1.0 : 0.8 * sbs / (sbs - sy);
  const Vec2 r = {theta * y[0] + (1.0 - theta) * bs[0], theta * y[1] + (1.0 - theta) * bs[1]};
  const double sr = dot(s, r);
  if (!(sr > 0.0) || !std::isfinite(sr)) return;
  Sym2 next{b.xx - bs[0] * bs[0] / sbs + r[0] * r[0] / sr,
            b.xy - bs[0] * bs[1] / sbs + r[0] * r[1] / sr,
            b.yy - bs[1] * bs[1] / sbs + r[1] * r[1] / sr};
  if (next.xx > 0.0 && next.yy > 0.0 && next.xx * next.yy - next.xy * next.xy > 0.0 &&
      std::isfinite(next.xx + next.xy + next.yy))
    b = next;
}

struct Trial {
  Vec2 x;
  double value;
  Vec2 gradient;
};

// Backtracking along the projected path x(alpha) = clip(x + alpha d) until
// f(x(alpha)) <= f(x) + c g'(x(alpha) - x). Quadratic interpolation picks
// the next alpha within [alpha/10, alpha/2]; a non-finite f cuts it by 10.
bool line_search(const BoxObjective2& objective, const Box2& box, const Vec2& x, double f,
                 const Vec2& g, const Vec2& d, Trial& out, int& evaluations) {
  double alpha = 1.0;
  for (int attempt = 0; attempt < kMaxBacktracks; ++attempt) {
    const Vec2 xt = clip({x[0] + alpha * d[0], x[1] + alpha * d[1]}, box);
    const Vec2 step = {xt[0] - x[0], xt[1] - x[1]};
    if (step[0] == 0.0 && step[1] == 0.0) return false;
    const double slope = dot(g, step);
    if (!(slope < 0.0)) {
      // The projection bent the path uphill; a shorter step may clip less.
      alpha *= 0.5;
      continue;
    }
    Vec2 gt;
    const double ft = objective.evaluate(xt, gt);
    ++evaluations;
    const bool finite = std::isfinite(ft) && std::isfinite(gt[0]) && std::isfinite(gt[1]);
    if (finite && ft <= f + kArmijo * slope) {
      out = {xt, ft, gt};
      return true;
    }
    // Near the optimum the decrease falls below f's rounding error and the
    // Armijo test fails on noise; then accept a step that leaves f unchanged
    // within rounding and cuts the slope along the step (Hager and Zhang's
    // approximate Wolfe conditions), so the gradient keeps driving progress.
    const double new_slope = dot(gt, step);
    if (finite && ft <= f + kValueNoise * (1.0 + std::fabs(f)) && new_slope >= 0.9 * slope &&
        new_slope <= -0.8 * slope) {
      out = {xt, ft, gt};
      return true;
    }
    double next = 0.1 * alpha;
    if (finite) {
      // Minimiser of the parabola through f, the slope at 0 and ft.
      const double curvature = ft - f - slope;
      if (curvature > 0.0) next = std::clamp(-0.5 * slope * alpha / curvature, 0.1 * alpha, 0.5 * alpha);
      else next = 0.5 * alpha;
    }
    alpha = next;
  }
  return false;
}

}  // namespace

QuasiNewtonResult minimize_projected_quasi_newton(const BoxObjective2& objective, Vec2 x0,
                                                  const Box2& box,
                                                  const QuasiNewtonOptions& options) {
  const std::string where = "projected quasi-Newton";
  for (int i = 0; i < 2; ++i)
    require(box.lower[i] <= box.upper[i], where, "empty box (lower bound above upper bound)");
  QuasiNewtonResult result;
  result.x = clip(x0, box);
  result.value = objective.evaluate(result.x, result.gradient);
  result.evaluations = 1;
  require(std::isfinite(result.value) && std::isfinite(result.gradient[0]) &&
              std::isfinite(result.gradient[1]),
          where, "the objective is not finite at the starting point");

  // The BFGS model is kept in natural units (each variable divided by its
  // natural scale at the current point), where the curvature hardly changes
  // as the scales move: for the estimators the curvature in mu grows like
  // 1/sigma^2, and a model in raw units would lag behind every change of sigma.
  auto natural_model_guess = [&](const Vec2& x, const Vec2& scale) {
    const Vec2 c = objective.curvature_guess(x);
    return diagonal({c[0] * scale[0] * scale[0], c[1] * scale[1] * scale[1]});
  };
  Vec2 scale = objective.natural_scale(result.x);
  Sym2 model = natural_model_guess(result.x, scale);
  for (;;) {
    result.stationarity = stationarity(result.x, result.gradient, box, scale);
    if (result.stationarity <= options.tolerance) {
      result.stop = QuasiNewtonStop::converged;
      break;
    }
    if (result.iterations >= options.max_iterations) {
      result.stop = QuasiNewtonStop::max_iterations;
      break;
    }
    const auto held = held_at_bound(result.x, result.gradient, box);
    Trial next{};
    bool moved = false;
    // First the quasi-Newton step; if it fails, the diagonally scaled
    // projected gradient, which always descends for a small enough step.
    const Vec2 natural_gradient = {result.gradient[0] * scale[0], result.gradient[1] * scale[1]};
    for (int attempt = 0; attempt < 2 && !moved; ++attempt) {
      if (attempt == 1) model = natural_model_guess(result.x, scale);
      Vec2 d = attempt == 0 ? model_direction(model, natural_gradient, held)
                            : Vec2{held[0] ? 0.0 : -natural_gradient[0] / model.xx,
                                   held[1] ? 0.0 : -natural_gradient[1] / model.yy};
      d = {d[0] * scale[0], d[1] * scale[1]};  // back to raw units
      double shrink = 1.0;
      for (int i = 0; i < 2; ++i)
        if (std::fabs(d[i]) * shrink > options.max_step[i]) shrink = options.max_step[i] / std::fabs(d[i]);
      d = {d[0] * shrink, d[1] * shrink};
      if (!std::isfinite(d[0]) || !std::isfinite(d[1]) || !(dot(d, result.gradient) < 0.0)) continue;
      moved = line_search(objective, box, result.x, result.value, result.gradient, d, next,
                          result.evaluations);
    }
    if (!moved) {
      result.stop = QuasiNewtonStop::no_progress;
      break;
    }
    scale = objective.natural_scale(next.x);
    update_model(model,
                 {(next.x[0] - result.x[0]) / scale[0], (next.x[1] - result.x[1]) / scale[1]},
                 {(next.gradient[0] - result.gradient[0]) * scale[0],
                  (next.gradient[1] - result.gradient[1]) * scale[1]});
    result.x = next.x;
    result.value = next.value;
    result.gradient = next.gradient;
    ++result.iterations;
  }
  return result;
}

}  // namespace optscale::stats
