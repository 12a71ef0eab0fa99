// Reading and importing 500 x 64 pools (the size of a MATH500 pool), with and
// without completion texts. Texts are filler of a fixed length per sample;
// the figures are per pool, and bytes/s lets them scale to other text lengths.
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "optscale/pool/import_optscale_ref.hpp"
#include "optscale/pool/pool.hpp"
#include "optscale/pool/simulate.hpp"

namespace {

using namespace optscale::pool;

constexpr int kProblems = 500, kSamples = 64;

std::filesystem::path bench_dir() {
  auto dir = std::filesystem::temp_directory_path() / "optscale-pool-bench";
  std::filesystem::create_directories(dir);
  return dir;
}

Pool simulated_pool(std::size_t text_chars) {
  Pool pool = simulate_pool(simulator_profile("math500"), kProblems, kSamples, 1).pool;
  if (text_chars > 0) {
    for (Problem& p : pool.problems) {
      for (Sample& s : p.samples) {
        std::string text(text_chars, 'x');
        text.replace(text_chars - 12, 12, "\\boxed{" + s.answer.value_or("?") + "}");
        s.text = std::move(text);
      }
    }
  }
  return pool;
}

// A pool file of the given text length per sample, written once per process.
std::filesystem::path pool_file(std::size_t text_chars) {
  const auto path = bench_dir() / ("pool-" + std::to_string(text_chars) + ".jsonl");
  if (!std::filesystem::exists(path)) write_pool(simulated_pool(text_chars), path);
  return path;
}

void BM_ReadPool(benchmark::State& state) {
  const auto path = pool_file(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    Pool pool = read_pool(path);
    benchmark::DoNotOptimize(pool.problems.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<long long>(std::filesystem::file_size(path)));
  state.counters["MB"] = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
}
BENCHMARK(BM_ReadPool)->Arg(0)->Arg(2000)->Arg(11000)->Unit(benchmark::kMillisecond);

// As eval, stats and validate read: texts digested (answer, length) and dropped.
void BM_ReadPoolDroppingTexts(benchmark::State& state) {
  const auto path = pool_file(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    Pool pool = read_pool(path, {Texts::drop});
    benchmark::DoNotOptimize(pool.problems.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<long long>(std::filesystem::file_size(path)));
  state.counters["MB"] = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
}
BENCHMARK(BM_ReadPoolDroppingTexts)->Arg(2000)->Arg(11000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_WritePool(benchmark::State& state) {
  const Pool pool = simulated_pool(static_cast<std::size_t>(state.range(0)));
  const auto path = bench_dir() / "written.jsonl";
  for (auto _ : state) write_pool(pool, path);
  state.counters["MB"] = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
}
BENCHMARK(BM_WritePool)->Arg(0)->Arg(2000)->Unit(benchmark::kMillisecond);

// The published format: scored.json + problems file, as `optscale pool import` reads them.
void BM_ImportOptscaleRef(benchmark::State& state) {
  const std::size_t text_chars = static_cast<std::size_t>(state.range(0));
  const auto dir = bench_dir();
  const auto scored = dir / ("scored-" + std::to_string(text_chars) + ".json");
  const auto problems = dir / "problems.json";
  if (!std::filesystem::exists(scored) || !std::filesystem::exists(problems)) {
    const Pool pool = simulated_pool(text_chars);
    nlohmann::json list = nlohmann::json::array(), items = nlohmann::json::array();
    for (const Problem& p : pool.problems) {
      nlohmann::json completions = nlohmann::json::array(), scores = nlohmann::json::array(),
                     tokens = nlohmann::json::array();
      for (const Sample& s : p.samples) {
        completions.push_back(s.text.value_or(""));
        scores.push_back(s.score);
        tokens.push_back(s.tokens);
      }
      list.push_back({{"score",
                       {{"problem", {p.problem}},
                        {"completions", {completions}},
                        {"scores", {scores}},
                        {"last_scores", {scores}},
                        {"completion_tokens", {tokens}}}}});
      items.push_back({{"problem", p.problem}, {"answer", *p.gold}});
    }
    std::ofstream(scored) << list.dump();
    std::ofstream(problems) << items.dump();
  }
  OptscaleRefImport options;
  options.scored = scored;
  options.problems = problems;
  for (auto _ : state) {
    Pool pool = import_optscale_ref(options);
    benchmark::DoNotOptimize(pool.problems.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<long long>(std::filesystem::file_size(scored)));
  state.counters["MB"] = static_cast<double>(std::filesystem::file_size(scored)) / 1e6;
}
BENCHMARK(BM_ImportOptscaleRef)->Arg(2000)->Arg(11000)->Unit(benchmark::kMillisecond);

}  // namespace
