// A figure of a strategy (accuracy, tokens or samples per problem): its
// mean over problems and the confidence interval every report prints.
#pragma once
#include <optional>
#include <span>

namespace optscale::replay {

// One figure of one strategy. The point value is the mean over problems of
// each problem's mean over orders. The interval is a Student t interval over
// problems of those per-problem means (so it covers both which problems were
// drawn and, when orders > 1, which order the samples came in); it is absent
// with a single problem, and clipped to the figure's range (FigureRange).
struct Figure {
  double mean = 0.0;
  std::optional<double> ci_lo, ci_hi;
  double order_sd = 0.0;     // std across orders of the per-order figure; 0 when orders == 1
  double se = 0.0;           // standard error of the mean over problems; 0 with one problem
};

// The values a figure can take; its interval is clipped to them.
enum class FigureRange {
  fraction,     // [0, 1]: accuracy
  nonnegative,  // [0, inf): tokens, samples
};

// Builds a figure from per-problem values (each already averaged over
// orders). order_sd is left 0.
Figure summarize_figure(std::span<const double> per_problem, double confidence, FigureRange range);

}  // namespace optscale::replay
