// The real `optscale eval` and `tune` with strategies naming their priors
// (predictor=PATH, priors=PATH) on tests/data/replay/priors-pool.jsonl: four
// problems whose only right answer comes late (position 10..13) with the best
// score, after middling wrong ones. A prior that calls the problems easy makes
// OptScale^t stop early and miss it; one that calls them hard draws the budget
// and finds it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace optscale::replay {
namespace {

using nlohmann::json;
using testing::run_optscale;

std::string data(const std::string& name) { return testing::shell_quoted(testing::test_data_dir() / "replay" / name); }

std::string source_path(const std::string& relative) {
  return (std::filesystem::path(OPTSCALE_SOURCE_DIR) / relative).string();
}

const std::string kSettings = "optscalet:n=16,peek=4,target=0.95,confidence=0.95";

json eval(const std::vector<std::string>& specs, const std::string& pool = data("priors-pool.jsonl")) {
  std::string args = "eval --pool " + pool + " --json";
  for (const std::string& s : specs) args += " --strategy '" + s + "'";
  const auto r = run_optscale(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.exit_code == 0 ? json::parse(r.out) : json();
}

std::string eval_error(const std::string& spec, const std::string& pool = data("priors-pool.jsonl")) {
  const auto r = run_optscale("eval --pool " + pool + " --strategy '" + spec + "'");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  return r.err;
}

TEST(EvalPriors, AnOptimisticPriorStopsEarlyAndAPessimisticOneDrawsTheBudget) {
  const std::string easy = source_path("tests/data/replay/priors-easy.json");  // list by position
  const std::string hard = source_path("tests/data/replay/priors-hard.json");  // map by id
  const json out = eval({kSettings + ",prior_std=0.03,priors=" + easy, kSettings + ",prior_std=0.03,priors=" + hard});
  ASSERT_EQ(out["results"].size(), 2u);
  const json& optimistic = out["results"][0];
  const json& pessimistic = out["results"][1];
  EXPECT_EQ(optimistic["strategy"], kSettings + ",method=exact,bounds=default,prior_std=0.03,missing_prior=error,priors=" + easy);
  // The easy prior: the bound is met before the right answer comes.
  EXPECT_LT(optimistic["mean_samples"].get<double>(), 10.0);
  EXPECT_EQ(optimistic["accuracy"], 0.0);
  EXPECT_EQ(optimistic["stop_reasons"]["bound"], 4);
  // The hard prior: the bound is out of reach, the budget is drawn, the best
  // score (the right answer) is found.
  EXPECT_EQ(pessimistic["mean_samples"], 16.0);
  EXPECT_EQ(pessimistic["accuracy"], 1.0);
  EXPECT_EQ(pessimistic["stop_reasons"]["capped"], 4);
}

TEST(EvalPriors, ThePredictorsOwnUncertaintyIsTighterThanTheParityStd) {
  const std::string model = source_path("models/default-predictor.json");
  const json out = eval({kSettings + ",predictor=" + model, kSettings + ",predictor=" + model + ",prior_std=0.1",
                         kSettings + ",predictor=default", "optscale0:n=16,peek=4,target=0.95,confidence=0.95"});
  ASSERT_EQ(out["results"].size(), 4u);
  const json& learned = out["results"][0];
  const json& parity = out["results"][1];
  EXPECT_NE(learned["strategy"].get<std::string>().find("prior_std=predictor"), std::string::npos);
  // The text model predicts these problems easy (mu ~0.94-0.98) with stds of
  // 0.03-0.05: a firmer pull than the paper's 0.1, so it stops on some
  // problems where the parity std, like the MLE, leaves the bound out of reach.
  EXPECT_LT(learned["mean_samples"].get<double>(), parity["mean_samples"].get<double>());
  EXPECT_GT(learned["stop_reasons"].value("bound", 0), 0);
  EXPECT_EQ(parity["mean_samples"], 16.0);
  EXPECT_EQ(out["results"][3]["mean_samples"], 16.0);
  // predictor=default is the shipped model itself.
  EXPECT_EQ(out["results"][2]["mean_samples"], learned["mean_samples"]);
  EXPECT_EQ(out["results"][2]["accuracy"], learned["accuracy"]);
}

TEST(EvalPriors, TuneSweepsWithANamedSource) {
  const auto r = run_optscale("tune --pool " + data("priors-pool.jsonl") + " --folds 2 --select test --json --strategy '" +
                              "optscalet:n=16,peek=4,target=0.9|0.95,priors=" + source_path("tests/data/replay/priors-hard.json") + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json out = json::parse(r.out);
  ASSERT_EQ(out["results"].size(), 2u);
  for (const json& result : out["results"])
    EXPECT_NE(result["strategy"].get<std::string>().find(",priors="), std::string::npos);
}

TEST(EvalPriors, ClearErrors) {
  EXPECT_NE(eval_error(kSettings + ",priors=/nonexistent/p.json").find("priors=/nonexistent/p.json: '/nonexistent/p.json' does not exist"),
            std::string::npos);
  EXPECT_NE(eval_error(kSettings + ",predictor=/nonexistent/m.json").find("predictor=/nonexistent/m.json"),
            std::string::npos);
  const std::string three = source_path("tests/data/predictor/priors_list.json");
  EXPECT_NE(eval_error(kSettings + ",priors=" + three).find("3 priors in the list for 4 problems"), std::string::npos);
  const std::string other_ids = source_path("tests/data/predictor/priors_map.json");
  EXPECT_NE(eval_error(kSettings + ",priors=" + other_ids).find("no prior for problem id 'r1'"), std::string::npos);
  EXPECT_NE(eval_error(kSettings + ",predictor=default,priors=" + three).find("not both"), std::string::npos);

  // A pool problem without text cannot be predicted from its text.
  const auto dir = testing::make_temp_dir("eval-priors");
  {
    std::ifstream in(testing::test_data_dir() / "replay" / "priors-pool.jsonl");
    std::ofstream out(dir / "textless.jsonl");
    for (std::string line; std::getline(in, line);) {
      json problem = json::parse(line);
      if (problem["id"] == "r3") problem["problem"] = "";
      out << problem.dump() << "\n";
    }
  }
  const std::string err = eval_error(kSettings + ",predictor=default", testing::shell_quoted(dir / "textless.jsonl"));
  EXPECT_NE(err.find("problem 'r3' (#3) has no text"), std::string::npos) << err;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace optscale::replay
