// Portable random draws for the simulator. std::*_distribution algorithms are
// implementation-defined, so a pool drawn with them would differ between
// standard libraries; these are written out (std::mt19937_64's sequence is
// fixed by the standard) so a seed gives the same pool everywhere the maths
// library rounds alike. Internal to the pool layer.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>

#include "optscale/util/hash.hpp"

namespace optscale::pool::sim {

// SplitMix64: decorrelates nearby seeds (seed, problem index).
inline std::uint64_t mix64(std::uint64_t x) { return util::splitmix64(x); }

class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}

  // Uniform on (0, 1): 53 random bits, never exactly 0 or 1.
  double uniform() {
    return (static_cast<double>(engine_() >> 11) + 0.5) * 0x1.0p-53;
  }

  // Uniform integer in [0, n) by rejection (no modulo bias).
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    std::uint64_t x;
    do x = engine_(); while (x >= limit);
    return x % n;
  }

  // Standard normal by Box-Muller; the second value of each pair is kept.
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double r = std::sqrt(-2.0 * std::log(uniform()));
    const double angle = 2.0 * std::numbers::pi * uniform();
    spare_ = r * std::sin(angle);
    has_spare_ = true;
    return r * std::cos(angle);
  }

  // Gamma(shape, 1) by Marsaglia & Tsang (2000); shape < 1 by the boost
  // Gamma(shape) = Gamma(shape + 1) * U^(1/shape).
  double gamma(double shape) {
    if (shape < 1.0) return gamma(shape + 1.0) * std::pow(uniform(), 1.0 / shape);
    const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
      double x, v;
      do {
        x = normal();
        v = 1.0 + c * x;
      } while (v <= 0.0);
      v = v * v * v;
      const double u = uniform();
      if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
      if (std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
    }
  }

  // Beta(a, b) as X / (X + Y) of two gammas; for both shapes small the ratio is
  // taken in log space so that neither underflows to 0/0.
  double beta(double a, double b) {
    if (a < 1.0 && b < 1.0) {
      const double log_x = std::log(gamma(a + 1.0)) + std::log(uniform()) / a;
      const double log_y = std::log(gamma(b + 1.0)) + std::log(uniform()) / b;
      const double m = std::max(log_x, log_y);
      const double x = std::exp(log_x - m), y = std::exp(log_y - m);
      return x / (x + y);
    }
    const double x = gamma(a), y = gamma(b);
    return x / (x + y);
  }

  // Beta with the given mean in (0, 1) and concentration a + b.
  double beta_mean(double mean, double concentration) {
    return beta(mean * concentration, (1.0 - mean) * concentration);
  }

  double lognormal(double log_median, double log_sd) {
    return std::exp(log_median + log_sd * normal());
  }

 private:
  std::mt19937_64 engine_;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

}  // namespace optscale::pool::sim
