// Speed of the sample-count bound and the max-of-N law. Run:
//   ./build/bench/sample_bound_bench
// Targets (issue 2): required_samples (exact) under 1 us per decision.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "optscale/stats/max_law.hpp"
#include "optscale/stats/reference_grid.hpp"
#include "optscale/stats/sample_bound.hpp"

namespace {

using namespace optscale::stats;

struct Decision {
  double mu, sigma, target, delta;
};

// Seeded decisions shaped like the paper's: fitted mu near the top of [0, 1]
// (some runaway fits far above it), sigma from 1e-3 to 0.5, its target and
// delta grids, budget 64.
std::vector<Decision> decisions(int count) {
  std::mt19937_64 rng(2506);
  std::uniform_real_distribution<double> mu(0.3, 1.3), log_sigma(std::log(1e-3), std::log(0.5));
  const double targets[] = {0.85, 0.9, 0.925, 0.95, 0.96, 0.97, 0.98, 0.99};
  const double deltas[] = {0.01, 0.02, 0.035, 0.05, 0.075, 0.1};
  std::vector<Decision> out;
  for (int i = 0; i < count; ++i) {
    out.push_back({i % 50 == 0 ? 50.0 : mu(rng), std::exp(log_sigma(rng)), targets[rng() % 8],
                   deltas[rng() % 6]});
  }
  return out;
}

// One decision from fitted (mu, sigma): build the law, then the bound.
void BM_RequiredSamplesExact(benchmark::State& state) {
  const auto cases = decisions(1024);
  std::size_t i = 0;
  for (auto _ : state) {
    const Decision& d = cases[i++ & 1023];
    SampleBoundRequest request;
    request.target = d.target;
    request.risk = d.delta;
    request.budget = 64;
    benchmark::DoNotOptimize(required_samples(TruncatedNormal(d.mu, d.sigma), request));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RequiredSamplesExact);

// The same with the law already built (e.g. many targets for one fit).
void BM_RequiredSamplesExactPrebuiltLaw(benchmark::State& state) {
  const auto cases = decisions(1024);
  std::vector<TruncatedNormal> laws;
  for (const auto& d : cases) laws.emplace_back(d.mu, d.sigma);
  std::size_t i = 0;
  for (auto _ : state) {
    const std::size_t k = i++ & 1023;
    SampleBoundRequest request;
    request.target = cases[k].target;
    request.risk = cases[k].delta;
    request.budget = 64;
    benchmark::DoNotOptimize(required_samples(laws[k], request));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RequiredSamplesExactPrebuiltLaw);

// The reference's 1000-point routine, one decision at a time (no cache).
void BM_RequiredSamplesGrid(benchmark::State& state) {
  const auto cases = decisions(64);
  std::size_t i = 0;
  for (auto _ : state) {
    const Decision& d = cases[i++ & 63];
    SampleBoundRequest request;
    request.target = d.target;
    request.risk = d.delta;
    request.budget = 64;
    request.method = BoundMethod::grid;
    benchmark::DoNotOptimize(required_samples(TruncatedNormal(d.mu, d.sigma), request));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RequiredSamplesGrid)->Unit(benchmark::kMicrosecond);

void BM_MaxOfNExpected(benchmark::State& state) {
  const TruncatedNormal law(0.9, 0.05);
  const MaxOfN max_law(law, static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(max_law.expected());
}
BENCHMARK(BM_MaxOfNExpected)->Arg(1)->Arg(8)->Arg(64)->Unit(benchmark::kMicrosecond);

void BM_MaxOfNExpectedTinySigma(benchmark::State& state) {
  const MaxOfN max_law(TruncatedNormal(0.95, 1e-6), 8);
  for (auto _ : state) benchmark::DoNotOptimize(max_law.expected());
}
BENCHMARK(BM_MaxOfNExpectedTinySigma)->Unit(benchmark::kMicrosecond);

void BM_MarginalGain(benchmark::State& state) {
  const TruncatedNormal law(0.9, 0.05);
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(marginal_gain(law, n));
}
BENCHMARK(BM_MarginalGain)->Arg(1)->Arg(64)->Unit(benchmark::kMicrosecond);

void BM_MarginalGainTinySigma(benchmark::State& state) {
  const TruncatedNormal law(0.95, 1e-6);
  for (auto _ : state) benchmark::DoNotOptimize(marginal_gain(law, 8));
}
BENCHMARK(BM_MarginalGainTinySigma)->Unit(benchmark::kMicrosecond);

void BM_TruncatedNormalLogCdf(benchmark::State& state) {
  const TruncatedNormal law(0.9, 0.05);
  double s = 0.5;
  for (auto _ : state) {
    benchmark::DoNotOptimize(law.log_cdf(s));
    s = s < 0.99 ? s + 0.001 : 0.5;
  }
}
BENCHMARK(BM_TruncatedNormalLogCdf);

void BM_TruncatedNormalSample(benchmark::State& state) {
  const TruncatedNormal law(0.9, 0.05);
  std::mt19937_64 rng(1);
  for (auto _ : state) benchmark::DoNotOptimize(law.sample(rng));
}
BENCHMARK(BM_TruncatedNormalSample);

}  // namespace
