// Replay of strategies whose spec names their priors (predictor=PATH,
// priors=PATH): resolved once per source over the pool, each strategy seeing
// its own source's priors, and the same figures as when the pool carries the
// same priors itself.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "optscale/policy/spec.hpp"
#include "optscale/pool/simulate.hpp"
#include "optscale/predict/model_predictor.hpp"
#include "optscale/replay/replay.hpp"
#include "optscale/util/error.hpp"
#include "test_support.hpp"

namespace optscale::replay {
namespace {

using ::testing::HasSubstr;

std::vector<std::unique_ptr<policy::Strategy>> make(std::initializer_list<std::string> specs) {
  std::vector<std::unique_ptr<policy::Strategy>> owned;
  for (const std::string& spec : specs)
    for (auto& s : policy::make_strategies(spec)) owned.push_back(std::move(s));
  return owned;
}

ReplayResult run(const pool::Pool& pool, const std::vector<std::unique_ptr<policy::Strategy>>& owned) {
  std::vector<const policy::Strategy*> pointers;
  for (const auto& s : owned) pointers.push_back(s.get());
  ReplayOptions options;
  options.orders = 3;
  options.seed = 5;
  options.threads = 2;
  return replay(pool, pointers, options);
}

std::string error_of(const pool::Pool& pool, const std::string& spec) {
  return testing::error_message([&] { run(pool, make({spec})); });
}

struct Fixture {
  std::filesystem::path dir = optscale::testing::make_temp_dir("replay-priors");
  pool::Pool pool = pool::simulate_pool(pool::simulator_profile("math500"), 24, 16, 3).pool;
  ~Fixture() { std::filesystem::remove_all(dir); }

  // The pool's own priors, written as a list (by position) or a map (by id).
  std::filesystem::path priors_file(bool by_id) const {
    nlohmann::json j = by_id ? nlohmann::json::object() : nlohmann::json::array();
    for (const pool::Problem& p : pool.problems) {
      const nlohmann::json pair = {(*p.prior)[0], (*p.prior)[1]};
      if (by_id)
        j[p.id] = pair;
      else
        j.push_back(pair);
    }
    const auto path = dir / (by_id ? "map.json" : "list.json");
    std::ofstream(path) << j.dump();
    return path;
  }
};

void expect_same_figures(const StrategyResult& a, const StrategyResult& b) {
  EXPECT_EQ(a.problem_accuracy, b.problem_accuracy) << a.spec << " vs " << b.spec;
  EXPECT_EQ(a.problem_tokens, b.problem_tokens) << a.spec << " vs " << b.spec;
  EXPECT_EQ(a.problem_samples, b.problem_samples) << a.spec << " vs " << b.spec;
  EXPECT_EQ(a.stop_reasons, b.stop_reasons) << a.spec << " vs " << b.spec;
}

TEST(ReplayPriors, APriorsFileGivesTheSameRunsAsTheSamePriorsInThePool) {
  Fixture f;
  const std::string list = f.priors_file(false).string(), map = f.priors_file(true).string();
  const auto owned = make({"optscalet:n=16,target=0.95", "optscalet:n=16,target=0.95,priors=" + list,
                           "optscalet:n=16,target=0.95,priors=" + map, "dsc:n=16,difficulty=prior",
                           "dsc:n=16,priors=" + list, "optscale-seq:n=16,prior=predictor",
                           "optscale-seq:n=16,priors=" + map});
  const ReplayResult r = run(f.pool, owned);
  expect_same_figures(r.strategies[0], r.strategies[1]);
  expect_same_figures(r.strategies[0], r.strategies[2]);
  expect_same_figures(r.strategies[3], r.strategies[4]);
  expect_same_figures(r.strategies[5], r.strategies[6]);
}

TEST(ReplayPriors, EachStrategySeesItsOwnSourcesPriors) {
  Fixture f;
  // Everyone equally sure of an easy law: the bound is met after the peek.
  nlohmann::json easy = nlohmann::json::array();
  for (std::size_t i = 0; i < f.pool.problems.size(); ++i) easy.push_back({0.99, 0.01});
  const auto path = f.dir / "easy.json";
  std::ofstream(path) << easy.dump();
  const auto owned = make({"optscalet:n=16,target=0.95,prior_std=0.001,priors=" + path.string(),
                           "optscalet:n=16,target=0.95,prior_std=0.001"});
  const ReplayResult r = run(f.pool, owned);
  EXPECT_EQ(r.strategies[0].samples.mean, 5.0);  // the peek, nothing more
  EXPECT_EQ(r.strategies[0].stop_reasons.at("bound"), 24 * 3);
  EXPECT_GT(r.strategies[1].samples.mean, 5.0);  // the pool's own, noisier priors
}

TEST(ReplayPriors, ThePredictorPredictsFromThePoolsTextWithItsUncertainty) {
  Fixture f;
  const std::string model = predict::default_model_path().string();
  // The same predictions written into the pool: same runs (prior_std 0.1 on
  // both sides: the pool has no uncertainty to give).
  pool::Pool predicted = f.pool;
  const auto predictor = predict::ModelPredictor::load(model);
  for (pool::Problem& p : predicted.problems) {
    const predict::Prediction guess = predictor.predict({p.problem, p.id});
    p.prior = std::array<double, 2>{guess.mu, guess.sigma};
  }
  const auto by_spec = run(f.pool, make({"optscalet:n=16,prior_std=0.1,predictor=" + model,
                                         "optscalet:n=16,predictor=" + model}));
  const auto in_pool = run(predicted, make({"optscalet:n=16,prior_std=0.1"}));
  expect_same_figures(by_spec.strategies[0], in_pool.strategies[0]);
  EXPECT_THAT(by_spec.strategies[1].spec, HasSubstr("prior_std=predictor"));
}

TEST(ReplayPriors, ErrorsNameTheSourceAndTheProblem) {
  Fixture f;
  EXPECT_THAT(error_of(f.pool, "optscalet:n=16,priors=/nonexistent.json"),
              HasSubstr("priors=/nonexistent.json: '/nonexistent.json' does not exist"));
  pool::Pool textless = f.pool;
  textless.problems[2].problem.clear();
  EXPECT_THAT(error_of(textless, "optscalet:n=16,predictor=default"),
              HasSubstr("problem '" + f.pool.problems[2].id + "' (#3) has no text"));
  pool::Pool fewer = f.pool;
  const std::string list = f.priors_file(false).string(), map = f.priors_file(true).string();
  fewer.problems.pop_back();
  EXPECT_THAT(error_of(fewer, "optscalet:n=16,priors=" + list), HasSubstr("24 priors in the list for 23 problems"));
  EXPECT_THAT(error_of(fewer, "optscalet:n=16,priors=" + map),
              HasSubstr("'" + f.pool.problems.back().id + "' is not the id of any of the 23 problems"));
}

}  // namespace
}  // namespace optscale::replay
