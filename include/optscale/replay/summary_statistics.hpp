// Summaries of per-problem figures: the mean and a Student t confidence
// interval for it, as every replay report prints them (docs/replay.md).
#pragma once
#include <optional>
#include <span>

namespace optscale::replay {

struct MeanInterval {
  double mean = 0.0;
  // Two-sided interval for the mean; absent when fewer than two values.
  std::optional<double> lo, hi;
};

// Arithmetic mean; throws optscale::Error on an empty span.
double mean_of(std::span<const double> values);

// Sample standard deviation (n - 1 in the denominator); 0 for fewer than two values.
double sample_std(std::span<const double> values);

// P(|T| <= t) for Student's t with `df` >= 1 degrees of freedom, by the
// exact finite series of Abramowitz & Stegun 26.7.3-4 (all terms positive).
double student_t_two_sided_mass(double t, int df);

// The t with P(|T| <= t) = confidence, e.g. 12.706 for df = 1 and 0.95.
// Bisection on the series above; accurate to 1e-12 relative.
double student_t_critical(double confidence, int df);

// mean ± t_{(1+c)/2, n-1} · s / sqrt(n). Throws on an empty span or a
// confidence outside (0, 1).
MeanInterval mean_with_t_interval(std::span<const double> values, double confidence = 0.95);

}  // namespace optscale::replay
