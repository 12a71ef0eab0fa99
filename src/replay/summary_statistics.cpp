#include "optscale/replay/summary_statistics.hpp"

#include <cmath>
#include <numbers>
#include <string>

#include "optscale/util/error.hpp"

namespace optscale::replay {

double mean_of(std::span<const double> values) {
  require(!values.empty(), "mean", "no values to average");
  // Kahan-compensated: token totals reach ~1e9 and must not depend on rounding luck.
  double sum = 0.0, compensation = 0.0;
  for (double v : values) {
    const double y = v - compensation;
    const double t = sum + y;
    compensation = (t - sum) - y;
    sum = t;
  }
  return sum / static_cast<double>(values.size());
}

double sample_std(std::span<const double> values) {
  if (values.size() < 2) return 0.0;
  const double mean = mean_of(values);
  double squares = 0.0;
  for (double v : values) squares += (v - mean) * (v - mean);
  return std::sqrt(squares / static_cast<double>(values.size() - 1));
}

double student_t_two_sided_mass(double t, int df) {
  require(df >= 1, "student t", [&] { return "degrees of freedom must be >= 1, got " + std::to_string(df); });
  if (std::isnan(t)) return t;
  t = std::fabs(t);
  if (std::isinf(t)) return 1.0;
  const double theta = std::atan(t / std::sqrt(static_cast<double>(df)));
  const double s = std::sin(theta), c = std::cos(theta), c2 = c * c;
  if (df % 2 == 1) {
    // (2/pi)[theta + sin(theta)(cos + 2/3 cos^3 + ... + (2*4..(df-3))/(1*3..(df-2)) cos^(df-2))]
    double series = 0.0;
    if (df > 1) {
      double term = c;
      series = term;
      for (int k = 3; k <= df - 2; k += 2) {
        term *= c2 * static_cast<double>(k - 1) / static_cast<double>(k);
        series += term;
      }
    }
    return 2.0 / std::numbers::pi * (theta + s * series);
  }
  // sin(theta)[1 + 1/2 cos^2 + (1*3)/(2*4) cos^4 + ... + (1*3..(df-3))/(2*4..(df-2)) cos^(df-2)]
  double term = 1.0, series = 1.0;
  for (int k = 2; k <= df - 2; k += 2) {
    term *= c2 * static_cast<double>(k - 1) / static_cast<double>(k);
    series += term;
  }
  return s * series;
}

double student_t_critical(double confidence, int df) {
  require(confidence > 0.0 && confidence < 1.0, "student t",
          [&] { return "confidence must be in (0, 1), got " + std::to_string(confidence); });
  require(df >= 1, "student t", [&] { return "degrees of freedom must be >= 1, got " + std::to_string(df); });
  double lo = 0.0, hi = 1.0;
  while (student_t_two_sided_mass(hi, df) < confidence) hi *= 2.0;
  for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    (student_t_two_sided_mass(mid, df) < confidence ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

MeanInterval mean_with_t_interval(std::span<const double> values, double confidence) {
  MeanInterval out;
  out.mean = mean_of(values);
  if (values.size() < 2) return out;
  const int df = static_cast<int>(values.size()) - 1;
  // Reports ask for the same quantile thousands of times (every figure of
  // every configuration over the same problems): remember the last one.
  thread_local double cached_confidence = -1.0, cached_t = 0.0;
  thread_local int cached_df = -1;
  if (confidence != cached_confidence || df != cached_df) {
    cached_t = student_t_critical(confidence, df);
    cached_confidence = confidence;
    cached_df = df;
  }
  const double half = cached_t * sample_std(values) /
                      std::sqrt(static_cast<double>(values.size()));
  out.lo = out.mean - half;
  out.hi = out.mean + half;
  return out;
}

}  // namespace optscale::replay
