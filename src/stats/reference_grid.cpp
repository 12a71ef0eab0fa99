#include "optscale/stats/reference_grid.hpp"

#include <bit>
#include <cmath>

namespace optscale::stats {
namespace {

constexpr int kGridPoints = ReferenceGrid::kPoints;
constexpr double kSqrtHalf = 0.70710678118654752440;  // NumPy's M_SQRT1_2
constexpr double kSqrt2Pi = 2.5066282746310002;       // np.sqrt(2 * np.pi)
constexpr double kMaxLog = 7.09782712893383996843e2;  // Cephes MAXLOG = log(DBL_MAX)

// Cephes erfc as SciPy ships it, for z >= 1: exactly 0 once z^2 > MAXLOG
// (z > 26.64), where the C library would still return subnormal values. The
// value itself comes from the C library (agrees to a few ulp).
double cephes_erfc_tail(double z) {
  if (-z * z < -kMaxLog) return 0.0;
  return std::erfc(z);
}

// scipy.special.ndtr (Cephes): erf near 0, erfc of |x|/sqrt(2) beyond.
double scipy_ndtr(double a) {
  if (std::isnan(a)) return a;
  const double x = a * kSqrtHalf;
  const double z = std::fabs(x);
  if (z < 1.0) return 0.5 + 0.5 * std::erf(x);
  const double y = 0.5 * cephes_erfc_tail(z);
  return x > 0.0 ? 1.0 - y : y;
}

// numpy.linspace(0, 1, 1000): i * (1/999), with the last point set to 1.
const std::array<double, kGridPoints>& grid_points() {
  static const std::array<double, kGridPoints> grid = [] {
    std::array<double, kGridPoints> g{};
    const double step = 1.0 / (kGridPoints - 1);
    for (int i = 0; i < kGridPoints; ++i) g[i] = i * step;
    g[kGridPoints - 1] = 1.0;
    return g;
  }();
  return grid;
}

// c^k for an integer k >= 1, correctly rounded in all but astronomically rare
// cases: binary powering in double-double arithmetic (error ~k 2^-104 before
// the final rounding). The C library's pow gives the same value (it is
// correctly rounded to within 0.52 ulp) but takes ~0.5 us for bases near 1,
// which is most of this grid. Results near underflow go to pow itself.
double integer_power(double c, int k) {
  if (!std::isfinite(c) || c == 0.0 || c == 1.0) return std::pow(c, k);
  double hi = 1.0, lo = 0.0;          // result
  double base_hi = c, base_lo = 0.0;  // c^(2^j)
  auto multiply = [](double a_hi, double a_lo, double b_hi, double b_lo, double& out_hi,
                     double& out_lo) {
    const double product = a_hi * b_hi;
    double error = std::fma(a_hi, b_hi, -product);
    error += a_hi * b_lo + a_lo * b_hi;
    out_hi = product + error;
    out_lo = error - (out_hi - product);
  };
  for (int e = k;;) {
    if (e & 1) multiply(hi, lo, base_hi, base_lo, hi, lo);
    e >>= 1;
    if (e == 0) break;
    multiply(base_hi, base_lo, base_hi, base_lo, base_hi, base_lo);
  }
  const double result = hi + lo;
  if (std::fabs(result) < 1e-290) return std::pow(c, k);
  return result;
}

// numpy.searchsorted(values, key, side='left') for a non-NaN key: binary
// search for the first index whose value is not < key, NaN counting as
// larger than everything (NumPy's sort order).
int searchsorted_left(const std::array<double, kGridPoints>& values, double key) {
  int lo = 0, hi = kGridPoints;
  while (lo < hi) {
    const int mid = lo + ((hi - lo) >> 1);
    if (values[mid] < key) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

}  // namespace

ReferenceGrid::ReferenceGrid(double mu, double sigma) {
  // Density and CDF of one draw on the grid, as the reference evaluates them:
  // norm.pdf(x, mu, sigma) / Z and (ndtr((x - mu)/sigma) - ndtr(a)) / Z.
  const auto& grid = grid_points();
  const double a = (0.0 - mu) / sigma;
  const double b = (1.0 - mu) / sigma;
  const double ndtr_a = scipy_ndtr(a);
  const double z_mass = scipy_ndtr(b) - ndtr_a;
  for (int i = 0; i < kGridPoints; ++i) {
    const double z = (grid[i] - mu) / sigma;
    density_[i] = std::exp(-(z * z) / 2.0) / kSqrt2Pi / sigma / z_mass;
    cdf_[i] = (scipy_ndtr(z) - ndtr_a) / z_mass;
  }
}

const std::array<double, ReferenceGrid::kPoints>& ReferenceGrid::normalised_cdf_of_max(int n) {
  while (static_cast<int>(by_n_.size()) < n) {
    const int m = static_cast<int>(by_n_.size()) + 1;
    const double step = grid_points()[1] - grid_points()[0];
    std::array<double, kGridPoints> cumulative{};
    // Density of the maximum: f for N = 1, else (N f) * F^(N-1), summed in order.
    double running = 0.0;
    for (int i = 0; i < kGridPoints; ++i) {
      double value;
      if (m == 1) {
        value = density_[i];
      } else if ((density_[i] == 0.0 || cdf_[i] == 0.0) && std::isfinite(density_[i]) &&
                 std::isfinite(cdf_[i])) {
        value = 0.0;  // what the product gives, without the power
      } else {
        value = (m * density_[i]) * integer_power(cdf_[i], m - 1);
      }
      running += value;
      cumulative[i] = running * step;
    }
    const double last = cumulative[kGridPoints - 1];
    for (double& c : cumulative) c = c / last;
    by_n_.push_back(cumulative);
  }
  return by_n_[n - 1];
}

double ReferenceGrid::success_probability(double target, int n) {
  // 1 - curve at the last grid point strictly below the target: n passes in
  // min_n exactly when that curve value is below delta.
  const auto& grid = grid_points();
  int below = -1;
  while (below + 1 < kGridPoints && grid[below + 1] < target) ++below;
  return below < 0 ? 1.0 : 1.0 - normalised_cdf_of_max(n)[below];
}

ReferenceGridResult ReferenceGrid::min_n(double target, double delta, int budget) {
  const auto& grid = grid_points();
  for (int n = 1; n <= budget; ++n) {
    const auto& curve = normalised_cdf_of_max(n);
    const int index = searchsorted_left(curve, delta);
    const double score = index >= kGridPoints ? grid[kGridPoints - 1] : grid[index];
    if (score >= target) return {n, true, success_probability(target, n)};
  }
  return {budget, false, success_probability(target, budget)};
}

ReferenceGridCache::ReferenceGridCache(std::size_t max_laws, std::size_t max_curves)
    : max_laws_(max_laws < 1 ? 1 : max_laws), max_curves_(max_curves) {}

ReferenceGrid& ReferenceGridCache::grid(double mu, double sigma) {
  const auto mu_bits = std::bit_cast<std::uint64_t>(mu), sigma_bits = std::bit_cast<std::uint64_t>(sigma);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->mu_bits != mu_bits || it->sigma_bits != sigma_bits) continue;
    ++hits_;
    entries_.splice(entries_.begin(), entries_, it);
    return entries_.front().grid;
  }
  ++misses_;
  // Make room first: the older grids' curves (they grow while in use).
  std::size_t curves = 0;
  for (const Entry& e : entries_) curves += e.grid.curves();
  while (!entries_.empty() && (entries_.size() >= max_laws_ || curves > max_curves_)) {
    curves -= entries_.back().grid.curves();
    entries_.pop_back();
  }
  entries_.push_front(Entry{mu_bits, sigma_bits, ReferenceGrid(mu, sigma)});
  return entries_.front().grid;
}

namespace {

ReferenceGridCache& thread_cache() {
  thread_local ReferenceGridCache cache;
  return cache;
}

}  // namespace

ReferenceGridResult reference_grid_min_n(double mu, double sigma, double target, double delta,
                                         int budget) {
  return thread_cache().grid(mu, sigma).min_n(target, delta, budget);
}

double reference_grid_success_probability(double mu, double sigma, double target, int n) {
  return thread_cache().grid(mu, sigma).success_probability(target, n);
}

}  // namespace optscale::stats
