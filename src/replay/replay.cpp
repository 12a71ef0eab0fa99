#include "optscale/replay/replay.hpp"

#include <algorithm>
#include <memory>
#include <string>

#include "optscale/policy/problem_run.hpp"
#include "optscale/policy/run.hpp"
#include "optscale/predict/prior_source.hpp"
#include "optscale/replay/memo_fit_provider.hpp"
#include "optscale/replay/parallel_for.hpp"
#include "optscale/replay/progress_ticker.hpp"
#include "optscale/replay/seeded_order.hpp"
#include "optscale/replay/stream.hpp"
#include "optscale/replay/summary_statistics.hpp"
#include "optscale/util/error.hpp"
#include "optscale/util/invariant.hpp"

namespace optscale::replay {
namespace {

// Integer totals: sums of integers are exact, so merging per-thread totals
// gives the same figures whatever the thread count or scheduling.
struct Totals {
  long long correct = 0, tokens = 0, samples = 0;
  void add(const Totals& other) {
    correct += other.correct;
    tokens += other.tokens;
    samples += other.samples;
  }
};

// What one worker thread accumulates across the problems it runs.
struct WorkerTotals {
  std::vector<Totals> by_strategy_order;                        // [s * orders + r]
  // [s]: (reason, count); a strategy has a handful of reasons, so a short
  // contiguous list beats a map on the replay's hottest line.
  std::vector<std::vector<std::pair<std::string, long long>>> stop_reasons;
  std::size_t fits_computed = 0, fits_reused = 0;
};

void count_reason(std::vector<std::pair<std::string, long long>>& counts, const std::string& reason) {
  for (auto& [known, count] : counts)
    if (known == reason) {
      ++count;
      return;
    }
  counts.emplace_back(reason, 1);
}

void check_inputs(const pool::Pool& pool, std::span<const policy::Strategy* const> strategies,
                  const ReplayOptions& options) {
  require(!pool.problems.empty(), "replay", "the pool has no problems");
  require(!strategies.empty(), "replay", "no strategies to replay");
  require(options.orders >= 1, "--orders", [&] { return "must be >= 1, got " + std::to_string(options.orders); });
  require(options.confidence > 0.0 && options.confidence < 1.0, "replay",
          "confidence must be in (0, 1)");
  int max_budget = 0;
  const policy::Strategy* widest = nullptr;
  for (const policy::Strategy* strategy : strategies) {
    OPTSCALE_INVARIANT(strategy != nullptr, "replay given a null strategy");
    if (strategy->budget() > max_budget) {
      max_budget = strategy->budget();
      widest = strategy;
    }
  }
  for (std::size_t p = 0; p < pool.problems.size(); ++p) {
    const pool::Problem& problem = pool.problems[p];
    require(static_cast<int>(problem.samples.size()) >= max_budget,
            [&] { return "problem '" + problem.id + "' (#" + std::to_string(p + 1) + " in the pool)"; },
            [&] { return "has " + std::to_string(problem.samples.size()) + " samples, fewer than the budget " +
                std::to_string(max_budget) + " of strategy '" + widest->spec() + "'"; });
  }
}

// The priors each strategy sees: table 0 is the problems' own (`prior` in the
// pool); each distinct source a spec names (predictor=, priors=) is resolved
// once, over the whole pool, into a table of its own.
struct PriorTables {
  std::vector<std::size_t> of_strategy;                     // [s] -> table
  std::vector<std::optional<policy::PriorSource>> source;  // [table]; nullopt for table 0
  std::vector<std::vector<predict::Prediction>> values;     // [table][problem]; empty for table 0
};

PriorTables resolve_strategy_priors(const pool::Pool& pool, std::span<const policy::Strategy* const> strategies) {
  PriorTables tables;
  tables.source.emplace_back();
  tables.values.emplace_back();
  std::vector<predict::ProblemRef> refs;
  for (const pool::Problem& problem : pool.problems) refs.push_back({problem.problem, problem.id});
  for (const policy::Strategy* strategy : strategies) {
    const std::optional<policy::PriorSource> source = strategy->prior_source();
    const auto known = std::find(tables.source.begin(), tables.source.end(), source);
    if (known != tables.source.end()) {
      tables.of_strategy.push_back(static_cast<std::size_t>(known - tables.source.begin()));
      continue;
    }
    tables.of_strategy.push_back(tables.source.size());
    tables.source.push_back(source);
    tables.values.push_back(predict::resolve_priors(*source, refs));
  }
  return tables;
}

}  // namespace

ReplayResult replay(const pool::Pool& pool, std::span<const policy::Strategy* const> strategies,
                    const ReplayOptions& options) {
  check_inputs(pool, strategies, options);
  const std::size_t problem_count = pool.problems.size();
  const std::size_t strategy_count = strategies.size();
  const auto orders = static_cast<std::size_t>(options.orders);
  auto slot = [orders](std::size_t p, std::size_t r) { return p * orders + r; };

  // 1. Grade every problem once (answer classes and correctness).
  std::vector<GradedProblem> graded(problem_count);
  parallel_for(problem_count, options.threads, [&](std::size_t p, int) {
    graded[p] = grade_problem(pool.problems[p], options.grouping);
  });

  // 2. Every (problem, order) stream, its fit cache, and per prior table and
  //    order the problems as policies see them.
  const PriorTables priors = resolve_strategy_priors(pool, strategies);
  const std::size_t table_count = priors.source.size();
  std::vector<Stream> streams(problem_count * orders);
  std::vector<std::unique_ptr<MemoFitProvider>> fits(problem_count * orders);
  std::vector<std::vector<std::vector<policy::ProblemInfo>>> infos(
      table_count, std::vector<std::vector<policy::ProblemInfo>>(orders, std::vector<policy::ProblemInfo>(problem_count)));
  parallel_for(problem_count, options.threads, [&](std::size_t p, int) {
    const pool::Problem& problem = pool.problems[p];
    for (std::size_t r = 0; r < orders; ++r) {
      const std::vector<int> order =
          sample_order(static_cast<int>(problem.samples.size()), options.orders, options.seed, p, r);
      streams[slot(p, r)] = make_stream(problem, graded[p], order);
      fits[slot(p, r)] = std::make_unique<MemoFitProvider>(streams[slot(p, r)].scores);
      for (std::size_t t = 0; t < table_count; ++t) {
        policy::ProblemInfo& info = infos[t][r][p];
        info.id = problem.id;
        info.text = problem.problem;
        info.fits = fits[slot(p, r)].get();
        if (t == 0) {
          info.prior = problem.prior;
          continue;
        }
        const predict::Prediction& predicted = priors.values[t][p];
        info.prior = std::array<double, 2>{predicted.mu, predicted.sigma};
        info.prior_std = std::array<double, 2>{predicted.mu_std, predicted.sigma_std};
        info.prior_source = priors.source[t]->key();
      }
    }
  });

  // 3. Cross-problem strategies (dsc) decide over all problems first, once per
  //    order; their probes are the streams' own first samples, so a probed
  //    sample is later fed (and paid for) as that problem's.
  std::vector<std::vector<std::unique_ptr<policy::DatasetPlan>>> plans(strategy_count);
  std::vector<std::string> plan_warnings;
  for (std::size_t s = 0; s < strategy_count; ++s) {
    if (!strategies[s]->cross_problem()) continue;
    for (std::size_t r = 0; r < orders; ++r) {
      const policy::ProbeFn probe = [&, r, s](std::size_t p, int count) {
        require(p < problem_count && count >= 0 &&
                    static_cast<std::size_t>(count) <= streams[slot(p, r)].numbered.size(),
                [&] { return "strategy '" + strategies[s]->spec() + "'"; },
                [&] { return "probed " + std::to_string(count) + " samples of problem #" + std::to_string(p); });
        // As the problem's first `count` draws number them, like a live probe.
        const auto probed = streams[slot(p, r)].numbered.prefix(static_cast<std::size_t>(count));
        return std::vector<policy::Observation>(probed.begin(), probed.end());
      };
      plans[s].push_back(strategies[s]->plan(infos[priors.of_strategy[s]][r], probe));
      for (std::string& w : plans[s].back()->warnings()) {
        if (std::find(plan_warnings.begin(), plan_warnings.end(), w) == plan_warnings.end())
          plan_warnings.push_back(std::move(w));
      }
    }
  }

  // 4. Every strategy on every stream; a problem's orders run on one thread,
  //    so its fit caches are never shared between threads.
  std::vector<Totals> per_problem(strategy_count * problem_count);
  const int workers = worker_count(problem_count, options.threads);
  std::vector<WorkerTotals> worker_totals(static_cast<std::size_t>(workers));
  for (WorkerTotals& totals : worker_totals) {
    totals.by_strategy_order.resize(strategy_count * orders);
    totals.stop_reasons.resize(strategy_count);
  }
  ProgressTicker ticker(problem_count, options.progress);
  parallel_for(problem_count, options.threads, [&](std::size_t p, int worker) {
    WorkerTotals& mine = worker_totals[static_cast<std::size_t>(worker)];
    for (std::size_t r = 0; r < orders; ++r) {
      const Stream& stream = streams[slot(p, r)];
      for (std::size_t s = 0; s < strategy_count; ++s) {
        const policy::Strategy& strategy = *strategies[s];
        const policy::ProblemInfo& info = infos[priors.of_strategy[s]][r][p];
        policy::ProblemRun problem_run(strategy.cross_problem() ? plans[s][r]->start(p) : strategy.start(info),
                                       strategy.budget(), policy::RunName{&strategy, info.id}, stream.numbered);
        const policy::RunResult run = policy::run_to_end(problem_run);
        const bool correct =
            run.selected >= 0 &&
            graded[p].correct[static_cast<std::size_t>(stream.pool_index[static_cast<std::size_t>(run.selected)])] != 0;
        const Totals totals{correct ? 1 : 0, run.tokens, run.consumed};
        per_problem[s * problem_count + p].add(totals);
        mine.by_strategy_order[s * orders + r].add(totals);
        count_reason(mine.stop_reasons[s], run.reason);
      }
      MemoFitProvider& cache = *fits[slot(p, r)];
      mine.fits_computed += cache.fits_computed();
      mine.fits_reused += cache.fits_reused();
      cache.clear();  // this stream is done
    }
    ticker.tick();
  });

  ReplayResult result;
  result.problems = problem_count;
  result.orders = options.orders;
  result.seed = options.seed;
  result.grouping = options.grouping;
  result.confidence = options.confidence;
  result.synthetic = pool.synthetic();
  result.warnings = std::move(plan_warnings);
  for (const WorkerTotals& totals : worker_totals) {
    result.fits_computed += totals.fits_computed;
    result.fits_reused += totals.fits_reused;
  }

  const double r_count = static_cast<double>(orders);
  for (std::size_t s = 0; s < strategy_count; ++s) {
    StrategyResult out;
    out.spec = strategies[s]->spec();
    out.family = strategy_family(out.spec);
    out.budget = strategies[s]->budget();
    out.problem_accuracy.resize(problem_count);
    out.problem_tokens.resize(problem_count);
    out.problem_samples.resize(problem_count);
    for (std::size_t p = 0; p < problem_count; ++p) {
      const Totals& t = per_problem[s * problem_count + p];
      out.problem_accuracy[p] = static_cast<double>(t.correct) / r_count;
      out.problem_tokens[p] = static_cast<double>(t.tokens) / r_count;
      out.problem_samples[p] = static_cast<double>(t.samples) / r_count;
    }
    out.accuracy = summarize_figure(out.problem_accuracy, options.confidence, FigureRange::fraction);
    out.tokens = summarize_figure(out.problem_tokens, options.confidence, FigureRange::nonnegative);
    out.samples = summarize_figure(out.problem_samples, options.confidence, FigureRange::nonnegative);

    // Spread across orders of the per-order figures.
    std::vector<Totals> by_order(orders);
    for (const WorkerTotals& totals : worker_totals)
      for (std::size_t r = 0; r < orders; ++r) by_order[r].add(totals.by_strategy_order[s * orders + r]);
    std::vector<double> accuracy_r, tokens_r, samples_r;
    const double p_count = static_cast<double>(problem_count);
    for (const Totals& t : by_order) {
      accuracy_r.push_back(static_cast<double>(t.correct) / p_count);
      tokens_r.push_back(static_cast<double>(t.tokens) / p_count);
      samples_r.push_back(static_cast<double>(t.samples) / p_count);
    }
    out.accuracy.order_sd = sample_std(accuracy_r);
    out.tokens.order_sd = sample_std(tokens_r);
    out.samples.order_sd = sample_std(samples_r);

    for (const WorkerTotals& totals : worker_totals)
      for (const auto& [reason, count] : totals.stop_reasons[s]) out.stop_reasons[reason] += count;
    result.strategies.push_back(std::move(out));
  }
  return result;
}

}  // namespace optscale::replay
