#include "optscale/replay/figure.hpp"

#include <algorithm>
#include <cmath>

#include "optscale/replay/summary_statistics.hpp"

namespace optscale::replay {

Figure summarize_figure(std::span<const double> per_problem, double confidence, FigureRange range) {
  const MeanInterval interval = mean_with_t_interval(per_problem, confidence);
  Figure figure;
  figure.mean = interval.mean;
  figure.ci_lo = interval.lo;
  figure.ci_hi = interval.hi;
  if (!figure.ci_lo) return figure;
  figure.se = sample_std(per_problem) / std::sqrt(static_cast<double>(per_problem.size()));
  figure.ci_lo = std::max(*figure.ci_lo, 0.0);
  if (range == FigureRange::fraction) figure.ci_hi = std::min(*figure.ci_hi, 1.0);
  return figure;
}

}  // namespace optscale::replay
