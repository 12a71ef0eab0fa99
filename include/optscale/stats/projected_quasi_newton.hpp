// A small bound-constrained minimiser for two variables: projected BFGS with
// an active set, a backtracking Armijo search along the projected path, and a
// scaled projected-gradient stopping rule. The estimators use it on
// (mu, log sigma); it is public so that it can be tested on its own.
#pragma once
#include <array>

namespace optscale::stats {

using Vec2 = std::array<double, 2>;

// lower[i] <= x[i] <= upper[i]; bounds may be -inf / +inf.
struct Box2 {
  Vec2 lower;
  Vec2 upper;
};

// What the minimiser needs from a problem.
class BoxObjective2 {
 public:
  virtual ~BoxObjective2() = default;
  // f(x) and its gradient; may return +inf or NaN where f is undefined (the
  // line search then steps back).
  virtual double evaluate(const Vec2& x, Vec2& gradient) const = 0;
  // Natural step size of each variable at x: the stopping rule is
  // max_i |projected gradient_i| * scale_i <= tolerance, i.e. a step of one
  // natural unit in any free direction changes f by less than the tolerance.
  virtual Vec2 natural_scale(const Vec2& x) const = 0;
  // A positive guess of the diagonal of the Hessian at x: the BFGS start and
  // the scaling of the fallback (projected gradient) step.
  virtual Vec2 curvature_guess(const Vec2& x) const = 0;
};

struct QuasiNewtonOptions {
  double tolerance = 1e-9;  // on the scaled projected gradient (see natural_scale)
  int max_iterations = 200;
  // Largest change of each variable in one step (inf: none); a cap on log
  // sigma keeps a wild first step from leaving the region where f is finite.
  Vec2 max_step = {__builtin_huge_val(), __builtin_huge_val()};
};

enum class QuasiNewtonStop {
  converged,       // scaled projected gradient <= tolerance
  no_progress,     // the line search found no decrease, even along the gradient
  max_iterations,  // iteration limit reached
};

struct QuasiNewtonResult {
  Vec2 x{};
  double value = 0.0;
  Vec2 gradient{};
  double stationarity = 0.0;  // max_i |projected gradient_i| * scale_i at x
  int iterations = 0;
  int evaluations = 0;
  QuasiNewtonStop stop = QuasiNewtonStop::max_iterations;
  bool converged() const { return stop == QuasiNewtonStop::converged; }
};

// Minimises f over the box from x0 (clipped into the box first). Throws
// optscale::Error if the box is empty or f is not finite at the start.
QuasiNewtonResult minimize_projected_quasi_newton(const BoxObjective2& objective, Vec2 x0,
                                                  const Box2& box,
                                                  const QuasiNewtonOptions& options = {});

}  // namespace optscale::stats
