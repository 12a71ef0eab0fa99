// optscale predictor train / eval / predict, run as the real program.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "synthetic_labels.hpp"
#include "test_support.hpp"

namespace {

using optscale::testing::run_optscale;
using optscale::testing::shell_quoted;


class PredictorCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = optscale::testing::make_temp_dir("predictor-cli");
    std::ofstream labels(dir_ / "labels.jsonl"), problems(dir_ / "problems.jsonl");
    for (const auto& l : optscale::testing::synthetic_labels(90)) {
      labels << nlohmann::json{{"id", l.id}, {"problem", l.problem}, {"mu", l.mu}, {"sigma", l.sigma}}.dump()
             << "\n";
    }
    problems << R"({"id": "easy", "problem": "This is an easy warm-up: a prime problem number 5000. Compute the answer."})"
             << "\n"
             << R"({"id": "hard", "problem": "This is a hard olympiad challenge: a prime problem number 5000. Compute the answer."})"
             << "\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string path(const std::string& name) const { return shell_quoted(dir_ / name); }
  std::string fixture(const std::string& name) const {
    return shell_quoted(optscale::testing::test_data_dir() / "predictor" / name);
  }
  void train(const std::string& extra = "") {
    const auto r = run_optscale("predictor train --labels " + path("labels.jsonl") + " --hash-bits 14 " +
                                "--lambdas 0.1,1 --out " + path("model.json") + " " + extra);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  std::filesystem::path dir_;
};

TEST_F(PredictorCli, TrainWritesAModelWithItsProvenance) {
  const auto r = run_optscale("predictor train --labels " + path("labels.jsonl") +
                              " --hash-bits 14 --lambdas 0.1,1 --folds 4 --seed 3 --out " + path("model.json") +
                              " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("4-fold cross-validation"), std::string::npos);
  const auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["problems"], 90);
  EXPECT_GT(summary["training"]["cross_validated"]["final"]["mu"]["spearman"].get<double>(), 0.8);
  std::ifstream in(dir_ / "model.json");
  const auto model = nlohmann::json::parse(in);
  EXPECT_EQ(model["format"], "optscale-predictor");
  EXPECT_EQ(model["format_version"], 1);
  EXPECT_EQ(model["features"]["kind"], "text");
  EXPECT_EQ(model["features"]["config"]["hash_bits"], 14);
  EXPECT_EQ(model["training"]["options"]["folds"], 4);
  EXPECT_EQ(model["training"]["options"]["seed"], 3);
  EXPECT_TRUE(model["validation"].is_null());
}

TEST_F(PredictorCli, TrainRecordsValidationFiguresThatEvalReproduces) {
  train("--validation-labels " + fixture("mu_sigma.json") + " --validation-problems " + fixture("problems.json"));
  std::ifstream in(dir_ / "model.json");
  const auto model = nlohmann::json::parse(in);
  ASSERT_TRUE(model["validation"].is_object());
  EXPECT_EQ(model["validation"]["n"], 3);
  const auto r = run_optscale("predictor eval --model " + path("model.json") + " --labels " +
                              fixture("mu_sigma.json") + " --problems " + fixture("problems.json") + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto e = nlohmann::json::parse(r.out);
  for (const char* target : {"mu", "sigma"}) {
    for (const char* metric : {"mae", "rmse", "spearman"}) {
      EXPECT_EQ(e[target][metric], model["validation"][target][metric]) << target << " " << metric;
    }
  }
}

TEST_F(PredictorCli, EvalJsonHasTheDocumentedShape) {
  train();
  const auto r = run_optscale("predictor eval --model " + path("model.json") + " --labels " +
                              path("labels.jsonl") + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto e = nlohmann::json::parse(r.out);
  EXPECT_EQ(e["n"], 90);
  for (const char* target : {"mu", "sigma"}) {
    for (const char* metric : {"mae", "rmse", "spearman"}) {
      EXPECT_TRUE(e[target][metric].is_number()) << target << metric;
    }
    EXPECT_TRUE(e["baseline"][target]["mae"].is_number());
  }
  EXPECT_EQ(e["baseline"]["source"], "training mean");
  EXPECT_LT(e["mu"]["mae"].get<double>(), e["baseline"]["mu"]["mae"].get<double>());

  const auto text = run_optscale("predictor eval --model " + path("model.json") + " --labels " + path("labels.jsonl"));
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Spearman"), std::string::npos);
  EXPECT_NE(text.out.find("constant baseline (training mean"), std::string::npos);
}

TEST_F(PredictorCli, PredictOneOrManyProblems) {
  train();
  const auto many = run_optscale("predictor predict --model " + path("model.json") + " --problems " +
                                 path("problems.jsonl") + " --json");
  ASSERT_EQ(many.exit_code, 0) << many.err;
  std::istringstream lines(many.out);
  std::string easy_line, hard_line;
  std::getline(lines, easy_line);
  std::getline(lines, hard_line);
  const auto easy = nlohmann::json::parse(easy_line), hard = nlohmann::json::parse(hard_line);
  EXPECT_EQ(easy["id"], "easy");
  EXPECT_GT(easy["mu"].get<double>(), hard["mu"].get<double>());
  EXPECT_GT(hard["sigma"].get<double>(), 0.0);
  EXPECT_GT(hard["mu_std"].get<double>(), 0.0);

  const auto one = run_optscale("predictor predict --model " + path("model.json") +
                                " --problem 'This is a standard question: a triangle problem.'");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(one.out.rfind("mu ", 0), 0u) << one.out;

  const auto parity = run_optscale("predictor predict --model " + path("model.json") +
                                   " --problem 'x' --fixed-prior-std 0.1 --json");
  ASSERT_EQ(parity.exit_code, 0) << parity.err;
  EXPECT_EQ(nlohmann::json::parse(parity.out)["mu_std"], 0.1);
}

TEST_F(PredictorCli, ModelFromTheEnvironment) {
  train();
  const auto r = run_optscale("predictor predict --problem 'x' --json", "");
  ASSERT_EQ(r.exit_code, 0) << r.err;  // the shipped default model
  const std::string with_env = "env OPTSCALE_PREDICTOR=" + path("model.json") + " ";
  // run_optscale prefixes the binary; an env assignment goes through sh's `env`.
  const int status = std::system((with_env + shell_quoted(optscale::testing::optscale_binary()) +
                                  " predictor predict --problem 'x' --json > " + path("env.out"))
                                     .c_str());
  ASSERT_EQ(status, 0);
  std::ifstream in(dir_ / "env.out");
  const auto from_env = nlohmann::json::parse(in);
  const auto direct = run_optscale("predictor predict --model " + path("model.json") + " --problem 'x' --json");
  EXPECT_EQ(from_env, nlohmann::json::parse(direct.out));
  EXPECT_NE(from_env, nlohmann::json::parse(r.out));
}

TEST_F(PredictorCli, PriorsFileEvaluation) {
  const auto r = run_optscale("predictor eval --priors " + fixture("priors_list.json") + " --priors-problems " +
                              fixture("problems.json") + " --labels " + fixture("mu_sigma.json") +
                              " --problems " + fixture("problems.json") + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto e = nlohmann::json::parse(r.out);
  EXPECT_NEAR(e["mu"]["mae"].get<double>(), (0.38 + 0.45 + 0.15) / 3.0, 1e-12);
  EXPECT_EQ(e["baseline"]["source"], "mean of these labels");
}

TEST_F(PredictorCli, PriorsWithoutTheirProblemsAreRefusedOnACountMismatchAndWarnedByPosition) {
  // Two priors for three labelled problems, by position: refused, with the fix.
  { std::ofstream(dir_ / "two.json") << "[[0.6, 0.12], [0.45, 0.02]]"; }
  auto r = run_optscale("predictor eval --priors " + path("two.json") + " --labels " + fixture("mu_sigma.json") +
                        " --problems " + fixture("problems.json"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("2 priors in the list for 3 labelled problems"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--priors-problems"), std::string::npos) << r.err;
  // Three for three: figures, with a warning that the order is unchecked.
  r = run_optscale("predictor eval --priors " + fixture("priors_list.json") + " --labels " + fixture("mu_sigma.json") +
                   " --problems " + fixture("problems.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("3 priors matched to the labelled problems by position"), std::string::npos) << r.err;
  // Joined by text: the problems in another order and one more in the priors
  // give the same figures as the matching order, and say how many matched.
  {
    std::ofstream(dir_ / "shuffled_priors.json") << "[[0.7, 0.1], [0.5, 0.5], [0.6, 0.12], [0.45, -0.02]]";
    std::ofstream(dir_ / "shuffled_problems.json")
        << R"(["Compute $2^{10}$.", "An extra problem", {"problem": "What is $1+1$?"},
              {"question": "Tom has 3 apples and buys 2 more. How many apples does he have?"}])";
  }
  r = run_optscale("predictor eval --priors " + path("shuffled_priors.json") + " --priors-problems " +
                   path("shuffled_problems.json") + " --labels " + fixture("mu_sigma.json") + " --problems " +
                   fixture("problems.json") + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("matched 3 of 3 labelled problems (4 priors in the file)"), std::string::npos) << r.err;
  EXPECT_NEAR(nlohmann::json::parse(r.out)["mu"]["mae"].get<double>(), (0.38 + 0.45 + 0.15) / 3.0, 1e-12);
  // A labelled problem without a prior: refused with the count.
  {
    std::ofstream(dir_ / "short_priors.json") << "[[0.7, 0.1], [0.6, 0.12]]";
    std::ofstream(dir_ / "short_problems.json") << R"(["Compute $2^{10}$.", "What is $1+1$?"])";
  }
  r = run_optscale("predictor eval --priors " + path("short_priors.json") + " --priors-problems " +
                   path("short_problems.json") + " --labels " + fixture("mu_sigma.json") + " --problems " +
                   fixture("problems.json"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("matched 2 of 3 labelled problems; no prior for the problem beginning 'Tom has 3"),
            std::string::npos)
      << r.err;
}

TEST_F(PredictorCli, TrainsFromAPoolWithMomentOrMleLabels) {
  {
    std::ofstream pool(dir_ / "pool.jsonl");
    for (const auto& l : optscale::testing::synthetic_labels(60)) {
      nlohmann::json samples = nlohmann::json::array();
      for (int k = 0; k < 8; ++k) {
        const double score = std::clamp(l.mu + l.sigma * (k - 3.5) / 2.3, 0.0, 1.0);
        samples.push_back({{"score", score}, {"tokens", 100 + k}});
      }
      pool << nlohmann::json{{"id", l.id}, {"problem", l.problem}, {"samples", samples}}.dump() << "\n";
    }
    pool << R"({"id": "sim-0", "problem": "Simulated problem 0", "synthetic": true, "samples": [{"score": 0.5, "tokens": 3}]})"
         << "\n";
  }
  for (const char* method : {"moments", "mle"}) {
    const auto r = run_optscale("predictor train --pool " + path("pool.jsonl") + " --label " + method +
                                " --hash-bits 14 --lambdas 0.1,1 --out " + path("pool_model.json") + " --json");
    ASSERT_EQ(r.exit_code, 0) << method << ": " << r.err;
    EXPECT_NE(r.err.find("1 synthetic pool problem(s) skipped"), std::string::npos) << r.err;
    const auto summary = nlohmann::json::parse(r.out);
    EXPECT_EQ(summary["problems"], 60);
    EXPECT_EQ(summary["training"]["label_method"], method);
    EXPECT_EQ(summary["training"]["options"]["mu_transform"],
              std::string(method) == "mle" ? "identity" : "log-gap:0.02");
    const auto p = run_optscale("predictor predict --model " + path("pool_model.json") + " --problems " +
                                path("problems.jsonl") + " --json");
    ASSERT_EQ(p.exit_code, 0) << p.err;
  }
}

TEST_F(PredictorCli, BadInvocationsFailWithAMessage) {
  auto expect_failure = [](const std::string& args, const std::string& fragment, int code = 1) {
    const auto r = run_optscale(args);
    EXPECT_EQ(r.exit_code, code) << args << "\n" << r.err;
    EXPECT_NE(r.err.find(fragment), std::string::npos) << args << "\n" << r.err;
  };
  expect_failure("predictor train --labels " + path("labels.jsonl"), "--out", 2);
  expect_failure("predictor train --out " + path("m.json"), "give exactly one of --labels and --pool");
  expect_failure("predictor train --labels " + path("labels.jsonl") + " --pool x.jsonl --out " + path("m.json"),
                 "give exactly one of --labels and --pool");
  expect_failure("predictor train --labels " + fixture("malformed.jsonl") + " --out " + path("m.json"),
                 "malformed.jsonl:2");
  expect_failure("predictor train --labels " + path("labels.jsonl") + " --lambdas 1,abc --out " + path("m.json"),
                 "--lambdas");
  expect_failure("predictor train --labels " + path("labels.jsonl") + " --features words --out " + path("m.json"),
                 "--features", 2);
  expect_failure("predictor predict --model " + path("missing.json") + " --problem x", "missing.json");
  expect_failure("predictor predict --problem x --problems " + path("problems.jsonl"),
                 "exactly one of --problem and --problems");
  expect_failure("predictor eval --model " + fixture("mu_sigma.json") + " --labels " + path("labels.jsonl"),
                 "not an optscale predictor model");
  expect_failure("predictor", "subcommand", 2);
}

}  // namespace
