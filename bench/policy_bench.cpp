// Cost of running each strategy over a 500-problem x 64-sample pool (one
// order), through run_strategy. "fixed fits" replaces the estimator by a
// constant (mu, sigma) so the figure is the policy layer's own overhead;
// "direct fits" calls the real truncated-normal estimator on every fit.
#include <benchmark/benchmark.h>

#include <random>

#include "optscale/policy/run.hpp"
#include "optscale/policy/spec.hpp"
#include "optscale/stats/truncated_normal.hpp"

namespace {

using namespace optscale;
using namespace optscale::policy;

constexpr int kProblems = 500;
constexpr int kSamples = 64;

class FixedFits final : public FitProvider {
 public:
  stats::FitResult fit(std::span<const Observation>, int, const std::optional<stats::FitPrior>&,
                       const stats::FitBounds&) override {
    stats::FitResult r;
    r.mu = 0.9;
    r.sigma = 0.08;
    return r;
  }
};

struct Pool {
  std::vector<ProblemInfo> problems;
  std::vector<std::vector<Observation>> observations;
};

// Per-problem TN(mu, sigma) scores, a per-problem solve rate for the answer
// classes (class 0 = the majority answer), a prior near the truth.
Pool make_pool(FitProvider* fits) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  Pool pool;
  for (int p = 0; p < kProblems; ++p) {
    const double mu = 0.7 + 0.35 * uniform(rng);
    const double sigma = 0.02 + 0.15 * uniform(rng);
    const stats::TruncatedNormal law(mu, sigma);
    const double solve_rate = uniform(rng);
    ProblemInfo info;
    info.id = "p" + std::to_string(p);
    info.prior = std::array<double, 2>{mu + 0.05 * (uniform(rng) - 0.5), sigma};
    info.fits = fits;
    std::vector<Observation> o;
    for (int s = 0; s < kSamples; ++s) {
      Observation x;
      x.score = law.sample(rng);
      x.tokens = 500 + static_cast<long long>(3000 * uniform(rng));
      x.answer_class = uniform(rng) < solve_rate ? 0 : 1 + static_cast<int>(rng() % 4);
      o.push_back(x);
    }
    pool.problems.push_back(std::move(info));
    pool.observations.push_back(std::move(o));
  }
  return pool;
}

void run(benchmark::State& state, const std::string& spec, bool direct_fits) {
  FixedFits fixed;
  DirectFitProvider direct;
  const Pool pool = make_pool(direct_fits ? static_cast<FitProvider*>(&direct) : &fixed);
  const auto strategy = make_strategy(parse_spec(spec));
  long long samples = 0;
  for (auto _ : state) {
    const auto results = run_strategy(*strategy, pool.problems, pool.observations);
    for (const auto& r : results) samples += r.consumed;
    benchmark::DoNotOptimize(samples);
  }
  state.counters["problems/s"] =
      benchmark::Counter(static_cast<double>(kProblems), benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

BENCHMARK_CAPTURE(run, bon, "bon:n=64", false);
BENCHMARK_CAPTURE(run, sc, "sc:n=64", false);
BENCHMARK_CAPTURE(run, esc, "esc:n=64", false);
BENCHMARK_CAPTURE(run, asc, "asc:n=64", false);
BENCHMARK_CAPTURE(run, dsc, "dsc:n=64", false);
BENCHMARK_CAPTURE(run, optscale0_fixed_fits, "optscale0:n=64", false);
BENCHMARK_CAPTURE(run, optscale_seq_fixed_fits, "optscale-seq:n=64,target=0.99,futility=0", false);
BENCHMARK_CAPTURE(run, optscale0_direct_fits, "optscale0:n=64", true);
BENCHMARK_CAPTURE(run, optscale_seq_direct_fits, "optscale-seq:n=64,target=0.99,futility=0", true);
