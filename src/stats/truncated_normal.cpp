#include "optscale/stats/truncated_normal.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "number_text.hpp"
#include "optscale/stats/normal.hpp"
#include "optscale/util/error.hpp"

namespace optscale::stats {
namespace {

constexpr double kLog2 = 0.69314718055994530942;

// logit and its inverse, each accurate near both 0 and 1. logit(0) and
// logit(1) are clamped to the logits of the extreme doubles, so that a
// bracket end at 0 or 1 can still be bisected in t.
double logit(double s) {
  if (s <= 0.0) return -745.0;
  if (s >= 1.0) return 37.5;
  return std::log(s) - std::log1p(-s);
}

double inverse_logit(double t) {
  if (t >= 0.0) return 1.0 / (1.0 + std::exp(-t));
  const double e = std::exp(t);
  return e / (1.0 + e);
}

}  // namespace

TruncatedNormal::TruncatedNormal(double mu, double sigma) : mu_(mu), sigma_(sigma) {
  if (!(std::isfinite(mu))) {
    throw Error("truncated normal: mu must be finite, got " + detail::number_text(mu));
  }
  if (!(std::isfinite(sigma) && sigma > 0.0)) {
    throw Error("truncated normal: sigma must be finite and > 0, got " +
                detail::number_text(sigma));
  }
  a_ = -mu / sigma;
  b_ = (1.0 - mu) / sigma;
  pivot_score_ = mu >= 1.0 ? 1.0 : (mu <= 0.0 ? 0.0 : mu);
  pivot_ = mu >= 1.0 ? b_ : (mu <= 0.0 ? a_ : 0.0);
  log_mass_total_ = log_mass(0.0, 1.0);
  log_z_ = log_normal_pdf(pivot_) + log_mass_total_;
  point_mass_ = !std::isfinite(a_) || !std::isfinite(b_) || !std::isfinite(log_mass_total_);
  if (point_mass_) log_mass_total_ = 0.0;
}

double TruncatedNormal::log_mass(double s1, double s2) const {
  const double x = (s1 - mu_) / sigma_;
  const double y = (s2 - mu_) / sigma_;
  return log_normal_mass_scaled(x, y, pivot_, (s2 - s1) / sigma_, (s1 - pivot_score_) / sigma_,
                                (s2 - pivot_score_) / sigma_);
}

double TruncatedNormal::log_pdf(double s) const {
  if (std::isnan(s)) return s;
  if (s < 0.0 || s > 1.0) return kNegInf;
  if (point_mass_) return s == pivot_score_ ? std::numeric_limits<double>::infinity() : kNegInf;
  // log phi(z) - log phi(pivot) = -(z - pivot)(z + pivot)/2, from the exact offset.
  const double z = (s - mu_) / sigma_;
  const double offset = (s - pivot_score_) / sigma_;
  const double log_ratio = offset == 0.0 ? 0.0 : -0.5 * offset * (z + pivot_);  // 0, not 0 * inf
  return log_ratio - std::log(sigma_) - log_mass_total_;
}

double TruncatedNormal::pdf(double s) const { return std::exp(log_pdf(s)); }

double TruncatedNormal::log_cdf(double s) const {
  if (std::isnan(s)) return s;
  if (s <= 0.0) return kNegInf;
  if (s >= 1.0) return 0.0;
  if (point_mass_) return s < pivot_score_ ? kNegInf : s > pivot_score_ ? 0.0 : -kLog2;
  // Whichever side holds less mass is computed directly; the other as its
  // complement, so both F ~ 0 and F ~ 1 keep their precision.
  const double log_lower = log_mass(0.0, s) - log_mass_total_;
  if (log_lower < -kLog2) return log_lower;
  return log1m_exp(log_mass(s, 1.0) - log_mass_total_);
}

double TruncatedNormal::cdf(double s) const { return std::exp(log_cdf(s)); }

double TruncatedNormal::log_survival(double s) const {
  if (std::isnan(s)) return s;
  if (s <= 0.0) return 0.0;
  if (s >= 1.0) return kNegInf;
  if (point_mass_) return s < pivot_score_ ? 0.0 : s > pivot_score_ ? kNegInf : -kLog2;
  const double log_upper = log_mass(s, 1.0) - log_mass_total_;
  if (log_upper < -kLog2) return log_upper;
  return log1m_exp(log_mass(0.0, s) - log_mass_total_);
}

TruncatedNormal::LogTails TruncatedNormal::log_tails(double s) const {
  if (std::isnan(s)) return {s, s};
  if (s <= 0.0) return {kNegInf, 0.0};
  if (s >= 1.0) return {0.0, kNegInf};
  if (point_mass_) return {log_cdf(s), log_survival(s)};
  const double log_lower = log_mass(0.0, s) - log_mass_total_;
  if (log_lower < -kLog2) return {log_lower, log1m_exp(log_lower)};
  const double log_upper = log_mass(s, 1.0) - log_mass_total_;
  return {log1m_exp(log_upper), log_upper};
}

double TruncatedNormal::survival(double s) const { return std::exp(log_survival(s)); }

double TruncatedNormal::quantile(double p) const {
  if (!(p >= 0.0 && p <= 1.0)) {
    throw Error("truncated normal quantile: p must be in [0, 1], got " + detail::number_text(p));
  }
  return quantile_from_log(std::log(p));
}

double TruncatedNormal::quantile_from_log(double log_p) const {
  if (!(!std::isnan(log_p) && log_p <= 0.0)) {
    throw Error("truncated normal quantile: log p must be <= 0, got " + detail::number_text(log_p));
  }
  if (log_p == kNegInf) return 0.0;
  if (log_p == 0.0) return 1.0;
  if (point_mass_) return pivot_score_;
  return solve_quantile(log_p);
}

double TruncatedNormal::solve_quantile(double log_p) const {
  // The tail with less mass is the one whose log keeps its digits: below the
  // median solve log F(s) = log p, above it log S(s) = log(1 - p).
  const bool upper = log_p > -kLog2;
  const double target = upper ? log1m_exp(log_p) : log_p;

  // Start: invert Phi on the untruncated scale, Phi(x) = Phi(a) + p Z (or the
  // mirror image from above). Exact up to rounding when mu is inside [0, 1];
  // the Newton steps below repair it when the mass sits in a far tail.
  double s;
  if (!upper) {
    s = mu_ + sigma_ * normal_quantile_from_log(log_sum_exp(log_normal_cdf(a_), log_p + log_z_));
  } else {
    s = mu_ - sigma_ * normal_quantile_from_log(log_sum_exp(log_normal_cdf(-b_), target + log_z_));
  }
  if (!(s > 0.0)) s = 0.0;
  if (!(s < 1.0)) s = 1.0;

  // Newton's method on the logit t = log(s / (1 - s)), in which a tail that
  // is ~exp(-c/s) or ~s^k near 0 (or the mirror image near 1) is close to
  // linear, so a target of p = 1e-300 is one step, not a thousand halvings.
  // A bracket [lo, hi] in s, tightened by every evaluation, catches steps
  // that overshoot (they bisect the bracket in t instead); the search ends
  // when the Newton correction is down to rounding level or the bracket
  // holds no double strictly inside.
  if (!(s > 0.0)) s = std::numeric_limits<double>::denorm_min();
  if (!(s < 1.0)) s = std::nextafter(1.0, 0.0);
  double lo = 0.0, hi = 1.0;
  double best = s, best_gap = std::numeric_limits<double>::infinity();
  for (int iter = 0; iter < 100; ++iter) {
    const double value = upper ? log_survival(s) : log_cdf(s);
    // Oriented so that it rises with s: log F - target, or target - log S.
    const double rise = upper ? target - value : value - target;
    if (std::fabs(rise) < best_gap) {
      best = s;
      best_gap = std::fabs(rise);
    }
    if (rise == 0.0) break;
    if (rise > 0.0) {
      hi = s;
    } else {
      lo = s;
    }
    // d(rise)/dt = (f / tail) s (1 - s), tail being the solved one.
    // (In logs: f / tail alone overflows at s ~ 1e-320.)
    const double slope = std::exp(log_pdf(s) - value + std::log(s) + std::log1p(-s));
    const double newton = inverse_logit(logit(s) - rise / slope);
    // A correction of a couple of ulps is at the level of the rounding of
    // log F itself: take it and stop, rather than walk the noise ulp by ulp.
    if (std::fabs(newton - s) <= 2.0 * std::numeric_limits<double>::epsilon() * s) return newton;
    double next = newton;
    if (!(next > lo && next < hi)) next = inverse_logit(0.5 * (logit(lo) + logit(hi)));
    if (!(next > lo && next < hi)) next = lo + 0.5 * (hi - lo);
    if (!(next > lo && next < hi)) break;
    s = next;
  }
  return best;
}

double TruncatedNormal::sample(std::mt19937_64& rng) const {
  // 53 random bits -> u in (0, 1), never 0 or 1.
  const double u = (static_cast<double>(rng() >> 11) + 0.5) * 0x1.0p-53;
  return quantile_from_log(std::log(u));
}

}  // namespace optscale::stats
