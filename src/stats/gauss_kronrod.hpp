// Adaptive Gauss-Kronrod (7-point Gauss, 15-point Kronrod) quadrature of a
// smooth function on a finite interval; private to the stats layer. The
// interval with the largest error estimate |K15 - G7| is bisected until the
// summed estimate is below max(abs_tol, rel_tol * |integral|).
// Nodes and weights: Piessens et al., QUADPACK (1983), routine QK15.
#pragma once
#include <algorithm>
#include <cmath>
#include <queue>
#include <vector>

namespace optscale::stats::detail {

struct GaussKronrodResult {
  double value = 0.0;
  double error = 0.0;  // sum of |K15 - G7| over the final intervals
  int intervals = 0;
};

template <typename F>
GaussKronrodResult integrate_gauss_kronrod(F&& f, double lo, double hi, double abs_tol,
                                           double rel_tol, int max_intervals = 400) {
  static constexpr double kNodes[8] = {
      0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
      0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
      0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
      0.207784955007898467600689403773245, 0.0};
  static constexpr double kKronrod[8] = {
      0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
      0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
      0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
      0.204432940075298892414161999234649, 0.209482141084727828012999174891714};
  // Gauss weights of the nodes kNodes[1], [3], [5], [7].
  static constexpr double kGauss[4] = {
      0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
      0.381830050505118944950369775488975, 0.417959183673469387755102040816327};

  struct Piece {
    double lo, hi, value, error;
    bool operator<(const Piece& other) const { return error < other.error; }
  };
  auto rule = [&](double a, double b) {
    const double center = 0.5 * (a + b), half = 0.5 * (b - a);
    const double fc = f(center);
    double kronrod = kKronrod[7] * fc, gauss = kGauss[3] * fc;
    for (int i = 0; i < 7; ++i) {
      const double dx = half * kNodes[i];
      const double pair = f(center - dx) + f(center + dx);
      kronrod += kKronrod[i] * pair;
      if (i % 2 == 1) gauss += kGauss[i / 2] * pair;
    }
    return Piece{a, b, kronrod * half, std::fabs((kronrod - gauss) * half)};
  };

  GaussKronrodResult result;
  if (!(hi > lo)) return result;
  std::priority_queue<Piece> pieces;
  pieces.push(rule(lo, hi));
  double value = pieces.top().value, error = pieces.top().error;
  while (error > std::max(abs_tol, rel_tol * std::fabs(value)) &&
         static_cast<int>(pieces.size()) < max_intervals) {
    const Piece worst = pieces.top();
    const double mid = 0.5 * (worst.lo + worst.hi);
    if (!(mid > worst.lo && mid < worst.hi)) break;  // no representable split left
    pieces.pop();
    const Piece left = rule(worst.lo, mid), right = rule(mid, worst.hi);
    value += left.value + right.value - worst.value;
    error += left.error + right.error - worst.error;
    pieces.push(left);
    pieces.push(right);
  }
  // Re-add from scratch so that the running updates leave no rounding drift.
  result.value = 0.0;
  result.error = 0.0;
  result.intervals = static_cast<int>(pieces.size());
  std::vector<Piece> all;
  all.reserve(pieces.size());
  while (!pieces.empty()) {
    all.push_back(pieces.top());
    pieces.pop();
  }
  std::sort(all.begin(), all.end(), [](const Piece& x, const Piece& y) { return x.lo < y.lo; });
  for (const Piece& piece : all) {
    result.value += piece.value;
    result.error += piece.error;
  }
  return result;
}

}  // namespace optscale::stats::detail
