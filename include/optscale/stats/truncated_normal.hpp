// The score law of one problem: a normal N(mu, sigma^2) truncated to [0, 1]
// (paper-spec §1). mu may be any real number, sigma > 0. Every quantity is
// computed in log space so that sigma down to 1e-6, |mu| up to 50 and points
// thousands of standard deviations out stay finite (see docs/numerics.md).
#pragma once
#include <random>

namespace optscale::stats {

class TruncatedNormal {
 public:
  // Throws optscale::Error unless mu is finite and sigma is finite and > 0.
  TruncatedNormal(double mu, double sigma);

  double mu() const { return mu_; }
  double sigma() const { return sigma_; }
  // log Z, Z = Phi(b) - Phi(a), a = -mu/sigma, b = (1-mu)/sigma.
  double log_normalizer() const { return log_z_; }

  // Density and its log; 0 (-inf) outside [0, 1].
  double log_pdf(double s) const;
  double pdf(double s) const;
  // F(s) = P(S <= s) and its log; 0 below 0, 1 above 1.
  double log_cdf(double s) const;
  double cdf(double s) const;
  // 1 - F(s), computed from the upper tail (no cancellation near s = 1).
  double log_survival(double s) const;
  double survival(double s) const;
  // log F(s) and log S(s) together, for the price of one tail: the smaller
  // tail directly, the other as log1m_exp of it (each as accurate as alone).
  struct LogTails {
    double log_cdf, log_survival;
  };
  LogTails log_tails(double s) const;
  // The s in [0, 1] with F(s) = p, and the same from log p (for p far below
  // double's range, as the max-of-N law needs).
  double quantile(double p) const;
  double quantile_from_log(double log_p) const;

  // One draw by inversion (u in (0,1) from the generator): deterministic for a
  // seeded generator on every platform with the same std::mt19937_64.
  double sample(std::mt19937_64& rng) const;

 private:
  // log of the mass of [s1, s2] (0 <= s1 <= s2 <= 1) of the untruncated
  // normal, divided by phi(pivot_): see log_normal_mass_scaled.
  double log_mass(double s1, double s2) const;
  // Newton's method on the log of the smaller tail, bracketed in [0, 1].
  double solve_quantile(double log_p) const;

  double mu_, sigma_;
  double a_, b_;  // standardised bounds
  // Every log-probability is measured against the density at a pivot: the
  // bound the mass piles up against when mu lies outside [0, 1] (1 for
  // mu >= 1, 0 for mu <= 0), otherwise mu itself. Offsets from it are formed
  // from raw scores, (s - pivot_score_) / sigma, so they stay exact when mu is
  // millions of standard deviations away and Phi(b) itself underflows.
  double pivot_score_;
  double pivot_;           // (pivot_score_ - mu) / sigma
  double log_mass_total_;  // log(Z / phi(pivot_))
  // A standardised bound or the total mass is not representable: |mu| / sigma
  // or |1 - mu| / sigma overflows a double (mu = 2, sigma = 1e-308; mu =
  // 1e300, sigma = 1e-300; mu = 0.5, sigma = 5e-324). Then every
  // double-precision answer is that of a point mass at pivot_score_ (mu
  // clamped to [0, 1]; the mass sits within ~1e-308 of it, half on each side
  // when mu is inside), and the methods answer as one instead of forming
  // inf - inf.
  bool point_mass_ = false;
  double log_z_;
};

}  // namespace optscale::stats
