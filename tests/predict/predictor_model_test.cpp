#include "optscale/predict/predictor_model.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "optscale/predict/evaluation.hpp"
#include "optscale/predict/model_predictor.hpp"
#include "optscale/predict/text_features.hpp"
#include "optscale/predict/trainer.hpp"
#include "optscale/util/error.hpp"
#include "synthetic_labels.hpp"
#include "test_support.hpp"

namespace optscale::predict {
namespace {

PredictorModel train_small(TrainReport* report = nullptr, TrainOptions options = {}) {
  TextFeatureConfig config;
  config.hash_bits = 14;
  options.lambdas = {0.1, 0.3, 1.0};
  return train_predictor(std::make_unique<TextFeaturizer>(config), testing::synthetic_labels(120),
                         options, {{"labels", "synthetic"}}, report);
}

TEST(TrainPredictor, LearnsTheSyntheticLaw) {
  TrainReport report;
  const PredictorModel model = train_small(&report);
  // Difficulty words drive both targets: cross-validation sees it.
  EXPECT_GT(report.final_model.mu.spearman, 0.85);
  EXPECT_GT(report.final_model.sigma.spearman, 0.85);
  EXPECT_LT(report.final_model.mu.mae, 0.5 * report.baseline.mu.mae);
  EXPECT_EQ(report.penalties.size(), 3u);
  EXPECT_EQ(model.training["problems"], 120);
  EXPECT_EQ(model.training["labels"], "synthetic");
  EXPECT_TRUE(model.training["solver"]["converged"].get<bool>());
  EXPECT_NEAR(model.training_mu_mean, 0.97 - 0.06 - 0.015, 0.01);

  const auto easy = model.predict_texts(std::vector<std::string>{
      "This is an easy warm-up: a triangle problem number 999. Compute the answer.",
      "This is a hard olympiad challenge: a triangle problem number 999. Compute the answer."});
  EXPECT_GT(easy[0].mu, easy[1].mu + 0.05);
  EXPECT_LT(easy[0].sigma, easy[1].sigma);
  for (const auto& p : easy) {
    EXPECT_GT(p.sigma, 0.0);
    EXPECT_GT(p.mu_std, 0.0);
    EXPECT_GT(p.sigma_std, 0.0);
  }
}

TEST(TrainPredictor, IsDeterministic) {
  const auto a = model_to_json(train_small()), b = model_to_json(train_small());
  EXPECT_EQ(a.dump(), b.dump());
}

TEST(TrainPredictor, RejectsTooFewLabelsAndLabelsOutsideTheTransform) {
  auto labels = testing::synthetic_labels(8);
  EXPECT_THROW(train_predictor(std::make_unique<TextFeaturizer>(), labels, {}), Error);
  labels = testing::synthetic_labels(40);
  labels[5].mu = 1.5;  // above 1 + 0.02: outside log-gap
  try {
    train_predictor(std::make_unique<TextFeaturizer>(), labels, {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("label 5 ('p5') mu"), std::string::npos) << e.what();
  }
  TrainOptions identity;
  identity.mu_transform = TargetTransform{};
  identity.lambdas = {1.0};
  EXPECT_NO_THROW(train_predictor(std::make_unique<TextFeaturizer>(), labels, identity));
}

TEST(PredictorModel, SaveLoadPredictsIdentically) {
  const PredictorModel model = train_small();
  const auto dir = optscale::testing::make_temp_dir("model");
  save_model(model, dir / "m.json");
  const PredictorModel back = load_model(dir / "m.json");
  const auto labels = testing::synthetic_labels(30);
  std::vector<std::string> texts;
  for (const auto& l : labels) texts.push_back(l.problem + " (new wording)");
  const auto a = model.predict_texts(texts), b = back.predict_texts(texts);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].mu, b[i].mu);
    EXPECT_EQ(a[i].sigma, b[i].sigma);
    EXPECT_EQ(a[i].mu_std, b[i].mu_std);
  }
  EXPECT_EQ(model_to_json(back).dump(), model_to_json(model).dump());
  std::filesystem::remove_all(dir);
}

TEST(PredictorModel, SigmaNeverFallsBelowTheFloor) {
  PredictorModel model = train_small();
  model.sigma_head.intercept = -40.0;  // exp(-40) - 0.1 < 0 on the log:0.1 scale
  model.stacker.reset();
  const auto p = model.predict_texts(std::vector<std::string>{"anything"});
  EXPECT_EQ(p[0].sigma, model.sigma_floor);
}

