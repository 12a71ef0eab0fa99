// Speed of the score-law fits: MLE and MAP from k = 3, 10, 64 scores. Each
// benchmark cycles through 64 different seeded score sets (drawn from laws
// like real PRM scores: mu 0.8-1.0, sigma 0.03-0.2) so that the figure is an
// average over problems, not one lucky case.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "optscale/stats/estimators.hpp"
#include "optscale/stats/truncated_normal.hpp"

namespace {

using namespace optscale::stats;

std::vector<std::vector<double>> problems(int k) {
  std::mt19937_64 rng(2506);
  std::uniform_real_distribution<double> mu(0.8, 1.0), sigma(0.03, 0.2);
  std::vector<std::vector<double>> out(64);
  for (auto& scores : out) {
    const TruncatedNormal law(mu(rng), sigma(rng));
    scores.resize(k);
    for (double& s : scores) s = law.sample(rng);
  }
  return out;
}

void run_fits(benchmark::State& state, const std::optional<FitPrior>& prior, const FitBounds& bounds) {
  const auto sets = problems(static_cast<int>(state.range(0)));
  std::size_t i = 0;
  long iterations = 0, unconverged = 0;
  for (auto _ : state) {
    const FitResult fit = fit_truncated_normal(sets[i++ % sets.size()], prior, bounds);
    benchmark::DoNotOptimize(fit.mu);
    iterations += fit.iterations;
    unconverged += !fit.converged;
  }
  state.counters["optimiser_iterations"] =
      benchmark::Counter(static_cast<double>(iterations), benchmark::Counter::kAvgIterations);
  state.counters["unconverged"] =
      benchmark::Counter(static_cast<double>(unconverged), benchmark::Counter::kAvgIterations);
}

// The paper's miscalibrated predictor priors are ~(0.55, 0.1) with stds 0.1.
const FitPrior kPredictorLikePrior{0.55, 0.1, 0.1, 0.1};

void BM_FitMle(benchmark::State& state) { run_fits(state, std::nullopt, FitBounds{}); }
void BM_FitMap(benchmark::State& state) { run_fits(state, kPredictorLikePrior, FitBounds{}); }
void BM_FitMleReferenceBounds(benchmark::State& state) {
  run_fits(state, std::nullopt, FitBounds::reference_parity());
}
void BM_FitMapReferenceBounds(benchmark::State& state) {
  run_fits(state, kPredictorLikePrior, FitBounds::reference_parity());
}

void BM_LogLikelihoodWithGradient(benchmark::State& state) {
  const auto sets = problems(static_cast<int>(state.range(0)));
  std::size_t i = 0;
  for (auto _ : state) {
    double d_mu, d_sigma;
    benchmark::DoNotOptimize(
        truncated_normal_log_likelihood(sets[i++ % sets.size()], 0.9, 0.08, &d_mu, &d_sigma));
  }
}

BENCHMARK(BM_FitMle)->Arg(3)->Arg(10)->Arg(64);
BENCHMARK(BM_FitMap)->Arg(3)->Arg(10)->Arg(64);
BENCHMARK(BM_FitMleReferenceBounds)->Arg(3)->Arg(10)->Arg(64);
BENCHMARK(BM_FitMapReferenceBounds)->Arg(3)->Arg(10)->Arg(64);
BENCHMARK(BM_LogLikelihoodWithGradient)->Arg(3)->Arg(64);

}  // namespace
