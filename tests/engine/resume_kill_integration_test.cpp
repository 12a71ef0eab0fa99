// Crash-anywhere resume: `optscale run` against `optscale mock-server` (one
// choice whatever n asks, latency, faults) is killed with SIGKILL at random
// instants, seeded, and resumed each time, killed again, ... until it
// finishes. Then its results file must equal the uninterrupted run's byte for
// byte, its store must hold exactly the uninterrupted run's samples and
// scores, and its request log must show no sample drawn or scored twice.
//
// Kills per test: OPTSCALE_KILL_TEST_KILLS (default 20; 50+ for a soak),
// seed: OPTSCALE_KILL_TEST_SEED. Kill instants are drawn uniformly over the
// uninterrupted run's own duration (measured here, so a slow machine or a
// sanitizer build stretches them too; no timing is asserted).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdlib>
#include <random>
#include <sstream>

#include "child_process.hpp"
#include "test_support.hpp"

namespace optscale::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

int env_int(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::atoi(value) : fallback;
}

// Rows of a query over a run store, each row's columns joined by '|'.
std::vector<std::string> query(const fs::path& store, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(store.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    throw std::runtime_error("cannot open " + store.string());
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    std::string message = sqlite3_errmsg(db);
    sqlite3_close(db);
    throw std::runtime_error(sql + ": " + message);
  }
  std::vector<std::string> rows;
  while (sqlite3_step(statement) == SQLITE_ROW) {
    std::string row;
    for (int c = 0; c < sqlite3_column_count(statement); ++c) {
      const unsigned char* text = sqlite3_column_text(statement, c);
      row += (c ? "|" : "") + std::string(text ? reinterpret_cast<const char*>(text) : "NULL");
    }
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return rows;
}

struct KillScenario {
  std::string strategy;
  std::vector<std::string> scorer_args;  // given the mock's root and /v1 URLs
  int problems = 16;
};

class KillAnywhere {
 public:
  KillAnywhere(const KillScenario& scenario, const std::string& name)
      : scenario_(scenario), dir_(make_temp_dir("optscale-kill-" + name)) {
    pool_ = dir_ / "pool.jsonl";
    auto r = run_optscale("simulate --problems " + std::to_string(scenario.problems) + " --samples 16 --seed 9 --out " +
                          shell_quoted(pool_));
    if (r.exit_code != 0) throw std::runtime_error("simulate failed: " + r.err);
    // One choice per request whatever n asks; latency; retryable faults.
    mock_ = std::make_unique<MockServerProcess>(
        dir_, pool_,
        std::vector<std::string>{"--ignore-n", "--latency", "uniform:0,20", "--fault-seed", "3", "--error-rate", "0.05",
                                 "--malformed-rate", "0.02", "--drop-rate", "0.02", "--hang-rate", "0.01", "--hang-ms",
                                 "3000", "--burst-rate", "0.005", "--burst-length", "2", "--retry-after", "0.01"});
  }
  ~KillAnywhere() {
    mock_.reset();
    if (!::testing::Test::HasFailure()) fs::remove_all(dir_);
  }

  std::vector<std::string> args(const fs::path& out, bool resume) const {
    std::vector<std::string> a{"run", "--problems", pool_.string(), "--generator", mock_->v1(), "--model", "sim",
                               "--strategy", scenario_.strategy, "--out", out.string(), "--store",
                               out.string() + ".db", "--quiet", "--json", "--max-in-flight", "8",
                               "--request-timeout", "0.2", "--max-attempts", "40", "--retry-base-delay", "0.001",
                               "--retry-max-delay", "0.02"};
    for (const std::string& s : scenario_.scorer_args) {
      std::string arg = s;
      if (arg == "ROOT") arg = mock_->root();
      if (arg == "V1") arg = mock_->v1();
      a.push_back(arg);
    }
    if (resume) a.push_back("--resume");
    return a;
  }

  // The uninterrupted run, and how long it took.
  void reference() {
    const fs::path out = dir_ / "reference.jsonl";
    const auto start = Clock::now();
    ChildProcess run(args(out, false), dir_ / "reference.out", dir_ / "reference.err");
    ASSERT_EQ(run.wait(), 0) << read_text(dir_ / "reference.err");
    reference_seconds_ = std::chrono::duration<double>(Clock::now() - start).count();
    reference_results_ = read_text(out);
    ASSERT_FALSE(reference_results_.empty());
    reference_samples_ = query(out.string() + ".db", "SELECT problem, draw, text, tokens, finish_reason FROM samples "
                                                     "ORDER BY problem, draw");
    reference_scores_ = query(out.string() + ".db", "SELECT problem, draw, score, step_rewards FROM scores "
                                                   "ORDER BY problem, draw");
  }

  // Kills `kills` times in all: each chain starts a fresh store, is killed at
  // random instants and resumed until it finishes, then is checked.
  void run(int kills, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> instant(0.0, 1.1 * reference_seconds_);
    int killed = 0, chains = 0;
    while (killed < kills) {
      const fs::path out = dir_ / ("chain" + std::to_string(chains++) + ".jsonl");
      bool resume = false;
      int kills_in_chain = 0;
      while (true) {
        ChildProcess run(args(out, resume), dir_ / "run.out", dir_ / "run.err");
        const double at = killed < kills ? instant(rng) : 1e9;
        const auto deadline = Clock::now() + std::chrono::duration<double>(at);
        while (!run.exited() && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(2));
        if (!run.exited()) run.signal(SIGKILL);
        const int code = run.wait();  // 0 when it finished just before the kill
        if (code == -SIGKILL) {
          ++killed;
          ++kills_in_chain;
          resume = true;
          continue;
        }
        ASSERT_EQ(code, 0) << "chain " << chains - 1 << " after " << kills_in_chain
                                 << " kills: " << read_text(dir_ / "run.err");
        break;
      }
      SCOPED_TRACE("chain " + std::to_string(chains - 1) + " (" + std::to_string(kills_in_chain) + " kills)");
      check(out);
      if (::testing::Test::HasFailure()) return;
    }
    std::cerr << "[kill-anywhere] " << killed << " kills in " << chains << " chains, "
              << scenario_.strategy << ", uninterrupted run " << reference_seconds_ << " s\n";
  }

 private:
  void check(const fs::path& out) {
    EXPECT_EQ(read_text(out), reference_results_) << "results differ from the uninterrupted run's";
    const fs::path store = out.string() + ".db";
    EXPECT_EQ(query(store, "SELECT problem, draw, text, tokens, finish_reason FROM samples ORDER BY problem, draw"),
              reference_samples_);
    EXPECT_EQ(query(store, "SELECT problem, draw, score, step_rewards FROM scores ORDER BY problem, draw"),
              reference_scores_);
    // The request log of every session of the chain. An answered request is
    // stored in the same transaction as what it brought, so a kill loses
    // both or neither: the answered generation requests (one choice each: the
    // mock ignores n) must be exactly the stored samples, and the draws of the
    // answered scoring requests exactly the stored scores. A sample drawn or
    // scored twice, or a stored one redrawn, would make them more.
    const auto count_of = [&](const std::string& sql) { return std::stoll(query(store, sql).at(0)); };
    const long long samples = count_of("SELECT COUNT(*) FROM samples");
    const long long scores = count_of("SELECT COUNT(*) FROM scores");
    EXPECT_EQ(count_of("SELECT COUNT(*) FROM requests WHERE kind = 'generate' AND outcome = 'ok'"), samples)
        << "answered generation requests vs stored samples";
    EXPECT_EQ(count_of("SELECT COALESCE(SUM(count), 0) FROM requests WHERE kind = 'score' AND outcome = 'ok'"), scores)
        << "draws of answered scoring requests vs stored scores";
  }

  KillScenario scenario_;
  fs::path dir_, pool_;
  std::unique_ptr<MockServerProcess> mock_;
  double reference_seconds_ = 0.0;
  std::string reference_results_;
  std::vector<std::string> reference_samples_, reference_scores_;
};

TEST(ResumeKillIntegration, KilledAnywhereThenResumedGivesTheUninterruptedResults) {
  KillAnywhere test({"bon:n=8", {"--scorer", "ROOT", "--scorer-model", "prm"}, 16}, "prm");
  ASSERT_NO_FATAL_FAILURE(test.reference());
  test.run(env_int("OPTSCALE_KILL_TEST_KILLS", 20), static_cast<unsigned>(env_int("OPTSCALE_KILL_TEST_SEED", 1)));
}

TEST(ResumeKillIntegration, AnAdaptivePolicyWithAJudgeScorerResumesAsWell) {
  KillAnywhere test({"optscale0:n=16,peek=5,target=0.95,confidence=0.95",
                     {"--scorer", "V1", "--scorer-kind", "judge", "--scorer-model", "sim"},
                     12},
                    "judge");
  ASSERT_NO_FATAL_FAILURE(test.reference());
  test.run(env_int("OPTSCALE_KILL_TEST_KILLS", 20), static_cast<unsigned>(env_int("OPTSCALE_KILL_TEST_SEED", 1)) + 7);
}

// The UNIQUE failures came from two runs on one store (a resume
// started while the run it was to continue was still going, e.g. when
// kill -9 hit only a wrapper around it): the second is now refused, clearly,
// and the first finishes unharmed.
TEST(ResumeKillIntegration, ASecondRunOnABusyStoreIsRefusedAndTheFirstFinishes) {
  const fs::path dir = make_temp_dir("optscale-busy-store");
  const fs::path pool = dir / "pool.jsonl";
  ASSERT_EQ(run_optscale("simulate --problems 16 --samples 8 --seed 4 --out " + shell_quoted(pool)).exit_code, 0);
  // 20 ms per request, one at a time: the first run lasts at least 16 x 2 x
  // 20 ms, and is frozen (SIGSTOP) while it holds the store, so the second
  // meets a held lock however slow the machine is, not a race against time.
  MockServerProcess mock(dir, pool, {"--latency", "fixed:20"});
  const fs::path out = dir / "results.jsonl", store = dir / "results.jsonl.db";
  auto args = [&](bool resume) {
    std::vector<std::string> a{"run", "--problems", pool.string(), "--generator", mock.v1(), "--model", "sim",
                               "--scorer", mock.root(), "--scorer-model", "prm", "--strategy", "bon:n=4", "--out",
                               out.string(), "--quiet", "--max-in-flight", "1"};
    if (resume) a.push_back("--resume");
    return a;
  };
  ChildProcess first(args(false), dir / "first.out", dir / "first.err");
  // Wait (bounded, no timing asserted) until the first run has stored work.
  for (int i = 0; i < 6000 && !first.exited(); ++i) {
    try {
      if (fs::exists(store) && !query(store, "SELECT 1 FROM samples LIMIT 1").empty()) break;
    } catch (const std::exception&) {  // not created yet
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  first.signal(SIGSTOP);  // the lock stays held while it is frozen
  ASSERT_FALSE(first.exited()) << read_text(dir / "first.err");
  ChildProcess second(args(true), dir / "second.out", dir / "second.err");
  EXPECT_EQ(second.wait(), 1);
  const std::string message = read_text(dir / "second.err");
  EXPECT_NE(message.find("run store " + store.string() + " is in use"), std::string::npos) << message;
  first.signal(SIGCONT);
  ASSERT_EQ(first.wait(), 0) << read_text(dir / "first.err");
  std::istringstream lines(read_text(out));
  int count = 0;
  for (std::string line; std::getline(lines, line);) ++count;
  EXPECT_EQ(count, 16);
  EXPECT_EQ(query(store, "SELECT COUNT(*) FROM samples").at(0), "64");
  if (!::testing::Test::HasFailure()) fs::remove_all(dir);
}

}  // namespace
}  // namespace optscale::testing