// A model file's heads can be as large as it likes; exp() of them overflowed
// to sigma = inf (found by the predictor_model fuzz target). Values beyond
// what a prior can mean are clipped: every prediction is finite.
TEST(PredictorModel, AnOverflowingHeadGivesAFinitePrediction) {
  PredictorModel model = train_small();
  model.stacker.reset();
  model.sigma_head.intercept = 1e6;  // exp(1e6) on the log scale: inf before
  model.mu_head.intercept = 1e6;     // 1 + offset - exp(1e6) on the log-gap scale: -inf before
  const auto p = model.predict_texts(std::vector<std::string>{"anything"});
  EXPECT_TRUE(std::isfinite(p[0].sigma)) << p[0].sigma;
  EXPECT_GT(p[0].sigma, 1e300);
  EXPECT_TRUE(std::isfinite(p[0].mu)) << p[0].mu;
  EXPECT_LT(p[0].mu, -1e300);
  model.sigma_head.intercept = -1e6;  // the other end: the floor
  EXPECT_EQ(model.predict_texts(std::vector<std::string>{"anything"})[0].sigma, model.sigma_floor);
}

TEST(PredictorModel, RejectsWrongFormatsWithClearErrors) {
  const auto good = model_to_json(train_small());
  auto expect_error = [](nlohmann::json j, const std::string& fragment) {
    try {
      model_from_json(j);
      ADD_FAILURE() << "accepted; expected an error containing " << fragment;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  auto j = good;
  j["format"] = "something-else";
  expect_error(j, "not an optscale predictor model");
  j = good;
  j["format_version"] = 99;
  expect_error(j, "format_version 99 is not supported");
  j = good;
  j["features"]["kind"] = "bag-of-vibes";
  expect_error(j, "unknown kind 'bag-of-vibes'");
  j = good;
  j["weight_columns"] = j["weight_columns"].get<std::size_t>() - 1;
  expect_error(j, "weight_columns_uint32_base64");
  j = good;
  j["heads"]["mu"]["transform"] = "cube";
  expect_error(j, "cube");
  j = good;
  j["sigma_floor"] = 0.0;
  expect_error(j, "sigma_floor");

  const auto dir = optscale::testing::make_temp_dir("model");
  std::ofstream(dir / "broken.json") << "{\"format\": ";
  try {
    load_model(dir / "broken.json");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("broken.json: malformed JSON"), std::string::npos);
  }
  EXPECT_THROW(load_model(dir / "missing.json"), Error);
  std::filesystem::remove_all(dir);
}

TEST(ModelPredictor, FixedPriorStdForParityAndEvaluation) {
  const auto labels = testing::synthetic_labels(60);
  ModelPredictorOptions parity;
  parity.fixed_prior_std = kParityPriorStd;
  const ModelPredictor fixed(train_small(), "synthetic", parity);
  const ModelPredictor learned(train_small(), "synthetic");
  const ProblemRef ref{labels[0].problem};
  EXPECT_EQ(fixed.predict(ref).mu_std, 0.1);
  EXPECT_EQ(fixed.predict(ref).sigma_std, 0.1);
  EXPECT_NE(learned.predict(ref).mu_std, 0.1);
  EXPECT_EQ(fixed.predict(ref).mu, learned.predict(ref).mu);
  EXPECT_THROW(learned.predict(ProblemRef{""}), Error);
  EXPECT_EQ(learned.describe(), "text model synthetic");

  const auto e = evaluate_predictor(learned, labels,
                                    std::make_pair(learned.model().training_mu_mean,
                                                   learned.model().training_sigma_mean));
  EXPECT_EQ(e.n, 60u);
  EXPECT_LT(e.mu.mae, e.baseline_mu.mae);
  EXPECT_EQ(e.baseline_source, "training mean");
  const auto j = evaluation_to_json(e);
  for (const char* key : {"mu", "sigma"}) {
    EXPECT_TRUE(j[key].contains("mae") && j[key].contains("rmse") && j[key].contains("spearman"));
    EXPECT_TRUE(j["baseline"][key].contains("mae"));
  }
  EXPECT_EQ(j["n"], 60);
}

}  // namespace
}  // namespace optscale::predict
