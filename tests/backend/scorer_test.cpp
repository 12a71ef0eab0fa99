// The three scorer kinds against a real (in-process) mock server: scores
// equal the pool's exactly for /pooling and /classify, closely for the judge.
#include "optscale/backend/scorer.hpp"

#include <gtest/gtest.h>

#include "mock_fixture.hpp"

namespace optscale::backend {
namespace {

using testing::RunningMock;

ScorerConfig config_for(const std::string& url, ScorerKind kind) {
  ScorerConfig config;
  config.kind = kind;
  config.endpoints = {url};
  config.model = "prm";
  config.retry.base_delay_s = 0.001;
  return config;
}

std::vector<std::string> texts(const RunningMock& mock, int problem, std::vector<int> indices) {
  std::vector<std::string> out;
  for (int k : indices) out.push_back(*mock.pool.problems[problem].samples[k].text);
  return out;
}

TEST(PoolingScorer, ReturnsThePoolScoresExactlyWithStepRewards) {
  RunningMock mock;
  auto scorer = make_scorer(config_for(mock.root(), ScorerKind::pooling));
  auto responses = texts(mock, 1, {0, 3, 5, 7});
  auto scored = scorer->score(mock.pool.problems[1].problem, responses, {});
  ASSERT_EQ(scored.size(), 4u);
  for (int i : {0, 1, 3}) {
    const auto& s = mock.pool.problems[1].samples[std::vector<int>{0, 3, 5, 7}[i]];
    EXPECT_EQ(scored[i].score, s.score);
    EXPECT_EQ(scored[i].step_rewards, std::vector<double>(3, s.score));
  }
  // Sample 5's own step scores average exactly to its score? Then they are used.
  const auto& five = mock.pool.problems[1].samples[5];
  EXPECT_NEAR(scored[2].score, five.score, 1e-15);
}

TEST(PoolingScorer, AggregationAndTaskAreConfigurable) {
  RunningMock mock;
  auto config = config_for(mock.root(), ScorerKind::pooling);
  config.pooling_task = "token_classify";
  config.aggregation = StepAggregation::product;
  auto scorer = make_scorer(config);
  auto responses = texts(mock, 0, {1});
  EXPECT_EQ(nlohmann::json::parse(scorer->request_body("p", responses))["task"], "token_classify");
  double s = mock.pool.problems[0].samples[1].score;
  EXPECT_NEAR(scorer->score(mock.pool.problems[0].problem, responses, {})[0].score, s * s * s, 1e-15);
}

TEST(ClassifyScorer, ReturnsThePoolScoresExactly) {
  RunningMock mock;
  auto scorer = make_scorer(config_for(mock.root(), ScorerKind::classify));
  auto responses = texts(mock, 2, {4, 6});
  auto scored = scorer->score(mock.pool.problems[2].problem, responses, {});
  EXPECT_EQ(scored[0].score, mock.pool.problems[2].samples[4].score);
  EXPECT_EQ(scored[1].score, mock.pool.problems[2].samples[6].score);
}

TEST(JudgeScorer, ReturnsPYesFromLogprobs) {
  RunningMock mock;
  auto scorer = make_scorer(config_for(mock.v1(), ScorerKind::judge));
  EXPECT_EQ(scorer->batch_size(), 1);
  auto responses = texts(mock, 0, {2});
  auto body = nlohmann::json::parse(scorer->request_body(mock.pool.problems[0].problem, responses));
  EXPECT_EQ(body["logprobs"], true);
  EXPECT_EQ(body["max_tokens"], 1);
  auto scored = scorer->score(mock.pool.problems[0].problem, responses, {});
  EXPECT_NEAR(scored[0].score, mock.pool.problems[0].samples[2].score, 1e-12);
}

TEST(Scorer, RefusedWhenTheServerDoesNotKnowTheText) {
  RunningMock mock;
  auto scorer = make_scorer(config_for(mock.root(), ScorerKind::pooling));
  std::vector<std::string> unknown{"not a sample"};
  EXPECT_THROW(scorer->score(mock.pool.problems[0].problem, unknown, {}), BackendError);
}

TEST(Scorer, ConfigurationIsChecked) {
  EXPECT_THROW(parse_scorer_kind("reward"), Error);
  auto config = config_for("http://x", ScorerKind::pooling);
  config.model = "";
  EXPECT_THROW(make_scorer(config), Error);
}

}  // namespace
}  // namespace optscale::backend
