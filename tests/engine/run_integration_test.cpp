// `optscale run` against `optscale mock-server`, both the real binary on
// 127.0.0.1: a live run over a pool reproduces the offline computation with
// the same policy objects; faults lose and duplicate nothing; kill -9 plus
// --resume gives identical results; errors are clear.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "child_process.hpp"
#include "optscale/answers/answers.hpp"
#include "optscale/answers/answer_classes.hpp"
#include "optscale/policy/run.hpp"
#include "optscale/policy/spec.hpp"
#include "optscale/pool/pool.hpp"
#include "optscale/store/run_store.hpp"
#include "test_support.hpp"

namespace optscale::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct Workspace {
  Workspace() : dir(make_temp_dir("optscale-run-it")) {}
  ~Workspace() {
    if (!::testing::Test::HasFailure()) fs::remove_all(dir);
  }
  fs::path dir;
};

// A simulated pool written by the project's own simulator.
fs::path simulated_pool(const fs::path& dir, int problems, int samples, int seed) {
  fs::path pool = dir / "pool.jsonl";
  auto r = run_optscale("simulate --problems " + std::to_string(problems) + " --samples " +
                        std::to_string(samples) + " --seed " + std::to_string(seed) + " --out '" + pool.string() + "'");
  if (r.exit_code != 0) throw std::runtime_error("simulate failed: " + r.err);
  return pool;
}

std::string run_args(const MockServerProcess& mock, const fs::path& problems, const std::string& strategy,
                     const fs::path& out, const fs::path& store, const std::string& extra = "") {
  return "run --problems '" + problems.string() + "' --generator " + mock.v1() + " --model sim --scorer " +
         mock.root() + " --scorer-model prm --strategy '" + strategy + "' --out '" + out.string() + "' --store '" +
         store.string() + "' --json --quiet --retry-base-delay 0.001 --retry-max-delay 0.02 " + extra;
}

std::vector<json> read_lines(const fs::path& path) {
  std::vector<json> lines;
  std::istringstream in(read_text(path));
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  return lines;
}

// What the strategy does over each problem's samples in pool order, computed
// here with the policy objects directly (the offline replay's protocol).
struct Expected {
  int consumed;
  int selected;
  long long tokens;
  bool correct;
};

std::vector<Expected> offline(const pool::Pool& pool, const std::string& spec) {
  auto strategies = policy::make_strategies(spec);
  const policy::Strategy& strategy = *strategies.at(0);
  policy::DirectFitProvider fits;
  std::vector<policy::ProblemInfo> infos;
  std::vector<std::vector<policy::Observation>> observations;
  std::vector<std::vector<std::optional<std::string>>> answers_of;
  for (const pool::Problem& problem : pool.problems) {
    std::vector<policy::Observation> list;
    answers::AnswerClasses classes;
    std::vector<std::optional<std::string>> answers;
    for (const pool::Sample& s : problem.samples) {
      policy::Observation o;
      o.score = s.score;
      o.tokens = s.tokens;
      o.empty = s.text && s.text->empty();
      answers.push_back(s.answer ? s.answer : (s.text ? answers::extract_answer(*s.text) : std::nullopt));
      classes.add(answers.back());
      list.push_back(o);
    }
    auto labels = classes.classes();
    for (std::size_t i = 0; i < list.size(); ++i) list[i].answer_class = labels[i];
    infos.push_back(policy::ProblemInfo{problem.id, problem.problem, problem.prior, std::nullopt, &fits, {}});
    observations.push_back(std::move(list));
    answers_of.push_back(std::move(answers));
  }
  auto runs = policy::run_strategy(strategy, infos, observations);
  std::vector<Expected> out;
  for (std::size_t p = 0; p < runs.size(); ++p) {
    const policy::RunResult& r = runs[p];
    const pool::Problem& problem = pool.problems[p];
    bool correct = false;
    if (r.selected >= 0) {
      const auto k = static_cast<std::size_t>(r.selected);
      const pool::Sample& s = problem.samples[k];
      correct = s.correct ? *s.correct
                          : (answers_of[p][k] && problem.gold && answers::answers_equivalent(*answers_of[p][k], *problem.gold));
    }
    out.push_back(Expected{r.consumed, r.selected, r.tokens, correct});
  }
  return out;
}

