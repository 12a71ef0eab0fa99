// The reference implementation's sample-count routine, reproduced operation
// for operation (paper-spec §1; Albertwyk/OptScale, BoN_OptScale/utils.py,
// find_min_N_for_threshold), so that published decisions can be matched. It
// is not the right answer (the exact method is; see docs/numerics.md): it
// integrates the density of the maximum on a 1000-point grid and, where the
// density underflows (sigma small against the grid spacing, or mu tens of
// sigma outside [0, 1]), gets NaN and spends the whole budget.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <list>
#include <vector>

namespace optscale::stats {

struct ReferenceGridResult {
  int n = 0;           // the first N that passed, or the budget when none did
  bool found = false;  // whether some N in [1, budget] passed
  // The grid's own P(max of n >= target): 1 minus its normalised cumulative
  // curve at the last grid point below the target (1 when none is), so that
  // n passes exactly when this exceeds 1 - delta. NaN where the grid's curve
  // is NaN (its density underflowed): the routine then has no probability.
  double p_success = 0.0;
};

// For N = 1..budget: density of the maximum of N draws on x = linspace(0, 1,
// 1000) (N f F^(N-1), or f for N = 1, with SciPy's normal density and ndtr,
// including ndtr's erfc underflow to 0 beyond |x| ~ 37.7); cumulative sum
// times the step, divided by its last element; first index whose value is
// >= delta (NumPy's searchsorted, NaN ordered last); N passes when that grid
// point (1.0 past the end) is >= target.
//
// One object per law: the normalised cumulative curve of each N depends on
// (mu, sigma) only, so it is computed once and shared by every (target,
// delta) asked of the same law. Not thread-safe (the cache grows on use).
class ReferenceGrid {
 public:
  static constexpr int kPoints = 1000;

  // mu finite, sigma > 0 finite (the caller validates, as TruncatedNormal does).
  ReferenceGrid(double mu, double sigma);

  // Requires budget >= 1.
  ReferenceGridResult min_n(double target, double delta, int budget);

  // The grid's own P(max of n >= target) (see ReferenceGridResult::p_success). n >= 1.
  double success_probability(double target, int n);

  // Curves of the maximum computed so far (each kPoints doubles): its memory.
  std::size_t curves() const { return by_n_.size(); }

 private:
  const std::array<double, kPoints>& normalised_cdf_of_max(int n);

  std::array<double, kPoints> density_{}, cdf_{};
  std::vector<std::array<double, kPoints>> by_n_;  // by_n_[n-1]
};

// The grids of the laws used most recently, found by the exact bits of (mu,
// sigma). A grid is a pure function of its law, so a cached one answers
// exactly as a fresh one. Bounded: at most `max_laws` grids and, beyond the
// newest, `max_curves` curves in all (8 KB each); the least recently used go
// first.
class ReferenceGridCache {
 public:
  explicit ReferenceGridCache(std::size_t max_laws = 64, std::size_t max_curves = 2048);
  // The grid of (mu, sigma), built when absent; valid until the next call.
  ReferenceGrid& grid(double mu, double sigma);
  std::size_t size() const { return entries_.size(); }
  std::size_t hits() const { return hits_; }
  std::size_t misses() const { return misses_; }

 private:
  struct Entry {
    std::uint64_t mu_bits, sigma_bits;
    ReferenceGrid grid;
  };
  std::size_t max_laws_, max_curves_;
  std::list<Entry> entries_;  // most recently used first
  std::size_t hits_ = 0, misses_ = 0;
};

// ReferenceGrid(mu, sigma).min_n(target, delta, budget), through a
// per-thread ReferenceGridCache: deciding many (target, delta, budget) for
// one law -- every point of a swept grid replayed on the same fit, or the
// reference's decisions for one problem -- builds its curves once.
ReferenceGridResult reference_grid_min_n(double mu, double sigma, double target, double delta,
                                         int budget);

// ReferenceGrid(mu, sigma).success_probability(target, n), through the same cache.
double reference_grid_success_probability(double mu, double sigma, double target, int n);

}  // namespace optscale::stats
