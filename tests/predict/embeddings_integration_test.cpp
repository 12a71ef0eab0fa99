// The embeddings-backed predictor against a deterministic embeddings server
// started in this process on 127.0.0.1: the client directly, then the real
// optscale binary training, predicting and evaluating through it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "embedding_test_server.hpp"
#include "optscale/predict/embedding_client.hpp"
#include "optscale/predict/embedding_features.hpp"
#include "optscale/predict/trainer.hpp"
#include "optscale/util/error.hpp"
#include "synthetic_labels.hpp"
#include "test_support.hpp"

namespace optscale::predict {
namespace {

using optscale::testing::error_message;
using optscale::testing::EmbeddingTestServer;

EmbeddingEndpoint endpoint(std::string url, std::string model, int batch = 32, double timeout = 120.0) {
  EmbeddingEndpoint e;
  e.base_url = std::move(url);
  e.model = std::move(model);
  e.batch_size = batch;
  e.timeout_s = timeout;
  return e;
}

TEST(EmbeddingClient, BatchesInOrderAndSendsTheKey) {
  EmbeddingTestServer server(16);
  EmbeddingEndpoint keyed = endpoint(server.base_url(), "test-embed", 4, 10.0);
  keyed.api_key = "k123";
  const std::vector<std::string> texts{"a", "bb", "ccc", "dddd", "eeeee", "ffffff", "g", "h", "i", "j"};
  const auto vectors = EmbeddingClient(keyed).embed(texts);
  ASSERT_EQ(vectors.size(), texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(vectors[i], EmbeddingTestServer::vector_for(texts[i], 16)) << i;
  }
  EXPECT_EQ(server.batch_sizes(), (std::vector<std::size_t>{4, 4, 2}));
  EXPECT_EQ(server.last_authorization(), "Bearer k123");
}

TEST(EmbeddingClient, UrlAcceptsBaseWithOrWithoutV1) {
  EXPECT_EQ(endpoint("http://h:1", "").url(), "http://h:1/v1/embeddings");
  EXPECT_EQ(endpoint("http://h:1/v1/", "").url(), "http://h:1/v1/embeddings");
  EXPECT_THROW(EmbeddingClient(endpoint("h:1", "")), Error);
  EXPECT_THROW(EmbeddingClient(endpoint("", "")), Error);
  EXPECT_THROW(EmbeddingClient(endpoint("http://h:1", "", 0)), Error);
}

TEST(EmbeddingClient, ReorderedAnswersAreMatchedByIndex) {
  EmbeddingTestServer server(8);
  const std::vector<std::string> texts{"one", "two", "three"};
  const auto vectors = EmbeddingClient(endpoint(server.base_url(), "reversed")).embed(texts);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(vectors[i], EmbeddingTestServer::vector_for(texts[i], 8));
  }
}

TEST(EmbeddingClient, ServerFaultsGiveErrorsNamingTheUrl) {
  EmbeddingTestServer server(8);
  const std::vector<std::string> texts{"one", "two", "three"};
  const std::string url = server.base_url() + "/v1/embeddings";
  auto fault = [&](const std::string& model) {
    return error_message([&] { EmbeddingClient(endpoint(server.base_url(), model)).embed(texts); });
  };
  for (const char* model : {"fail-500", "not-json", "wrong-count", "mixed-dims", "no-data"}) {
    const std::string message = fault(model);
    EXPECT_NE(message.find(url), std::string::npos) << model << ": " << message;
  }
  EXPECT_NE(fault("fail-500").find("HTTP 500"), std::string::npos);
  EXPECT_NE(fault("fail-500").find("model exploded"), std::string::npos);
  EXPECT_NE(fault("wrong-count").find("asked for 3 embeddings, got 2"), std::string::npos);
  EXPECT_NE(fault("mixed-dims").find("dimension 7"), std::string::npos);
  const EmbeddingEndpoint quick = endpoint(server.base_url(), "slow", 32, 0.3);
  EXPECT_NE(error_message([&] { EmbeddingClient(quick).embed(texts); }).find(url), std::string::npos);
}

TEST(EmbeddingModel, TrainsOnServedVectorsAndRoundTrips) {
  EmbeddingTestServer server(32);
  EmbeddingFeatureConfig config;
  config.endpoint = endpoint(server.base_url(), "test-embed");
  TrainOptions options;
  options.lambdas = {0.01, 0.1};
  TrainReport report;
  const auto labels = optscale::testing::synthetic_labels(100);
  const PredictorModel model = train_predictor(std::make_unique<EmbeddingFeaturizer>(config), labels,
                                               options, {}, &report);
  EXPECT_GT(report.final_model.mu.spearman, 0.5);
  EXPECT_EQ(model.features->kind(), "embeddings");
  EXPECT_EQ(model.features->dimension(), 32u + kStructuralFeatureCount);
  const auto j = model_to_json(model);
  EXPECT_EQ(j["features"]["endpoint"]["model"], "test-embed");
  EXPECT_FALSE(j.dump().find("api_key") != std::string::npos);
  const PredictorModel back = model_from_json(j);
  const std::vector<std::string> texts{labels[3].problem, "something new"};
  const auto a = model.predict_texts(texts), b = back.predict_texts(texts);
  EXPECT_EQ(a[0].mu, b[0].mu);
  EXPECT_EQ(a[1].sigma, b[1].sigma);
  // A server answering in another dimension is refused.
  EmbeddingTestServer other(16);
  const PredictorModel moved = model_from_json(j, {other.base_url(), ""});
  EXPECT_NE(error_message([&] { moved.predict_texts(texts); }).find("trained on 32"), std::string::npos);
}

class EmbeddingsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = optscale::testing::make_temp_dir("embeddings-cli");
    std::ofstream out(dir_ / "labels.jsonl");
    for (const auto& l : optscale::testing::synthetic_labels(80)) {
      out << nlohmann::json{{"id", l.id}, {"problem", l.problem}, {"mu", l.mu}, {"sigma", l.sigma}}.dump()
          << "\n";
    }
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string path(const std::string& name) const { return testing::shell_quoted(dir_ / name); }
  std::filesystem::path dir_;
};

