// The live engine's overhead against a zero-latency mock server, in process:
//  - EngineVsBareLoop: samples/s through `Controller` (policy, run store,
//    worker pool) against a bare client loop issuing the same requests (one
//    generation with n=1 and one /pooling request per sample) from as many
//    threads; reports both rates, their ratio (target >= 0.8), the CPU time
//    per sample of each (the mock server's included: steadier than rates on
//    a shared machine) and the engine's added latency per request (p50/p99
//    queue wait and response handling);
//  - EnginePeakMemory: peak resident memory of a process running the engine
//    over 10,000 problems (the mock runs in the parent process).
// Run: build/bench/engine_bench --benchmark_min_time=0   (figures in docs/engine.md)
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

#include "optscale/backend/generator.hpp"
#include "optscale/backend/scorer.hpp"
#include "optscale/engine/controller.hpp"
#include "optscale/policy/spec.hpp"
#include "optscale/mock/mock_server.hpp"
#include "optscale/store/run_store.hpp"

namespace {

using namespace optscale;
using Clock = std::chrono::steady_clock;

// prefix + number (string + to_string trips a GCC 12 -Wrestrict false positive).
std::string numbered(const char* prefix, long long number) {
  std::string out(prefix);
  out += std::to_string(number);
  return out;
}

std::string problem_text(int p) {
  return "Benchmark problem " + std::to_string(p) + ": find the value of x such that " + std::to_string(p % 97) +
         "x + 3 = " + std::to_string(3 + (p % 97) * (p % 13)) + ". Give the answer in a box.";
}

pool::Pool synthetic_pool(int problems, int samples) {
  pool::Pool pool;
  std::string filler(200, 'w');
  for (int p = 0; p < problems; ++p) {
    pool::Problem problem;
    problem.id = numbered("b", p);
    problem.problem = problem_text(p);
    problem.gold = std::to_string(p % 13);
    for (int k = 0; k < samples; ++k) {
      pool::Sample s;
      s.text = "We subtract 3 from both sides (sample " + std::to_string(k) + ").\n\n" + filler +
               "\n\nThen divide by the coefficient " + filler + "\n\nSo x = \\boxed{" + std::to_string((p + k) % 13) + "}";
      s.score = 0.5 + 0.49 * std::sin(p * 31.0 + k * 7.0) * std::sin(p * 31.0 + k * 7.0);
      s.tokens = 150 + (p * 7 + k * 13) % 300;
      problem.samples.push_back(std::move(s));
    }
    pool.problems.push_back(std::move(problem));
  }
  return pool;
}

backend::GeneratorConfig generator_config(int port) {
  backend::GeneratorConfig g;
  g.endpoints = {"http://127.0.0.1:" + std::to_string(port) + "/v1"};
  g.model = "bench";
  g.choices_mode = backend::ChoicesMode::single;  // the same request shape as the bare loop
  return g;
}

backend::ScorerConfig scorer_config(int port) {
  backend::ScorerConfig s;
  s.endpoints = {"http://127.0.0.1:" + std::to_string(port)};
  s.model = "prm";
  s.batch_size = 1;
  return s;
}

std::vector<engine::Problem> problems_of(int count) {
  std::vector<engine::Problem> problems;
  for (int p = 0; p < count; ++p)
    problems.push_back(engine::Problem{numbered("b", p), problem_text(p), std::to_string(p % 13), std::nullopt, std::nullopt, {}});
  return problems;
}

struct EngineRun {
  engine::RunSummary summary;
  double seconds;
};

EngineRun run_engine(int port, const std::vector<engine::Problem>& problems, const std::string& spec, int in_flight) {
  auto dir = std::filesystem::temp_directory_path() / numbered("optscale-engine-bench-", getpid());
  std::filesystem::create_directories(dir);
  std::filesystem::remove(dir / "run.db");
  auto strategies = policy::make_strategies(spec);
  backend::Generator generator(generator_config(port));
  auto scorer = backend::make_scorer(scorer_config(port));
  store::RunStore store(dir / "run.db");
  std::vector<std::string> ids;
  for (const auto& p : problems) ids.push_back(p.id);
  store.begin_run({{"strategy", spec}}, ids);
  engine::RunOptions options;
  options.max_in_flight = in_flight;
  options.scorer_in_flight = in_flight;
  engine::Controller controller(*strategies.front(), generator, *scorer, store, options);
  std::ostringstream results;
  auto start = Clock::now();
  engine::RunSummary summary = controller.run(problems, results, nullptr);
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::filesystem::remove_all(dir);
  return {summary, seconds};
}

// The same requests without the engine: `threads` loops, each drawing one
// sample (n=1) and scoring it, until `samples` are done.
double bare_loop_rate(int port, const std::vector<engine::Problem>& problems, int per_problem, int threads) {
  backend::Generator generator(generator_config(port));
  auto scorer = backend::make_scorer(scorer_config(port));
  const long long total = static_cast<long long>(problems.size()) * per_problem;
  std::atomic<long long> next{0};
  auto start = Clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (long long i; (i = next++) < total;) {
        const auto& problem = problems[static_cast<std::size_t>(i / per_problem)];
        auto samples = generator.generate(problem.text, i % per_problem, 1, {});
        std::vector<std::string> texts{samples.at(0).text};
        benchmark::DoNotOptimize(scorer->score(problem.text, texts, {}));
      }
    });
  }
  for (auto& w : workers) w.join();
  return static_cast<double>(total) / std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU seconds used by this process so far (all threads, the in-process mock included).
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}

