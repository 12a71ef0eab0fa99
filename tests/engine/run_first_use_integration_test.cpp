// What a first-time user of `optscale run` meets: a problems file that cannot
// be opened says why, and a store left by a run that failed before doing any
// work (server down) is reused by a plain rerun instead of asking for --resume.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "child_process.hpp"
#include "optscale/store/run_store.hpp"
#include "test_support.hpp"

namespace optscale::testing {
namespace {

namespace fs = std::filesystem;

TEST(RunFirstUse, AMissingProblemsFileSaysWhy) {
  const auto r = run_optscale(
      "run --problems /nonexistent/nope.jsonl --generator http://127.0.0.1:1/v1 --model m --scorer "
      "http://127.0.0.1:1 --scorer-model prm --strategy bon:n=2 --out /tmp/optscale-unused.jsonl --quiet");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("problems file /nonexistent/nope.jsonl: cannot open for reading (No such file or directory)"),
            std::string::npos)
      << r.err;
}

TEST(RunFirstUse, AStoreWithoutWorkIsReusedByAPlainRerun) {
  const fs::path dir = make_temp_dir("optscale-run-first-use");
  const fs::path pool = dir / "pool.jsonl", out = dir / "results.jsonl", store = dir / "run.db";
  ASSERT_EQ(run_optscale("simulate --problems 3 --samples 4 --seed 2 --out '" + pool.string() + "'").exit_code, 0);
  const std::string common = "run --problems '" + pool.string() + "' --model sim --scorer-model prm --strategy " +
                             "bon:n=2 --out '" + out.string() + "' --store '" + store.string() +
                             "' --quiet --max-attempts 2 --retry-base-delay 0.001 ";
  // The server is down: the run fails before drawing anything.
  const auto down = run_optscale(common + "--generator http://127.0.0.1:1/v1 --scorer http://127.0.0.1:1");
  ASSERT_EQ(down.exit_code, 1);
  ASSERT_TRUE(fs::exists(store));
  EXPECT_FALSE(store::RunStore(store).holds_work());
  // The server is up: the same command, without --resume, now runs.
  MockServerProcess mock(dir, pool);
  const auto up = run_optscale(common + "--generator " + mock.v1() + " --scorer " + mock.root() + " --json");
  ASSERT_EQ(up.exit_code, 0) << up.err;
  EXPECT_EQ(nlohmann::json::parse(up.out)["problems"], 3) << up.out;
  EXPECT_TRUE(store::RunStore(store).holds_work());
  // A store that holds work still asks for --resume.
  const auto again = run_optscale(common + "--generator " + mock.v1() + " --scorer " + mock.root());
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("--resume"), std::string::npos) << again.err;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace optscale::testing
