// The simulator: determinism, prefix stability, format validity and the
// structure the model promises (docs/simulator.md).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "optscale/pool/pool.hpp"
#include "optscale/pool/pool_stats.hpp"
#include "optscale/pool/simulate.hpp"
#include "optscale/util/error.hpp"
#include "test_support.hpp"

namespace optscale::pool {
namespace {

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const SimulatorProfile kProfile = simulator_profile("math500");

TEST(Simulator, SameSeedGivesByteIdenticalFiles) {
  const auto dir = testing::make_temp_dir("sim-determinism");
  write_pool(simulate_pool(kProfile, 40, 16, 7).pool, dir / "a.jsonl");
  write_pool(simulate_pool(kProfile, 40, 16, 7).pool, dir / "b.jsonl");
  write_pool(simulate_pool(kProfile, 40, 16, 8).pool, dir / "c.jsonl");
  EXPECT_EQ(file_bytes(dir / "a.jsonl"), file_bytes(dir / "b.jsonl"));
  EXPECT_NE(file_bytes(dir / "a.jsonl"), file_bytes(dir / "c.jsonl"));
  std::filesystem::remove_all(dir);
}

TEST(Simulator, SmallerPoolsArePrefixesOfLargerOnes) {
  const auto small = simulate_pool(kProfile, 5, 8, 3).pool;
  const auto large = simulate_pool(kProfile, 9, 20, 3).pool;
  for (std::size_t i = 0; i < small.problems.size(); ++i) {
    const Problem &a = small.problems[i], &b = large.problems[i];
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.gold, b.gold);
    EXPECT_EQ(a.prior, b.prior);
    for (std::size_t j = 0; j < a.samples.size(); ++j) {
      EXPECT_EQ(a.samples[j].score, b.samples[j].score);
      EXPECT_EQ(a.samples[j].tokens, b.samples[j].tokens);
      EXPECT_EQ(a.samples[j].answer, b.samples[j].answer);
      EXPECT_EQ(a.samples[j].correct, b.samples[j].correct);
    }
  }
}

TEST(Simulator, WritesAValidSyntheticPoolThatReadsBack) {
  const auto simulated = simulate_pool(kProfile, 30, 12, 11);
  const auto dir = testing::make_temp_dir("sim-valid");
  write_pool(simulated.pool, dir / "sim.jsonl");
  EXPECT_TRUE(validate_pool_file(dir / "sim.jsonl").empty());
  const Pool pool = read_pool(dir / "sim.jsonl");
  ASSERT_EQ(pool.problems.size(), 30u);
  EXPECT_TRUE(pool.synthetic());
  std::set<std::string> ids;
  for (const Problem& p : pool.problems) {
    ids.insert(p.id);
    EXPECT_TRUE(p.synthetic);
    EXPECT_EQ(p.generator, "simulator:math500");
    ASSERT_TRUE(p.gold.has_value());
    ASSERT_TRUE(p.prior.has_value());
    EXPECT_GE((*p.prior)[0], 0.0);
    EXPECT_LE((*p.prior)[0], 1.0);
    EXPECT_GT((*p.prior)[1], 0.0);
    ASSERT_EQ(p.samples.size(), 12u);
    for (const Sample& s : p.samples) {
      EXPECT_FALSE(s.text.has_value());
      ASSERT_TRUE(s.correct.has_value());
      EXPECT_GE(s.tokens, 1);
      EXPECT_LE(s.tokens, static_cast<long long>(kProfile.tokens_cap));
      // Correct samples state the gold answer; wrong ones another one, or none when cut.
      if (*s.correct) {
        EXPECT_EQ(s.answer, p.gold);
      } else if (s.answer) {
        EXPECT_NE(s.answer, p.gold);
      } else {
        EXPECT_EQ(s.tokens, static_cast<long long>(kProfile.tokens_cap));
      }
    }
  }
  EXPECT_EQ(ids.size(), 30u);
  std::filesystem::remove_all(dir);
}

// With many samples, per-problem sample moments converge to the reported truth.
TEST(Simulator, TruthMatchesTheSampleMomentsOfALargePool) {
  const auto simulated = simulate_pool(kProfile, 20, 20000, 5);
  for (std::size_t i = 0; i < simulated.pool.problems.size(); ++i) {
    const auto& samples = simulated.pool.problems[i].samples;
    double mean = 0.0, correct = 0.0;
    for (const Sample& s : samples) {
      mean += s.score;
      correct += *s.correct ? 1.0 : 0.0;
    }
    mean /= samples.size();
    double var = 0.0;
    for (const Sample& s : samples) var += (s.score - mean) * (s.score - mean);
    const double sd = std::sqrt(var / samples.size());
    const ProblemTruth& t = simulated.truth[i];
    EXPECT_NEAR(correct / samples.size(), t.solve_rate, 0.015) << i;
    EXPECT_NEAR(mean, t.score_mean, 4.0 * t.score_std / std::sqrt(20000.0) + 1e-6) << i;
    EXPECT_NEAR(sd, t.score_std, 0.06 * t.score_std + 1e-4) << i;
  }
}

// The law is deliberately not one truncated normal: correct and wrong samples
// score differently, and wrong ones are longer.
TEST(Simulator, CorrectAndWrongSamplesDiffer) {
  const auto pool = simulate_pool(kProfile, 3000, 16, 9).pool;
  double correct_score = 0, wrong_score = 0, correct_tokens = 0, wrong_tokens = 0;
  double correct_n = 0, wrong_n = 0;
  for (const Problem& p : pool.problems) {
    for (const Sample& s : p.samples) {
      if (*s.correct) {
        correct_score += s.score;
        correct_tokens += s.tokens;
        ++correct_n;
      } else {
        wrong_score += s.score;
        wrong_tokens += s.tokens;
        ++wrong_n;
      }
    }
  }
  ASSERT_GT(wrong_n, 1000);
  EXPECT_GT(correct_score / correct_n, wrong_score / wrong_n + 0.05);
  EXPECT_GT(wrong_tokens / wrong_n, 1.5 * correct_tokens / correct_n);
}

// Wrong answers recur within a problem (so votes can go wrong), and differ across problems.
TEST(Simulator, WrongAnswersRecurWithinAProblem) {
  const auto pool = simulate_pool(kProfile, 400, 64, 13).pool;
  int problems_with_repeated_wrong = 0;
  for (const Problem& p : pool.problems) {
    std::map<std::string, int> counts;
    for (const Sample& s : p.samples) {
      if (!*s.correct && s.answer) ++counts[*s.answer];
    }
    EXPECT_LE(counts.size(), static_cast<std::size_t>(kProfile.wrong_answers_max));
    for (const auto& [answer, n] : counts) {
      if (n >= 2) {
        ++problems_with_repeated_wrong;
        break;
      }
    }
  }
  EXPECT_GT(problems_with_repeated_wrong, 20);
}

TEST(SimulatorProfile, ParametersCanBeListedAndSetByName) {
  SimulatorProfile profile = simulator_profile("math500");
  const auto params = simulator_parameters(profile);
  ASSERT_FALSE(params.empty());
  EXPECT_EQ(params.front().first, "weight_mixed");
  set_simulator_parameter(profile, "tokens_median", 1234.0);
  EXPECT_EQ(profile.tokens_median, 1234.0);
  EXPECT_THROW(set_simulator_parameter(profile, "no_such_constant", 1.0), Error);
  EXPECT_THROW(simulator_profile("gsm9k"), Error);
}

TEST(SimulatorProfile, RejectsConstantsOutsideTheirRange) {
  SimulatorProfile profile = simulator_profile("math500");
  profile.weight_mixed = 0.7;
  profile.weight_hard = 0.4;
  EXPECT_THROW(simulate_pool(profile, 1, 1, 1), Error);
  profile = simulator_profile("math500");
  profile.easy_b = 0.0;
  EXPECT_THROW(simulate_pool(profile, 1, 1, 1), Error);
  profile = simulator_profile("math500");
  profile.correct_deficit_max = 1.0;
  EXPECT_THROW(simulate_pool(profile, 1, 1, 1), Error);
  EXPECT_THROW(simulate_pool(simulator_profile("math500"), 0, 1, 1), Error);
  EXPECT_THROW(simulate_pool(simulator_profile("math500"), 1, 0, 1), Error);
}

}  // namespace
}  // namespace optscale::pool
