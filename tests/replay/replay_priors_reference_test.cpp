// The paper's published OptScale^t priors (predictor_priors/MATH500_priors.json)
// through the spec key `priors=` on a MATH500 pool built from the shared data:
// the 500 test problems in test_prompts order (text and gold), each with 64
// scores drawn (seeded) from a truncated normal at its real PRM score mean and
// std (the validation labels, joined by text), higher-scored samples correct.
// The pool is synthetic (the published completion pools are not available);
// what is checked is the priors' path: matched by position, equal to what the
// reference notebook printed, the same runs as the same priors in the pool,
// their known miscalibration (mu ~0.5 against ~0.93) costing samples, and the
// same figures from `optscale eval` on the pool written as JSON Lines.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "optscale/policy/spec.hpp"
#include "optscale/predict/labels.hpp"
#include "optscale/predict/prior_source.hpp"
#include "optscale/replay/replay.hpp"
#include "optscale/stats/truncated_normal.hpp"
#include "test_support.hpp"

namespace optscale::replay {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

json read_json(const fs::path& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  return json::parse(in);
}

pool::Pool math500_pool(const fs::path& data) {
  const fs::path ref = data / "optscale-reference";
  const json prompts = read_json(ref / "test_prompts" / "math500_test.json");
  std::map<std::string, predict::LabeledProblem> labels;
  for (auto& l : predict::read_labels(ref / "predictor_training" / "val_mu_sigma.json",
                                      ref / "predictor_training" / "val_data.json"))
    labels.emplace(l.problem, l);
  pool::Pool pool;
  std::mt19937_64 rng(2025);
  for (std::size_t i = 0; i < prompts.size(); ++i) {
    pool::Problem p;
    p.id = "math500-" + std::to_string(i);
    p.problem = prompts[i].at("problem").get<std::string>();
    p.gold = prompts[i].at("answer").get<std::string>();
    p.synthetic = true;
    const auto label = labels.find(p.problem);
    EXPECT_NE(label, labels.end()) << p.id << " has no validation label";
    const double mean = label == labels.end() ? 0.93 : label->second.mu;
    const double std = label == labels.end() ? 0.05 : std::max(label->second.sigma, 0.005);
    const stats::TruncatedNormal law(mean, std);
    for (int k = 0; k < 64; ++k) {
      pool::Sample s;
      s.score = law.sample(rng);
      s.tokens = 1000 + k;
      s.correct = s.score >= mean - 0.5 * std;
      p.samples.push_back(s);
    }
    pool.problems.push_back(std::move(p));
  }
  return pool;
}

ReplayResult run(const pool::Pool& pool, const std::vector<std::string>& specs) {
  std::vector<std::unique_ptr<policy::Strategy>> owned;
  std::vector<const policy::Strategy*> pointers;
  for (const std::string& spec : specs) {
    owned.push_back(std::move(policy::make_strategies(spec).at(0)));
    pointers.push_back(owned.back().get());
  }
  ReplayOptions options;
  options.threads = 2;
  return replay(pool, pointers, options);
}

TEST(ReplayPriorsReference, ThePapersMath500PriorsThroughThePriorsKey) {
  OPTSCALE_REQUIRE_SHARED_DATA(data);
  const fs::path priors = data / "optscale-reference" / "predictor_priors" / "MATH500_priors.json";
  const pool::Pool pool = math500_pool(data);
  ASSERT_EQ(pool.problems.size(), 500u);

  // 1. Matched by position: the file's values, which for the first 50
  //    problems are what the reference notebook printed as its predictor's.
  std::vector<predict::ProblemRef> refs;
  for (const pool::Problem& p : pool.problems) refs.push_back({p.problem, p.id});
  const auto resolved = predict::resolve_priors({policy::PriorSource::Kind::priors_file, priors.string()}, refs);
  const json published = read_json(priors);
  ASSERT_EQ(resolved.size(), 500u);
  for (std::size_t i = 0; i < 500; ++i) {
    EXPECT_EQ(resolved[i].mu, published[i][0].get<double>()) << i;
    EXPECT_EQ(resolved[i].sigma, published[i][1].get<double>()) << i;
  }
  const json decisions = read_json(data / "reference-decisions" / "math500.json");
  for (const json& params : decisions.at("settings")[0].at("params")) {
    const std::size_t i = params.at("index");
    EXPECT_NEAR(resolved[i].mu, params.at("predictor")[0].get<double>(), 5.01e-5) << i;
    EXPECT_NEAR(resolved[i].sigma, params.at("predictor")[1].get<double>(), 5.01e-5) << i;
  }

  // 2. The key gives the same runs as the same priors carried by the pool.
  pool::Pool carried = pool;
  for (std::size_t i = 0; i < 500; ++i) carried.problems[i].prior = std::array<double, 2>{resolved[i].mu, resolved[i].sigma};
  const std::string settings = "n=16,peek=5,target=0.95,delta=0.05";
  const ReplayResult by_key = run(pool, {"optscalet:" + settings + ",priors=" + priors.string(),
                                         "optscale0:" + settings, "optscalet:" + settings + ",predictor=default"});
  const ReplayResult in_pool = run(carried, {"optscalet:" + settings});
  EXPECT_EQ(by_key.strategies[0].problem_samples, in_pool.strategies[0].problem_samples);
  EXPECT_EQ(by_key.strategies[0].problem_accuracy, in_pool.strategies[0].problem_accuracy);

  // 3. The published priors put mu near 0.5 where the scores sit near 0.93:
  //    the MAP fit is pulled down and draws more than the MLE, and more than
  //    with the project's calibrated predictor.
  const double paper = by_key.strategies[0].samples.mean, mle = by_key.strategies[1].samples.mean,
               predicted = by_key.strategies[2].samples.mean;
  std::cout << "mean samples at n=16: paper's priors " << paper << ", MLE " << mle << ", default predictor "
            << predicted << "\n";
  EXPECT_GT(paper, mle);
  EXPECT_GT(paper, predicted);

  // 4. The same through the program: `optscale eval` on the pool written as
  //    JSON Lines, the spec naming the published file.
  const fs::path dir = testing::make_temp_dir("math500-priors");
  pool::write_pool(pool, dir / "math500.jsonl");
  const auto cli = testing::run_optscale("eval --pool '" + (dir / "math500.jsonl").string() +
                                         "' --threads 2 --json --strategy 'optscalet:" + settings +
                                         ",priors=" + priors.string() + "'");
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  const json figures = json::parse(cli.out)["results"][0];
  EXPECT_EQ(figures["mean_samples"].get<double>(), paper);
  EXPECT_EQ(figures["accuracy"].get<double>(), by_key.strategies[0].accuracy.mean);
  EXPECT_NE(cli.out.find("SIMULATED"), std::string::npos);  // the scores are drawn, and the report says so
  fs::remove_all(dir);
}

}  // namespace
}  // namespace optscale::replay
