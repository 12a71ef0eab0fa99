// Maximum likelihood and maximum a posteriori fits of TN(mu, sigma) on [0, 1]
// (paper-spec §2), by projected quasi-Newton over (mu, log sigma) inside the
// FitBounds box. Method, bounds and degenerate cases: docs/estimators.md.
#include "optscale/stats/estimators.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>

#include "optscale/stats/normal.hpp"
#include "optscale/stats/projected_quasi_newton.hpp"
#include "optscale/util/error.hpp"
#include "truncated_normal_likelihood.hpp"

namespace optscale::stats {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Shortest text that reads back as the same double (for error messages).
std::string show(double x) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}
// Stopping rule: a move of one sigma in mu, or of a factor e in sigma, changes
// the objective by at most this much per score (see docs/estimators.md).
constexpr double kTolerancePerScore = 1e-9;
// Largest change of log sigma in one step: sigma moves by at most e^3 = 20x.
constexpr double kMaxLogSigmaStep = 3.0;
constexpr int kMaxIterations = 500;

void check_bounds(const FitBounds& b) {
  const std::string where = "fit bounds";
  require(!std::isnan(b.mu_min) && !std::isnan(b.mu_max) && b.mu_min <= b.mu_max &&
              b.mu_min < kInf && b.mu_max > -kInf,
          where, [&] { return "need mu_min <= mu_max (either may be infinite outward), got [" +
                     show(b.mu_min) + ", " + show(b.mu_max) + "]"; });
  require(std::isfinite(b.sigma_min) && b.sigma_min > 0.0, where,
          [&] { return "sigma_min must be finite and > 0, got " + show(b.sigma_min); });
  require(!std::isnan(b.sigma_max) && b.sigma_max >= b.sigma_min, where,
          [&] { return "need sigma_max >= sigma_min (sigma_max may be +inf), got " +
              show(b.sigma_max); });
}

void check_prior(const FitPrior& p) {
  const std::string where = "fit prior";
  require(std::isfinite(p.mean_mu) && std::isfinite(p.mean_sigma), where,
          [&] { return "prior means must be finite, got mu " + show(p.mean_mu) + ", sigma " +
              show(p.mean_sigma); });
  require(std::isfinite(p.std_mu) && p.std_mu > 0.0, where,
          [&] { return "prior std of mu must be finite and > 0, got " + show(p.std_mu); });
  require(std::isfinite(p.std_sigma) && p.std_sigma > 0.0, where,
          [&] { return "prior std of sigma must be finite and > 0, got " + show(p.std_sigma); });
}

// log N(mu; m_mu, s_mu^2) + log N(sigma; m_sigma, s_sigma^2) (sigma's prior
// not truncated at 0, as in the reference) and its (mu, log sigma) gradient.
struct PriorTerm {
  double value, d_mu, d_log_sigma;
};

PriorTerm log_prior(const FitPrior& p, double mu, double sigma) {
  const double u = (mu - p.mean_mu) / p.std_mu;
  const double v = (sigma - p.mean_sigma) / p.std_sigma;
  return {-0.5 * (u * u + v * v) - std::log(p.std_mu) - std::log(p.std_sigma) - 2.0 * kLogSqrt2Pi,
          -u / p.std_mu, -v / p.std_sigma * sigma};
}

// f(mu, log sigma) = -(log likelihood + log prior), minimised.
class NegativeLogPosterior final : public BoxObjective2 {
 public:
  NegativeLogPosterior(const detail::ScoreSummary& scores, const std::optional<FitPrior>& prior)
      : scores_(scores), prior_(prior) {}

  double evaluate(const Vec2& x, Vec2& gradient) const override {
    const double sigma = std::exp(x[1]);
    const detail::LikelihoodValue l =
        detail::truncated_normal_log_likelihood(scores_, x[0], sigma, x[1]);
    double value = l.value, d_mu = l.d_mu, d_log_sigma = l.d_log_sigma;
    if (prior_) {
      const PriorTerm p = log_prior(*prior_, x[0], sigma);
      value += p.value;
      d_mu += p.d_mu;
      d_log_sigma += p.d_log_sigma;
    }
    gradient = {-d_mu, -d_log_sigma};
    return -value;
  }

  Vec2 natural_scale(const Vec2& x) const override { return {std::exp(x[1]), 1.0}; }

  // Curvature of a plain normal's negative log likelihood (k/sigma^2 in mu,
  // 2k in log sigma) plus the prior's.
  Vec2 curvature_guess(const Vec2& x) const override {
    const double sigma = std::exp(x[1]);
    const double k = scores_.count;
    Vec2 c = {k / (sigma * sigma), 2.0 * k};
    if (prior_) {
      c[0] += 1.0 / (prior_->std_mu * prior_->std_mu);
      c[1] += std::max(0.0, sigma * (2.0 * sigma - prior_->mean_sigma)) /
              (prior_->std_sigma * prior_->std_sigma);
    }
    return c;
  }

 private:
  detail::ScoreSummary scores_;
  std::optional<FitPrior> prior_;
};

}  // namespace

FitBounds FitBounds::reference_parity() { return {-kInf, kInf, 1e-6, kInf}; }

FitResult fit_truncated_normal(std::span<const double> scores,
                               const std::optional<FitPrior>& prior, const FitBounds& bounds) {
  const detail::ScoreSummary summary = detail::summarize_scores(scores, "truncated normal fit");
  check_bounds(bounds);
  if (prior) check_prior(*prior);

  // The reference's start: peek moments for the MLE, prior means for the MAP.
  double mu0 = summary.mean;
  double sigma0 = std::sqrt(summary.squared_deviations / summary.count);
  if (prior) {
    mu0 = prior->mean_mu;
    sigma0 = prior->mean_sigma;
  }
  mu0 = std::clamp(mu0, bounds.mu_min, bounds.mu_max);
  sigma0 = std::clamp(sigma0, bounds.sigma_min, bounds.sigma_max);

  const NegativeLogPosterior objective(summary, prior);
  const Box2 box{{bounds.mu_min, std::log(bounds.sigma_min)},
                 {bounds.mu_max, std::log(bounds.sigma_max)}};
  QuasiNewtonOptions options;
  options.tolerance = kTolerancePerScore * (summary.count + 1);
  options.max_iterations = kMaxIterations;
  options.max_step = {kInf, kMaxLogSigmaStep};
  const QuasiNewtonResult r =
      minimize_projected_quasi_newton(objective, {mu0, std::log(sigma0)}, box, options);

  FitResult out;
  out.mu = r.x[0];
  // exp(log sigma_min) need not round back to sigma_min: a sigma at its bound
  // is reported as the bound itself, and the likelihood at the reported point.
  if (r.x[1] <= box.lower[1]) out.sigma = bounds.sigma_min;
  else if (r.x[1] >= box.upper[1]) out.sigma = bounds.sigma_max;
  else out.sigma = std::clamp(std::exp(r.x[1]), bounds.sigma_min, bounds.sigma_max);
  out.log_likelihood =
      detail::truncated_normal_log_likelihood(summary, out.mu, out.sigma, std::log(out.sigma)).value;
  out.objective = out.log_likelihood + (prior ? log_prior(*prior, out.mu, out.sigma).value : 0.0);
  out.converged = r.converged();
  out.iterations = r.iterations;
  out.stationarity = r.stationarity;
  return out;
}

}  // namespace optscale::stats
