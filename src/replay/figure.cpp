#include "optscale/replay/figure.hpp"

#include <algorithm>

#include "optscale/replay/summary_statistics.hpp"

namespace optscale::replay {

Figure summarize_figure(std::span<const double> per_problem, double confidence, bool is_fraction) {
  const MeanInterval interval = mean_with_t_interval(per_problem, confidence);
  Figure figure;
  figure.mean = interval.mean;
  figure.ci_lo = interval.lo;
  figure.ci_hi = interval.hi;
  if (is_fraction && figure.ci_lo) {
    figure.ci_lo = std::clamp(*figure.ci_lo, 0.0, 1.0);
    figure.ci_hi = std::clamp(*figure.ci_hi, 0.0, 1.0);
  }
  return figure;
}

}  // namespace optscale::replay
