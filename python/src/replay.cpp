// optscale.eval and optscale.tune: the replay jobs `optscale eval --json`
// and `optscale tune --json` run (replay/jobs.hpp), over a pool file or a
// list of problem dicts, on the library's own worker threads.
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "optscale/pool/pool.hpp"
#include "optscale/replay/jobs.hpp"
#include "optscale/util/error.hpp"

namespace optscale::python {
namespace {

// What `pool` names: a path (str or os.PathLike) is read by the job; a list
// of dicts is serialised item by item with json.dumps and checked by the same
// rules as a file (pool::read_pool_records; errors name "pool[i]").
struct PoolArgument {
  std::string path;
  std::optional<std::vector<std::string>> records;
};

PoolArgument pool_argument(const py::object& pool) {
  const py::module_ os = py::module_::import("os");
  if (py::isinstance<py::str>(pool) || py::isinstance(pool, os.attr("PathLike")))
    return {py::str(os.attr("fspath")(pool)).cast<std::string>(), std::nullopt};
  if (py::isinstance<py::dict>(pool) || !py::isinstance<py::sequence>(pool))
    throw Error("pool: expected a path or a list of problem dicts, got " +
                py::str(py::type::of(pool).attr("__name__")).cast<std::string>());
  const py::object dumps = py::module_::import("json").attr("dumps");
  std::vector<std::string> records;
  for (const py::handle item : pool) {
    if (!py::isinstance<py::dict>(item))
      throw Error("pool[" + std::to_string(records.size()) + "]: expected a dict (one problem), got " +
                  py::str(py::type::of(item).attr("__name__")).cast<std::string>());
    records.push_back(dumps(item).cast<std::string>());
  }
  return {"<list>", std::move(records)};
}

std::vector<std::string> strategy_list(const py::object& strategies) {
  if (py::isinstance<py::str>(strategies)) return {strategies.cast<std::string>()};
  return strategies.cast<std::vector<std::string>>();
}

replay::ReplayOptions replay_options(int orders, std::uint64_t seed, int threads, const std::string& grouping) {
  require(orders >= 1, "orders", "must be >= 1, got " + std::to_string(orders));
  require(threads >= 0, "threads", "must be >= 0 (0 = hardware concurrency), got " + std::to_string(threads));
  replay::ReplayOptions options;
  options.orders = orders;
  options.seed = seed;
  options.threads = threads;
  options.grouping = answers::parse_answer_grouping(grouping);
  return options;
}

template <class Job>
void fill_job(Job& job, const py::object& pool, const py::object& strategies, const std::optional<std::string>& csv,
              const std::optional<std::string>& plot) {
  PoolArgument argument = pool_argument(pool);
  job.pool_path = argument.path;
  job.specs = strategy_list(strategies);
  job.outputs.json = "-";
  job.outputs.csv = csv.value_or("");
  job.outputs.plot = plot.value_or("");
  if (argument.records) {
    py::gil_scoped_release release;
    job.pool = pool::read_pool_records(*argument.records, "pool");
  }
}

void no_progress(const std::string&) {}

}  // namespace

void bind_replay(py::module_& m) {
  m.def(
      "eval",
      [](const py::object& pool, const py::object& strategies, int orders, std::uint64_t seed, int threads,
         const std::string& answer_grouping, const std::optional<std::string>& csv,
         const std::optional<std::string>& plot) {
        replay::EvalJob job;
        job.options = replay_options(orders, seed, threads, answer_grouping);
        fill_job(job, pool, strategies, csv, plot);
        std::string json;
        {
          py::gil_scoped_release release;
          json = replay::run_eval(job, no_progress);
        }
        const py::object report = py::module_::import("json").attr("loads")(json);
        return py::object(report["results"]);
      },
      py::arg("pool"), py::arg("strategies"), py::kw_only(), py::arg("orders") = 1, py::arg("seed") = 0,
      py::arg("threads") = 0, py::arg("answer_grouping") = "equivalent", py::arg("csv") = py::none(),
      py::arg("plot") = py::none(),
      R"(Replay strategies over a scored pool: what `optscale eval --json` reports.

pool: a pool file (JSON Lines, docs/pool-format.md) or a list of problem
dicts in the same format. strategies: one spec or a list ("bon:n=16",
"optscale0:n=64,target=0.95|0.99,confidence=0.95"; '|' lists sweep).
orders: 1 = pool order (the paper's protocol), R > 1 = R permutations seeded
by `seed`, figures averaged. threads: the library's worker threads (0 = one
per core); results do not depend on it. answer_grouping: "equivalent" or
"raw". csv / plot: also write the CSV / an SVG plot to these paths.

Returns one dict per configuration, in order, with the fields of the JSON
report's "results": strategy, given, family, budget, accuracy, accuracy_ci,
mean_tokens, tokens_ci, mean_samples, samples_ci, the *_order_sd and
stop_reasons. Raises optscale.Error naming the file:line or pool[i] and
field of bad input, or the spec and key of a bad strategy.)");

  m.def(
      "tune",
      [](const py::object& pool, const py::object& strategies, int orders, std::uint64_t seed, int threads,
         int folds, const std::string& select, const std::string& answer_grouping,
         const std::optional<std::string>& csv, const std::optional<std::string>& plot) {
        replay::TuneJob job;
        job.options = replay_options(orders, seed, threads, answer_grouping);
        require(folds >= 2, "folds", "must be >= 2, got " + std::to_string(folds));
        job.tuning.folds = folds;
        job.tuning.selection = replay::parse_selection(select);
        job.tuning.seed = seed;
        fill_job(job, pool, strategies, csv, plot);
        std::string json;
        {
          py::gil_scoped_release release;
          json = replay::run_tune(job, no_progress);
        }
        return py::module_::import("json").attr("loads")(json);
      },
      py::arg("pool"), py::arg("strategies"), py::kw_only(), py::arg("orders") = 1, py::arg("seed") = 0,
      py::arg("threads") = 0, py::arg("folds") = 5, py::arg("select") = "cv",
      py::arg("answer_grouping") = "equivalent", py::arg("csv") = py::none(), py::arg("plot") = py::none(),
      R"(Pick each strategy family's free settings (target, confidence, ...) per
budget: what `optscale tune --json` reports.

Arguments as eval, plus folds (k of the k-fold cross-validation across
problems, split seeded by `seed`) and select: "cv" (default, held-out
figures) or "test" (the paper's test-set selection, optimistic; for parity).

Returns the whole report as a dict: "results" (every configuration, as
eval), "tuned" (per family and budget: the chosen settings and their
held-out figures), "pareto" (accuracy against tokens), and the run's
settings.)");
}

}  // namespace optscale::python
