// `optscale pool import|validate|stats`, run as the real program on the
// hand-written fixtures in tests/data/optscale_ref/ and tests/data/pools/.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "optscale/pool/pool.hpp"
#include "test_support.hpp"

namespace optscale::pool {
namespace {

using testing::run_optscale;

std::string ref(const std::string& name) {
  return testing::shell_quoted(testing::test_data_dir() / "optscale_ref" / name);
}

class PoolCli : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::make_temp_dir("pool-cli"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string out(const std::string& name) const { return testing::shell_quoted(dir_ / name); }
  std::filesystem::path path(const std::string& name) const { return dir_ / name; }

  testing::CommandResult import(const std::string& scored, const std::string& problems,
                                const std::string& extra = "") {
    return run_optscale("pool import --format optscale-ref --pool " + ref(scored) +
                        " --problems " + ref(problems) + " --out " + out("pool.jsonl") + " " + extra);
  }

  std::filesystem::path dir_;
};

TEST_F(PoolCli, ImportsAMathStylePoolWithGoldAndPriors) {
  const auto r = import("math_scored.json", "math_problems.json", "--priors " + ref("math_priors.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("imported 3 problems, 12 samples (3 with a gold answer, 3 with a prior)"),
            std::string::npos)
      << r.out;
  const Pool pool = read_pool(path("pool.jsonl"));
  ASSERT_EQ(pool.problems.size(), 3u);
  EXPECT_EQ(pool.problems[0].id, "test/prealgebra/1.json");  // unique_id when present
  EXPECT_EQ(pool.problems[0].problem, "What is $3 \\cdot 4$?");
  EXPECT_EQ(pool.problems[0].gold, "12");
  EXPECT_EQ(pool.problems[1].gold, "\\frac{3}{4}");
  EXPECT_EQ(pool.problems[2].gold, "-3");
  EXPECT_EQ(pool.problems[0].generator, "DeepSeek-R1-Distill-Qwen-7B");
  EXPECT_EQ(pool.problems[0].verifier, "Qwen2.5-Math-PRM-7B");
  EXPECT_FALSE(pool.synthetic());
  // Priors are attached as given, a negative sigma included.
  EXPECT_EQ(pool.problems[0].prior, (std::array<double, 2>{0.61, 0.12}));
  EXPECT_EQ(pool.problems[2].prior, (std::array<double, 2>{0.52, -0.013}));
  const auto& samples = pool.problems[0].samples;
  ASSERT_EQ(samples.size(), 4u);
  EXPECT_EQ(samples[0].text, "3 times 4 is \\boxed{12}.");
  EXPECT_DOUBLE_EQ(samples[0].score, 0.98);  // score.scores, not last_scores
  EXPECT_EQ(samples[0].tokens, 120);
  EXPECT_EQ(samples[3].text, "");
  EXPECT_EQ(samples[3].tokens, 0);
  EXPECT_FALSE(samples[0].answer.has_value());  // extracted from text when needed
  EXPECT_FALSE(samples[0].correct.has_value());
}

TEST_F(PoolCli, ImportsGsm8kGoldAsTheNumberAfterHashes) {
  const auto r = import("gsm8k_scored.json", "gsm8k_problems.json", "--dataset gsm8k");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Pool pool = read_pool(path("pool.jsonl"));
  ASSERT_EQ(pool.problems.size(), 3u);
  EXPECT_EQ(pool.problems[0].id, "gsm8k-0");
  EXPECT_EQ(pool.problems[2].id, "gsm8k-2");
  EXPECT_EQ(pool.problems[0].gold, "7");
  EXPECT_EQ(pool.problems[1].gold, "27");
  EXPECT_EQ(pool.problems[2].gold, "950");
  EXPECT_EQ(pool.problems[1].problem,
            "A book costs $12 and a pen $3. What do 2 books and 1 pen cost?");
  EXPECT_FALSE(pool.problems[0].prior.has_value());
}

TEST_F(PoolCli, IdsDefaultToTheProblemsFileName) {
  ASSERT_EQ(import("gsm8k_scored.json", "gsm8k_problems.json").exit_code, 0);
  EXPECT_EQ(read_pool(path("pool.jsonl")).problems[1].id, "gsm8k_problems-1");
}

TEST_F(PoolCli, ImportNamesEachMismatch) {
  struct Case {
    std::string scored, extra, message;
  };
  const std::vector<Case> cases = {
      {"math_scored_two_problems.json", "", "math_scored_two_problems.json: holds 2 problems but "},
      {"math_scored.json", "--priors " + ref("math_priors_two.json"),
       "math_priors_two.json: holds 2 priors but "},
      {"math_scored_short_scores.json", "",
       "math_scored_short_scores.json: [1].score.scores[0]: has 3 entries but "
       "score.completions[0] has 4"},
      {"math_scored_nan_score.json", "",
       "math_scored_nan_score.json: [2].score.scores[0][1]: must be in [0,1], got NaN"},
      {"math_scored_negative_tokens.json", "",
       "math_scored_negative_tokens.json: [0].score.completion_tokens[0][2]: must be a "
       "non-negative integer, got -5"},
      {"math_scored_other_text.json", "",
       "math_scored_other_text.json: [1].score.problem[0]: differs from "},
      {"math_scored.json", "--gold-format gsm8k", "math_problems.json: [0].answer: no number after"},
  };
  for (const auto& c : cases) {
    const auto r = import(c.scored, "math_problems.json", c.extra);
    EXPECT_EQ(r.exit_code, 1) << c.scored;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.scored << ": " << r.err;
    EXPECT_FALSE(std::filesystem::exists(path("pool.jsonl"))) << c.scored;
  }
}

TEST_F(PoolCli, TextMismatchCanBeAllowed) {
  const auto r = import("math_scored_other_text.json", "math_problems.json", "--allow-text-mismatch");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_pool(path("pool.jsonl")).problems[1].problem, "Simplify $\\frac{6}{8}$.");
}

TEST_F(PoolCli, RejectsAnUnknownFormat) {
  const auto r = run_optscale("pool import --format other --pool " + ref("math_scored.json") +
                              " --problems " + ref("math_problems.json") + " --out " + out("p.jsonl"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("unknown format \"other\" (known: optscale-ref)"), std::string::npos) << r.err;
}

TEST_F(PoolCli, ValidateAcceptsAGoodPoolAndListsErrorsOfABadOne) {
  const std::string good = (testing::test_data_dir() / "pools" / "valid_small.jsonl").string();
  auto r = run_optscale("pool validate '" + good + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, good + ": valid pool, 3 problems, 6 samples (SIMULATED)\n");

  const std::string bad = (testing::test_data_dir() / "pools" / "invalid" / "score_nan.jsonl").string();
  r = run_optscale("pool validate '" + bad + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(bad + ":2: samples[1].score: must be in [0,1], got NaN\n"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("not a valid pool (1 errors)"), std::string::npos) << r.err;
}

TEST_F(PoolCli, StatsReportsAccuracyWhenGoldIsKnown) {
  ASSERT_EQ(import("gsm8k_scored.json", "gsm8k_problems.json").exit_code, 0);
  const auto r = run_optscale("pool stats --json " + out("pool.jsonl"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["problems"], 3);
  EXPECT_EQ(j["samples"], 12);
  EXPECT_EQ(j["synthetic"], false);
  EXPECT_NEAR(j["mean_tokens_per_sample"].get<double>(), 599.0 / 12.0, 1e-9);
  EXPECT_NEAR(j["mean_tokens_per_problem"].get<double>(), 599.0 / 3.0, 1e-9);
  // Answers 7,7,12,7 | 15,27,27,30 | 950,1450,950,950 against gold 7, 27, 950.
  EXPECT_NEAR(j["sample_accuracy"].get<double>(), 8.0 / 12.0, 1e-12);
  EXPECT_NEAR(j["first_sample_accuracy"].get<double>(), 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(j["best_of_n_accuracy"].get<double>(), 2.0 / 3.0, 1e-12);  // 1450 scores highest
  EXPECT_NEAR(j["oracle_accuracy"].get<double>(), 1.0, 1e-12);

  const auto text = run_optscale("pool stats " + out("pool.jsonl"));
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("Best-of-N accuracy (all)  66.7%"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("SIMULATED"), std::string::npos);
}

TEST_F(PoolCli, StatsSaysUnknownWithoutGoldAndSimulatedForSyntheticPools) {
  const auto r = run_optscale("pool stats '" +
                              (testing::test_data_dir() / "pools" / "valid_small.jsonl").string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("SIMULATED pool")) << r.out;
  EXPECT_NE(r.out.find("first-sample accuracy     unknown"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(1 priors with sigma <= 0)"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace optscale::pool
