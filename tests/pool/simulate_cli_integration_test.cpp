// `optscale simulate` as the real program: byte-identical output per seed,
// flags mirrored by environment variables, and clear errors.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "optscale/pool/pool.hpp"
#include "test_support.hpp"

namespace optscale::pool {
namespace {

using testing::run_optscale;

class SimulateCli : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::make_temp_dir("simulate-cli"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string out(const std::string& name) const {
    return std::string("'").append((dir_ / name).string()).append("'");
  }
  std::string bytes(const std::string& name) const {
    std::ifstream in(dir_ / name, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::filesystem::path dir_;
};

// OPTSCALE_PROBLEMS mirrors --problems; OPTSCALE_SEED is not read (a seed
// would otherwise reach run, eval and simulate at once, and change a pool
// behind the command line).
TEST_F(SimulateCli, SameSeedSameBytesAndEnvironmentMirrorsFlags) {
  ASSERT_EQ(run_optscale("simulate --problems 20 --samples 8 --seed 5 --out " + out("a.jsonl")).exit_code, 0);
  ASSERT_EQ(run_optscale("simulate --problems 20 --samples 8 --seed 5 --out " + out("b.jsonl")).exit_code, 0);
  const auto env = run_optscale("simulate --problems 20 --samples 8 --out " + out("c.jsonl"));
  ASSERT_EQ(env.exit_code, 0);  // seed 1: differs
  ASSERT_EQ(std::system(("OPTSCALE_PROBLEMS=20 '" + testing::optscale_binary().string() +
                         "' simulate --samples 8 --seed 5 --out " + out("d.jsonl") + " 2>/dev/null")
                            .c_str()),
            0);
  ASSERT_EQ(std::system(("OPTSCALE_SEED=5 '" + testing::optscale_binary().string() +
                         "' simulate --problems 20 --samples 8 --out " + out("e.jsonl") + " 2>/dev/null")
                            .c_str()),
            0);
  EXPECT_EQ(bytes("a.jsonl"), bytes("b.jsonl"));
  EXPECT_NE(bytes("a.jsonl"), bytes("c.jsonl"));
  EXPECT_EQ(bytes("a.jsonl"), bytes("d.jsonl"));
  EXPECT_EQ(bytes("c.jsonl"), bytes("e.jsonl"));  // seed 1, whatever OPTSCALE_SEED says
  const Pool pool = read_pool(dir_ / "a.jsonl");
  EXPECT_EQ(pool.problems.size(), 20u);
  EXPECT_EQ(pool.problems[0].samples.size(), 8u);
  EXPECT_TRUE(pool.synthetic());

  const auto stats = run_optscale("pool stats " + out("a.jsonl"));
  EXPECT_TRUE(stats.out.starts_with("SIMULATED pool")) << stats.out;
}

TEST_F(SimulateCli, ParamOverridesChangeTheModel) {
  ASSERT_EQ(run_optscale("simulate --problems 5 --samples 4 --param tokens_median=100 --param "
                         "tokens_wrong_log_shift=0 --param tokens_problem_log_sd=0 --out " +
                         out("short.jsonl"))
                .exit_code,
            0);
  for (const Problem& p : read_pool(dir_ / "short.jsonl").problems) {
    for (const Sample& s : p.samples) EXPECT_LT(s.tokens, 1000) << p.id;
  }
  const auto shown = run_optscale("simulate --show-params --param wrong_concentration=3.5");
  EXPECT_EQ(shown.exit_code, 0);
  EXPECT_NE(shown.out.find("wrong_concentration = 3.5\n"), std::string::npos) << shown.out;
}

TEST_F(SimulateCli, ReportsBadInputClearly) {
  struct Case {
    std::string args, message;
  };
  const std::vector<Case> cases = {
      {"--out " + out("x.jsonl") + " --param nope=1", "simulator parameter \"nope\": unknown"},
      {"--out " + out("x.jsonl") + " --param weight_hard=abc",
       "--param weight_hard=abc: the value \"abc\" is not a number"},
      {"--out " + out("x.jsonl") + " --param weight_hard", "--param weight_hard: expected NAME=VALUE"},
      {"--out " + out("x.jsonl") + " --param weight_hard=0.99",
       "weight_mixed + weight_hard = "},
      {"--out " + out("x.jsonl") + " --profile gsm9k", "simulator profile \"gsm9k\": unknown (known: math500, strong-reasoner, mixed-reasoner)"},
      {"--problems 3", "simulate: --out is required"},
  };
  for (const auto& c : cases) {
    const auto r = run_optscale("simulate " + c.args);
    EXPECT_EQ(r.exit_code, 1) << c.args;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << ": " << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ / "x.jsonl"));
  EXPECT_EQ(run_optscale("simulate --problems 0 --out " + out("x.jsonl")).exit_code, 2);
}

}  // namespace
}  // namespace optscale::pool