void EngineVsBareLoop(benchmark::State& state) {
  const int in_flight = static_cast<int>(state.range(0));
  const int problem_count = 1000, per_problem = 16;
  pool::Pool pool = synthetic_pool(problem_count, per_problem);
  mock::MockServerOptions options;
  options.threads = 4 * in_flight + 8;
  mock::MockServer mock(pool, {}, options);
  const int port = mock.start();
  auto problems = problems_of(problem_count);
  const std::string spec = numbered("bon:n=", per_problem);
  for (auto _ : state) {
    // Both sides have in_flight threads, each with one request outstanding
    // (a generation, then the scoring of its sample).
    const double total = static_cast<double>(problems.size()) * per_problem;
    double cpu0 = cpu_seconds();
    double bare = bare_loop_rate(port, problems, per_problem, in_flight);
    double cpu1 = cpu_seconds();
    EngineRun run = run_engine(port, problems, spec, in_flight);
    double cpu2 = cpu_seconds();
    double engine_rate = static_cast<double>(run.summary.drawn) / run.seconds;
    // CPU per sample, mock included: steadier than rates on a shared machine.
    state.counters["bare_cpu_us_per_sample"] = 1e6 * (cpu1 - cpu0) / total;
    state.counters["engine_cpu_us_per_sample"] = 1e6 * (cpu2 - cpu1) / total;
    state.counters["cpu_ratio"] = (cpu1 - cpu0) / (cpu2 - cpu1);
    state.counters["bare_samples_per_s"] = bare;
    state.counters["engine_samples_per_s"] = engine_rate;
    state.counters["ratio"] = engine_rate / bare;
    state.counters["queue_p50_ms"] = run.summary.queue_ms[0];
    state.counters["queue_p99_ms"] = run.summary.queue_ms[1];
    state.counters["handling_p50_ms"] = run.summary.handling_ms[0];
    state.counters["handling_p99_ms"] = run.summary.handling_ms[1];
  }
  mock.stop();
}
BENCHMARK(EngineVsBareLoop)->Arg(8)->Arg(32)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

// Peak RSS (MB) of a child process running the engine over `problems`
// problems with bon:n=4; the mock serves from this process.
void EnginePeakMemory(benchmark::State& state) {
  const int problem_count = static_cast<int>(state.range(0)), per_problem = 4;
  for (auto _ : state) {
    int port_pipe[2];
    if (pipe(port_pipe) != 0) state.SkipWithError("pipe failed");
    pid_t child = fork();  // before any thread exists in this process
    if (child == 0) {
      close(port_pipe[1]);
      int port = 0;
      if (read(port_pipe[0], &port, sizeof port) != sizeof port) _exit(2);
      try {
        EngineRun run = run_engine(port, problems_of(problem_count), numbered("bon:n=", per_problem), 32);
        _exit(run.summary.drawn == static_cast<long long>(problem_count) * per_problem ? 0 : 3);
      } catch (...) {
        _exit(4);
      }
    }
    close(port_pipe[0]);
    pool::Pool pool = synthetic_pool(problem_count, per_problem);
    mock::MockServerOptions options;
    options.threads = 160;
    mock::MockServer mock(pool, {}, options);
    int port = mock.start();
    if (write(port_pipe[1], &port, sizeof port) != sizeof port) state.SkipWithError("write failed");
    close(port_pipe[1]);
    int status = 0;
    rusage usage{};
    wait4(child, &status, 0, &usage);
    mock.stop();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) state.SkipWithError("the engine child failed");
    state.counters["peak_rss_mb"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
  }
}
BENCHMARK(EnginePeakMemory)->Arg(10000)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace
