// The embeddings predictor against the project's own `optscale mock-server`
// (the real binary on 127.0.0.1, a free port): `predictor train --features
// embeddings`, then `predictor eval` and `predictor predict`, all through the
// mock's /v1/embeddings (deterministic hashed word vectors).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "child_process.hpp"
#include "optscale/predict/model_predictor.hpp"
#include "synthetic_labels.hpp"
#include "test_support.hpp"

namespace optscale::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kModel = "mock-embed";
constexpr std::size_t kPredicted = 8;  // problems given to `predictor predict --problems`

class MockEmbeddings : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = make_temp_dir("mock-embeddings");
    // Labels whose law depends on words of the text (difficulty and topic),
    // which the mock's hashed word vectors carry.
    std::ofstream labels(dir_ / "labels.jsonl"), problems(dir_ / "problems.jsonl");
    const auto all = synthetic_labels(60);
    for (std::size_t i = 0; i < all.size(); ++i) {
      const auto& l = all[i];
      labels << json{{"id", l.id}, {"problem", l.problem}, {"mu", l.mu}, {"sigma", l.sigma}}.dump() << "\n";
      if (i < kPredicted) problems << json{{"id", l.id}, {"problem", l.problem}}.dump() << "\n";
    }
    server_ = std::make_unique<MockServerProcess>(
        dir_, test_data_dir() / "replay" / "three-problems.jsonl",
        std::vector<std::string>{"--model", kModel, "--embedding-dimensions", "48"});
  }
  void TearDown() override {
    server_.reset();
    if (!HasFailure()) fs::remove_all(dir_);
  }
  std::string path(const std::string& name) const { return shell_quoted(dir_ / name); }
  CommandResult train(const std::string& model_name, const std::string& out) {
    return run_optscale("predictor train --labels " + path("labels.jsonl") +
                        " --features embeddings --embed-url " + server_->root() + " --embed-model " + model_name +
                        " --embed-batch 16 --lambdas 0.01,0.1 --folds 3 --out " + path(out) + " --json");
  }
  fs::path dir_;
  std::unique_ptr<MockServerProcess> server_;
};

TEST_F(MockEmbeddings, TrainEvalAndPredictThroughTheMockServer) {
  const CommandResult trained = train(kModel, "model.json");
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  EXPECT_EQ(json::parse(trained.out)["problems"], 60);
  const json model = json::parse(read_text(dir_ / "model.json"));
  EXPECT_EQ(model["features"]["kind"], "embeddings");
  EXPECT_EQ(model["features"]["endpoint"]["url"], server_->root());
  EXPECT_EQ(model["features"]["endpoint"]["model"], kModel);
  EXPECT_EQ(model["features"]["embedding_dimension"], 48);

  // The mock's vectors carry the words the labels depend on: better than the
  // constant predictor, and the right ranking.
  const CommandResult evaluated =
      run_optscale("predictor eval --model " + path("model.json") + " --labels " + path("labels.jsonl") + " --json");
  ASSERT_EQ(evaluated.exit_code, 0) << evaluated.err;
  const json figures = json::parse(evaluated.out);
  EXPECT_EQ(figures["n"], 60);
  EXPECT_GT(figures["mu"]["spearman"].get<double>(), 0.8);
  EXPECT_LT(figures["mu"]["mae"].get<double>(), figures["baseline"]["mu"]["mae"].get<double>());
  EXPECT_LT(figures["sigma"]["mae"].get<double>(), figures["baseline"]["sigma"]["mae"].get<double>());

  // predict: one line per problem, the same numbers as the library computes
  // through the same server, and an easy problem predicted easier than a hard one.
  const CommandResult predicted =
      run_optscale("predictor predict --model " + path("model.json") + " --problems " + path("problems.jsonl") + " --json");
  ASSERT_EQ(predicted.exit_code, 0) << predicted.err;
  std::istringstream lines(predicted.out);
  std::vector<json> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(json::parse(line));
  ASSERT_EQ(rows.size(), kPredicted);
  const auto predictor = predict::ModelPredictor::load(dir_ / "model.json");
  const auto labels = synthetic_labels(60);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const predict::Prediction direct = predictor.predict({labels[i].problem, labels[i].id});
    EXPECT_EQ(rows[i]["id"], labels[i].id);
    EXPECT_NEAR(rows[i]["mu"].get<double>(), direct.mu, 1e-12) << i;
    EXPECT_NEAR(rows[i]["sigma"].get<double>(), direct.sigma, 1e-12) << i;
    EXPECT_GT(rows[i]["sigma"].get<double>(), 0.0);
    EXPECT_GT(rows[i]["mu_std"].get<double>(), 0.0);
  }
  const auto one = [&](const std::string& text) {
    const CommandResult r =
        run_optscale("predictor predict --model " + path("model.json") + " --problem '" + text + "' --json");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out)["mu"].get<double>();
  };
  EXPECT_GT(one("This is an easy warm-up: a prime problem. Compute the answer."),
            one("This is a hard olympiad challenge: a prime problem. Compute the answer."));
}

TEST_F(MockEmbeddings, AModelTheServerDoesNotServeIsAClearError) {
  const CommandResult r = train("another-model", "other.json");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(server_->root() + "/v1/embeddings"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("another-model"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "other.json"));
}

}  // namespace
}  // namespace optscale::testing