TEST_F(EmbeddingsCli, TrainPredictEvalThroughTheServer) {
  EmbeddingTestServer server(32);
  const auto trained = optscale::testing::run_optscale(
      "predictor train --labels " + path("labels.jsonl") + " --features embeddings --embed-url " +
      server.base_url() + " --embed-model test-embed --embed-batch 16 --lambdas 0.01,0.1 --out " +
      path("model.json") + " --json");
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  EXPECT_EQ(server.batch_sizes().front(), 16u);
  const auto summary = nlohmann::json::parse(trained.out);
  EXPECT_EQ(summary["problems"], 80);

  const auto predicted = optscale::testing::run_optscale(
      "predictor predict --model " + path("model.json") +
      " --problem 'This is a hard olympiad challenge: a prime problem.' --json");
  ASSERT_EQ(predicted.exit_code, 0) << predicted.err;
  const auto p = nlohmann::json::parse(predicted.out);
  EXPECT_GT(p["sigma"].get<double>(), 0.0);

  const auto evaluated = optscale::testing::run_optscale("predictor eval --model " + path("model.json") +
                                                         " --labels " + path("labels.jsonl") + " --json");
  ASSERT_EQ(evaluated.exit_code, 0) << evaluated.err;
  EXPECT_EQ(nlohmann::json::parse(evaluated.out)["n"], 80);

  // The recorded URL can be overridden; an unreachable one is named in the error.
  const auto unreachable = optscale::testing::run_optscale(
      "predictor predict --model " + path("model.json") +
      " --embed-url http://127.0.0.1:9 --problem 'x' --json");
  EXPECT_EQ(unreachable.exit_code, 1);
  EXPECT_NE(unreachable.err.find("http://127.0.0.1:9/v1/embeddings"), std::string::npos) << unreachable.err;
}

TEST_F(EmbeddingsCli, ServerErrorsStopTrainingWithAClearMessage) {
  EmbeddingTestServer server(8);
  const auto r = optscale::testing::run_optscale(
      "predictor train --labels " + path("labels.jsonl") + " --features embeddings --embed-url " +
      server.base_url() + " --embed-model fail-500 --out " + path("model.json"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("optscale: error: HTTP 500 from POST " + server.base_url() + "/v1/embeddings"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "model.json"));
  const auto missing = optscale::testing::run_optscale("predictor train --labels " + path("labels.jsonl") +
                                                       " --features embeddings --out " + path("m.json"));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("--embed-url"), std::string::npos);
}

}  // namespace
}  // namespace optscale::predict
