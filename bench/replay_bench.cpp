// Speed of the replay (docs/replay.md): the full sweep — every
// strategy (bon, sc, wsc, esc, asc, dsc, optscale0, optscalet, optscale-seq)
// at budgets 8/16/32/64, the paper's 48-point (target, delta) grid for the
// three OptScale families (600 configurations), on a simulated 500-problem x
// 64-sample pool (the bundled examples/simulated-math500.jsonl: same profile
// and seed), with R = 10 orders — plus
// its parts: grading, cross-validated tuning, the BoN reference curve; and a
// sweep with the reference's grid bound (method=grid).
//   build/bench/replay_bench --benchmark_filter=FullSweep
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "optscale/pool/simulate.hpp"
#include "optscale/replay/graded_problem.hpp"
#include "optscale/replay/replay.hpp"
#include "optscale/replay/strategy_list.hpp"
#include "optscale/replay/tuning.hpp"

namespace {

using namespace optscale;

const pool::Pool& bench_pool() {
  static const pool::Pool pool =
      pool::simulate_pool(pool::simulator_profile("math500"), 500, 64, 1).pool;
  return pool;
}

std::vector<std::string> full_sweep_specs() {
  const std::string budgets = "n=8|16|32|64";
  const std::string grid = ",target=0.85|0.9|0.925|0.95|0.96|0.97|0.98|0.99,delta=0.01|0.02|0.035|0.05|0.075|0.1";
  std::vector<std::string> specs;
  for (const char* family : {"bon", "sc", "wsc", "esc", "asc", "dsc"}) specs.push_back(std::string(family) + ":" + budgets);
  for (const char* family : {"optscale0", "optscalet", "optscale-seq"})
    specs.push_back(std::string(family) + ":" + budgets + grid);
  return specs;
}

// Args: orders, threads.
void BM_FullSweep(benchmark::State& state) {
  const replay::StrategyList list = replay::expand_specs(full_sweep_specs());
  replay::ReplayOptions options;
  options.orders = static_cast<int>(state.range(0));
  options.threads = static_cast<int>(state.range(1));
  options.seed = 1;
  std::size_t fits = 0;
  for (auto _ : state) {
    const replay::ReplayResult result = replay::replay(bench_pool(), list.pointers(), options);
    fits = result.fits_computed;
    benchmark::DoNotOptimize(result.strategies.data());
  }
  state.counters["configurations"] = static_cast<double>(list.owned.size());
  state.counters["runs/s"] = benchmark::Counter(
      static_cast<double>(list.owned.size() * bench_pool().problems.size()) * static_cast<double>(options.orders),
      benchmark::Counter::kIsIterationInvariantRate);
  state.counters["fits"] = static_cast<double>(fits);
}
BENCHMARK(BM_FullSweep)
    ->Args({1, 1})->Args({1, 2})->Args({10, 1})->Args({10, 2})
    ->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime()->Iterations(2);

// The reference's grid sample bound (method=grid, parity runs): optscale0
// and optscalet at budgets 16 and 64 over the 48-point grid, on the first
// 50 problems, one order, one thread: 19,200 decisions on 200 distinct laws
// (one MLE and one MAP fit per problem and budget).
void BM_GridMethodSweep(benchmark::State& state) {
  const std::string grid = ",target=0.85|0.9|0.925|0.95|0.96|0.97|0.98|0.99,delta=0.01|0.02|0.035|0.05|0.075|0.1";
  const replay::StrategyList list = replay::expand_specs(
      {"optscale0:n=16|64,method=grid" + grid, "optscalet:n=16|64,method=grid" + grid});
  pool::Pool pool = bench_pool();
  pool.problems.resize(50);
  replay::ReplayOptions options;
  options.threads = 1;
  for (auto _ : state) benchmark::DoNotOptimize(replay::replay(pool, list.pointers(), options).strategies.data());
  state.counters["decisions/s"] = benchmark::Counter(static_cast<double>(list.owned.size() * pool.problems.size()),
                                                     benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_GridMethodSweep)->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime()->Iterations(1);

void BM_GradeProblems(benchmark::State& state) {
  for (auto _ : state)
    for (const pool::Problem& problem : bench_pool().problems)
      benchmark::DoNotOptimize(replay::grade_problem(problem, answers::AnswerGrouping::equivalent));
  state.SetItemsProcessed(state.iterations() * static_cast<long long>(bench_pool().problems.size()));
}
BENCHMARK(BM_GradeProblems)->Unit(benchmark::kMillisecond);

void BM_TuneCrossValidation(benchmark::State& state) {
  const replay::StrategyList list = replay::expand_specs(full_sweep_specs());
  replay::ReplayOptions options;
  options.threads = 2;
  const replay::ReplayResult result = replay::replay(bench_pool(), list.pointers(), options);
  for (auto _ : state) benchmark::DoNotOptimize(replay::tune(result, replay::TuningOptions{}).cells.data());
}
BENCHMARK(BM_TuneCrossValidation)->Unit(benchmark::kMillisecond);

void BM_BonReferenceCurve(benchmark::State& state) {
  replay::ReplayOptions options;
  options.threads = 1;
  for (auto _ : state) benchmark::DoNotOptimize(replay::bon_reference_curve(bench_pool(), options).strategies.data());
}
BENCHMARK(BM_BonReferenceCurve)->Unit(benchmark::kMillisecond);

}  // namespace
