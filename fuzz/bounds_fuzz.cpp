// The score law, the sample-count bound and the estimators on any doubles
// (NaN, infinities, subnormals, huge and tiny values): the input's bytes are
// read as raw doubles. The documented contracts are the oracle
// (include/optscale/stats/truncated_normal.hpp, sample_bound.hpp,
// estimators.hpp): optscale::Error exactly for the inputs they refuse, and
// otherwise probabilities in [0, 1] (never NaN), a quantile in [0, 1], a
// sample count in [max(1, peek), budget] with the outcome's rule, fits
// inside their box with a finite likelihood.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "optscale/stats/estimators.hpp"
#include "optscale/stats/sample_bound.hpp"
#include "optscale/stats/truncated_normal.hpp"

using namespace optscale;

namespace {

double raw_double(FuzzedDataProvider& in) {
  std::uint64_t bits = in.ConsumeIntegral<std::uint64_t>();
  double x;
  std::memcpy(&x, &bits, sizeof x);
  return x;
}

std::string show(double x) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", x);
  return buffer;
}

bool probability(double p) { return p >= 0.0 && p <= 1.0; }

void check_law(const stats::TruncatedNormal& law, double s, double p, const std::string& what) {
  if (std::isnan(s)) return;  // the contract names no value at NaN
  const double cdf = law.cdf(s), survival = law.survival(s);
  FUZZ_CHECK(probability(cdf) && probability(survival), what + " cdf " + show(cdf) + " survival " + show(survival));
  FUZZ_CHECK(!(law.log_cdf(s) > 0.0) && !std::isnan(law.log_cdf(s)), what + " log_cdf");
  if (probability(p)) {  // false for NaN
    const double q = law.quantile(p);
    FUZZ_CHECK(probability(q), what + " quantile(" + show(p) + ") = " + show(q));
  }
}

void check_bound(const stats::TruncatedNormal& law, const stats::SampleBoundRequest& request,
                 const std::string& what) {
  const bool valid = std::isfinite(request.target) && request.risk > 0.0 && request.risk < 1.0 &&
                     request.budget >= 1 && request.peek >= 0 && request.peek <= request.budget &&
                     (request.method != stats::BoundMethod::grid || request.budget <= stats::kMaxGridBudget);
  stats::SampleBound bound;
  const bool done = fuzz::refused_or_done([&] { bound = stats::required_samples(law, request); });
  FUZZ_CHECK(done == valid, what + (done ? " accepted an invalid request" : " refused a valid request"));
  if (!done) return;
  const std::string got = what + " -> n=" + std::to_string(bound.n) + " " + stats::to_string(bound.outcome) +
                          " p=" + show(bound.p_success);
  FUZZ_CHECK(bound.n >= std::max(1, request.peek) && bound.n <= request.budget, got);
  // The grid method's own probability is NaN where its density underflows
  // (sample_bound.hpp); it then has found no n, so the whole budget is spent.
  const bool undefined_on_grid = request.method == stats::BoundMethod::grid && std::isnan(bound.p_success);
  FUZZ_CHECK(probability(bound.p_success) || undefined_on_grid, got);
  if (undefined_on_grid) FUZZ_CHECK(bound.n == request.budget, got);
  if (bound.outcome == stats::BoundOutcome::certain) FUZZ_CHECK(bound.n == std::max(1, request.peek), got);
  if (bound.outcome == stats::BoundOutcome::capped || bound.outcome == stats::BoundOutcome::unreachable)
    FUZZ_CHECK(bound.n == request.budget, got);
  if (request.target <= 0.0) FUZZ_CHECK(bound.outcome == stats::BoundOutcome::certain, got);
  if (request.target >= 1.0) FUZZ_CHECK(bound.outcome == stats::BoundOutcome::unreachable, got);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const double mu = raw_double(in), sigma = raw_double(in);
  const std::string law_text = "TN(" + show(mu) + ", " + show(sigma) + ")";
  const bool law_valid = std::isfinite(mu) && std::isfinite(sigma) && sigma > 0.0;
  std::optional<stats::TruncatedNormal> law;
  const bool made = fuzz::refused_or_done([&] { law.emplace(mu, sigma); });
  FUZZ_CHECK(made == law_valid, law_text + (made ? " accepted" : " refused"));

  if (law) {
    const double s = raw_double(in), p = raw_double(in);
    check_law(*law, s, p, law_text + " at " + show(s));
    stats::SampleBoundRequest request;
    request.target = raw_double(in);
    request.risk = raw_double(in);
    request.budget = in.ConsumeIntegralInRange<int>(-2, 1 << 20);
    request.peek = in.ConsumeIntegralInRange<int>(-1, 70);
    if (in.ConsumeBool() && request.budget <= 64) request.method = stats::BoundMethod::grid;
    check_bound(*law, request,
                law_text + " target " + show(request.target) + " risk " + show(request.risk) + " budget " +
                    std::to_string(request.budget) + " peek " + std::to_string(request.peek) + " " +
                    stats::to_string(request.method));
  }

  // Estimators: up to 16 scores, MLE or MAP.
  std::vector<double> scores;
  const int count = in.ConsumeIntegralInRange<int>(0, 16);
  for (int i = 0; i < count; ++i) scores.push_back(in.ConsumeBool() ? raw_double(in) : in.ConsumeProbability<double>());
  const bool scores_valid = !scores.empty() && std::all_of(scores.begin(), scores.end(), [](double x) {
    return std::isfinite(x) && x >= 0.0 && x <= 1.0;
  });
  std::optional<stats::FitPrior> prior;
  if (in.ConsumeBool())
    prior = stats::FitPrior{in.ConsumeProbability<double>(), in.ConsumeProbability<double>() + 0.001,
                            in.ConsumeProbability<double>() + 0.001, in.ConsumeProbability<double>() + 0.001};
  stats::FitResult fit;
  const bool fitted = fuzz::refused_or_done([&] { fit = stats::fit_truncated_normal(scores, prior); });
  FUZZ_CHECK(fitted == scores_valid, std::string(fitted ? "accepted" : "refused") + " scores");
  if (fitted) {
    const stats::FitBounds box;
    FUZZ_CHECK(fit.mu >= box.mu_min && fit.mu <= box.mu_max && fit.sigma >= box.sigma_min && fit.sigma <= box.sigma_max,
               "fit (" + show(fit.mu) + ", " + show(fit.sigma) + ") outside its box");
    FUZZ_CHECK(std::isfinite(fit.log_likelihood) && std::isfinite(fit.objective), "finite likelihood");
  }
  return 0;
}