void expect_same_as_offline(const pool::Pool& pool, const std::vector<json>& results, const std::string& spec) {
  auto expected = offline(pool, spec);
  ASSERT_EQ(results.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE("problem " + pool.problems[i].id);
    EXPECT_EQ(results[i]["id"], pool.problems[i].id);
    EXPECT_EQ(results[i]["samples_used"], expected[i].consumed);
    EXPECT_EQ(results[i]["selected"], expected[i].selected);
    EXPECT_EQ(results[i]["tokens"], expected[i].tokens);
    EXPECT_EQ(results[i]["correct"], expected[i].correct);
    for (int k = 0; k < expected[i].consumed; ++k)
      EXPECT_EQ(results[i]["scores"][static_cast<std::size_t>(k)].get<double>(),
                pool.problems[i].samples[static_cast<std::size_t>(k)].score);
  }
}

TEST(RunIntegration, ALiveRunOverAPoolReproducesTheOfflineReplay) {
  Workspace ws;
  fs::path pool_path = simulated_pool(ws.dir, 40, 32, 11);
  pool::Pool pool = pool::read_pool(pool_path);
  MockServerProcess mock(ws.dir, pool_path);
  for (const std::string spec : {"bon:n=8", "optscale0:n=16,peek=5,target=0.95,confidence=0.95",
                                 "optscalet:n=16,peek=5,target=0.95,confidence=0.95",
                                 "optscale-seq:n=32,target=0.95,confidence=0.9", "asc:n=16", "dsc:n=16"}) {
    SCOPED_TRACE(spec);
    const fs::path out = ws.dir / "results.jsonl", store = ws.dir / "run.db";
    fs::remove(store);
    auto r = run_optscale(run_args(mock, pool_path, spec, out, store, "--max-in-flight 8"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    expect_same_as_offline(pool, read_lines(out), spec);
    json summary = json::parse(r.out);
    EXPECT_EQ(summary["problems"], 40);
    // The same figures as `optscale eval` over the pool.
    auto eval = run_optscale("eval --pool '" + pool_path.string() + "' --strategy '" + spec + "' --json");
    ASSERT_EQ(eval.exit_code, 0) << eval.err;
    json replay = json::parse(eval.out)["results"][0];
    EXPECT_EQ(summary["accuracy"], replay["accuracy"]);
    EXPECT_NEAR(summary["mean_samples"].get<double>(), replay["mean_samples"].get<double>(), 1e-9);
    EXPECT_NEAR(summary["mean_tokens"].get<double>(), replay["mean_tokens"].get<double>(), 1e-6);
    EXPECT_EQ(summary["stop_reasons"], replay["stop_reasons"]);
  }
}

TEST(RunIntegration, FaultsAndIgnoredNLoseNothingAndDuplicateNothing) {
  Workspace ws;
  fs::path pool_path = simulated_pool(ws.dir, 24, 16, 5);
  pool::Pool pool = pool::read_pool(pool_path);
  MockServerProcess mock(ws.dir, pool_path,
                         {"--fault-seed", "4", "--error-rate", "0.1", "--malformed-rate", "0.05", "--drop-rate",
                          "0.05", "--hang-rate", "0.02", "--hang-ms", "30000", "--burst-rate", "0.01",
                          "--burst-length", "3", "--retry-after", "0.05", "--ignore-n", "--latency", "uniform:0,3"});
  const std::string spec = "optscale0:n=16,peek=5,target=0.95,confidence=0.95";
  const fs::path out = ws.dir / "results.jsonl", store = ws.dir / "run.db";
  auto r = run_optscale(run_args(mock, pool_path, spec, out, store,
                                 "--max-in-flight 6 --request-timeout 0.3 --max-attempts 30"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto results = read_lines(out);
  expect_same_as_offline(pool, results, spec);
  json summary = json::parse(r.out);
  EXPECT_GT(summary["failed_attempts"].get<long long>(), 0);
  long long used = 0;
  for (const json& line : results) used += line["samples_used"].get<long long>();
  store::RunStore db(store);
  EXPECT_EQ(db.count("samples"), used);  // every drawn sample stored once (primary key), none lost
  EXPECT_EQ(db.count("scores"), used);
}

TEST(RunIntegration, KillNineMidRunThenResumeGivesIdenticalResults) {
  Workspace ws;
  fs::path pool_path = simulated_pool(ws.dir, 40, 32, 7);
  const std::string spec = "optscale0:n=16,peek=5,target=0.95,confidence=0.95";
  const fs::path reference = ws.dir / "reference.jsonl";
  {
    MockServerProcess fast(ws.dir, pool_path, {}, "fast");
    auto r = run_optscale(run_args(fast, pool_path, spec, reference, ws.dir / "reference.db", "--max-in-flight 4"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  // The run to kill is slowed by the server (40 ms per request, about 6 s in
  // all), so that a loaded machine cannot let it finish before the kill;
  // latency does not change what is served.
  MockServerProcess mock(ws.dir, pool_path, {"--latency", "fixed:40"}, "slow");

  const fs::path out = ws.dir / "results.jsonl", store = ws.dir / "run.db";
  std::vector<std::string> args;
  {
    std::istringstream split(run_args(mock, pool_path, spec, out, store, "--max-in-flight 4"));
    for (std::string word; split >> word;) {
      if (word.size() >= 2 && word.front() == '\'' && word.back() == '\'') word = word.substr(1, word.size() - 2);
      args.push_back(word);
    }
  }
  long long stored_at_kill = 0;
  {
    ChildProcess run(args, ws.dir / "killed.out", ws.dir / "killed.err");
    // Kill it once some, not all, of its work is stored.
    for (int i = 0; i < 2000 && stored_at_kill < 60; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      if (fs::exists(store)) {
        try {
          stored_at_kill = store::RunStore(store).count("samples");
        } catch (const std::exception&) {
        }
      }
      ASSERT_FALSE(run.exited()) << read_text(ws.dir / "killed.err");
    }
    run.signal(SIGKILL);
    EXPECT_EQ(run.wait(), -SIGKILL);
  }
  stored_at_kill = store::RunStore(store).count("samples");
  ASSERT_GT(stored_at_kill, 0);

  auto resumed = run_optscale(run_args(mock, pool_path, spec, out, store, "--max-in-flight 4 --resume"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(read_text(out), read_text(reference));
  json summary = json::parse(resumed.out);
  long long total = store::RunStore(store).count("samples");
  EXPECT_LT(stored_at_kill, total);  // it was killed mid-way
  EXPECT_EQ(summary["drawn"].get<long long>() + stored_at_kill, total);  // nothing drawn twice
  EXPECT_EQ(total, store::RunStore(ws.dir / "reference.db").count("samples"));
}

TEST(RunIntegration, RefusesToOverwriteOrMisresumeAStore) {
  Workspace ws;
  fs::path pool_path = simulated_pool(ws.dir, 5, 8, 1);
  MockServerProcess mock(ws.dir, pool_path);
  const fs::path out = ws.dir / "results.jsonl", store = ws.dir / "run.db";
  ASSERT_EQ(run_optscale(run_args(mock, pool_path, "bon:n=4", out, store)).exit_code, 0);
  auto again = run_optscale(run_args(mock, pool_path, "bon:n=4", out, store));
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("--resume"), std::string::npos) << again.err;
  auto other = run_optscale(run_args(mock, pool_path, "bon:n=8", out, store, "--resume"));
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_NE(other.err.find("strategy"), std::string::npos) << other.err;
}

TEST(RunIntegration, PriorsCanComeFromThePredictor) {
  Workspace ws;
  fs::path pool_path = simulated_pool(ws.dir, 6, 16, 4);
  MockServerProcess mock(ws.dir, pool_path);
  const fs::path out = ws.dir / "results.jsonl";
  auto r = run_optscale(run_args(mock, pool_path, "optscalet:n=16,peek=5,prior_std=predictor", out, ws.dir / "p.db",
                                 "--predictor default"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_lines(out).size(), 6u);
  auto both = run_optscale(run_args(mock, pool_path, "optscalet:n=16", out, ws.dir / "q.db",
                                    "--predictor default --priors '" + pool_path.string() + "'"));
  EXPECT_EQ(both.exit_code, 1);
  EXPECT_NE(both.err.find("not both"), std::string::npos) << both.err;
}

TEST(RunIntegration, PriorsCanComeFromTheSpecThroughTheReplaysResolution) {
  Workspace ws;
  fs::path pool_path = simulated_pool(ws.dir, 5, 16, 6);
  MockServerProcess mock(ws.dir, pool_path);
  // A priors file by id, resolved exactly as `optscale eval` resolves it.
  const pool::Pool pool = pool::read_pool(pool_path);
  json priors = json::object();
  for (const pool::Problem& p : pool.problems) priors[p.id] = {0.6, 0.2};
  const fs::path priors_path = ws.dir / "priors.json";
  std::ofstream(priors_path) << priors.dump();
  const std::string spec = "optscalet:n=16,peek=5,priors=" + priors_path.string();
  const fs::path out = ws.dir / "results.jsonl";
  auto r = run_optscale(run_args(mock, pool_path, spec, out, ws.dir / "p.db"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The live run decides as the offline policy does with those priors.
  pool::Pool with_priors = pool;
  for (pool::Problem& p : with_priors.problems) p.prior = std::array<double, 2>{0.6, 0.2};
  expect_same_as_offline(with_priors, read_lines(out), "optscalet:n=16,peek=5");
  // ... and as `optscale eval` with the same spec.
  auto eval = run_optscale("eval --pool '" + pool_path.string() + "' --strategy '" + spec + "' --json");
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  EXPECT_EQ(json::parse(r.out)["accuracy"], json::parse(eval.out)["results"][0]["accuracy"]);
  EXPECT_EQ(json::parse(r.out)["stop_reasons"], json::parse(eval.out)["results"][0]["stop_reasons"]);

  auto model = run_optscale(run_args(mock, pool_path, "optscalet:n=16,peek=5,predictor=default", out, ws.dir / "m.db"));
  EXPECT_EQ(model.exit_code, 0) << model.err;
  auto both = run_optscale(run_args(mock, pool_path, spec, out, ws.dir / "q.db", "--predictor default"));
  EXPECT_EQ(both.exit_code, 1);
  EXPECT_NE(both.err.find("--strategy names priors=" + priors_path.string() + " and --predictor names default"),
            std::string::npos)
      << both.err;
  std::ofstream(ws.dir / "short.json") << "[[0.6, 0.2]]";
  auto short_list = run_optscale(run_args(mock, pool_path, "optscalet:n=16,priors=" + (ws.dir / "short.json").string(),
                                          out, ws.dir / "s.db"));
  EXPECT_EQ(short_list.exit_code, 1);
  EXPECT_NE(short_list.err.find("1 priors in the list for 5 problems"), std::string::npos) << short_list.err;
}

TEST(RunIntegration, AnUnreachableServerFailsClearlyNamingIt) {
  Workspace ws;
  fs::path pool_path = simulated_pool(ws.dir, 3, 4, 2);
  const fs::path out = ws.dir / "results.jsonl";
  auto r = run_optscale("run --problems '" + pool_path.string() +
                        "' --generator http://127.0.0.1:1/v1 --model m --scorer http://127.0.0.1:1 "
                        "--scorer-model prm --strategy bon:n=2 --out '" + out.string() +
                        "' --quiet --max-attempts 2 --retry-base-delay 0.001");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("http://127.0.0.1:1/v1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("after 2 attempts"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--resume"), std::string::npos) << r.err;
}

TEST(MockServerIntegration, ServesHealthModelsAndMetricsOnAFreePort) {
  Workspace ws;
  fs::path pool_path = simulated_pool(ws.dir, 2, 4, 3);
  MockServerProcess mock(ws.dir, pool_path, {"--model", "served"});
  auto r = run_optscale("run --problems '" + pool_path.string() + "' --generator " + mock.v1() +
                        " --model other --scorer " + mock.root() + " --scorer-model served --strategy bon:n=1 --out '" +
                        (ws.dir / "r.jsonl").string() + "' --quiet");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
  std::string banner = read_text(ws.dir / "mock.out");
  EXPECT_NE(banner.find("listening on http://127.0.0.1:" + std::to_string(mock.port())), std::string::npos) << banner;
  mock.process().signal(SIGTERM);
  EXPECT_EQ(mock.process().wait(), 0);
}

}  // namespace
}  // namespace optscale::testing
