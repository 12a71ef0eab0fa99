// The three scorer kinds against a real (in-process) mock server: scores
// equal the pool's exactly for /pooling and /classify, closely for the judge.
#include "optscale/backend/scorer.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include "mock_fixture.hpp"
#include "optscale/mock/mock_personality.hpp"

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

// The server refuses a whole batch for one input (as vLLM does): the batch
// is split until that input is alone, and only it fails.
TEST(Scorer, ARefusedInputFailsAloneAndTheRestOfItsBatchIsScored) {
  RunningMock mock;
  auto scorer = make_scorer(config_for(mock.root(), ScorerKind::pooling));
  std::vector<std::string> responses = texts(mock, 0, {0, 1, 2});
  responses.insert(responses.begin() + 1, "not a sample");
  auto scored = scorer->score(mock.pool.problems[0].problem, responses, {});
  ASSERT_EQ(scored.size(), 4u);
  EXPECT_NE(scored[1].failure.find("none of the samples"), std::string::npos) << scored[1].failure;
  for (int i : {0, 2, 3}) {
    EXPECT_TRUE(scored[i].failure.empty()) << scored[i].failure;
    EXPECT_EQ(scored[i].score, mock.pool.problems[0].samples[i == 0 ? 0 : i - 1].score);
  }
}

// A pool with one long sample (20 steps) among short ones.
testing::RunningMock long_sample_mock(mock::MockOptions service) {
  pool::Pool pool = testing::small_pool();
  std::string text;
  for (int step = 0; step < 20; ++step) text += "Step " + std::to_string(step) + " works the sum out further.\n\n";
  text += "So \\boxed{2}";
  pool.problems[0].samples[7].text = text;
  return testing::RunningMock(std::move(service), {}, std::move(pool));
}

TEST(Scorer, AnInputOverTheContextIsRefusedAloneWithoutABudget) {
  mock::MockOptions service;
  mock::apply_mock_personality("vllm", service);
  service.max_model_len = 150;
  auto mock = long_sample_mock(service);
  auto scorer = make_scorer(config_for(mock.root(), ScorerKind::pooling));
  auto scored = scorer->score(mock.pool.problems[0].problem, texts(mock, 0, {6, 7, 1}), {});
  EXPECT_TRUE(scored[0].failure.empty());
  EXPECT_NE(scored[1].failure.find("context length is only 150"), std::string::npos) << scored[1].failure;
  EXPECT_TRUE(scored[2].failure.empty());
  EXPECT_EQ(scored[2].score, mock.pool.problems[0].samples[1].score);
}

// With a budget, the long input keeps the problem and the leading steps that
// fit, counted by the server's /tokenize (vLLM's and llama.cpp's dialects).
TEST(Scorer, AnInputOverTheBudgetKeepsItsLeadingStepsThatFit) {
  for (const char* personality : {"vllm", "llama.cpp"}) {
    SCOPED_TRACE(personality);
    mock::MockOptions service;
    mock::apply_mock_personality(personality, service);
    service.max_model_len = 150;
    service.routes = mock::MockRoutes::any;  // llama.cpp has no /pooling; the mock lends it one here
    auto mock = long_sample_mock(service);
    auto config = config_for(mock.root(), ScorerKind::pooling);
    config.max_input_tokens = 150;
    auto scorer = make_scorer(config);
    const std::string problem = mock.pool.problems[0].problem;
    const std::string long_text = *mock.pool.problems[0].samples[7].text;
    auto scored = scorer->score(problem, std::vector<std::string>{long_text}, {});
    ASSERT_TRUE(scored[0].failure.empty()) << scored[0].failure;
    EXPECT_EQ(scored[0].steps_total, 21u);
    ASSERT_LT(scored[0].steps_sent, 21u);
    ASSERT_GT(scored[0].steps_sent, 0u);
    EXPECT_EQ(scored[0].step_rewards.size(), scored[0].steps_sent);
    EXPECT_EQ(scored[0].score, mock.pool.problems[0].samples[7].score);
    // The largest prefix that fits: one more step would not.
    auto tokens = [&](std::size_t steps) {
      return mock::mock_token_count(render_prm_input(problem, leading_steps(long_text, {}, steps), {}));
    };
    EXPECT_LE(tokens(scored[0].steps_sent), 150);
    EXPECT_GT(tokens(scored[0].steps_sent + 1), 150);
  }
}

TEST(Scorer, AnInputThatCannotFitEvenOneStepFails) {
  RunningMock mock;
  auto config = config_for(mock.root(), ScorerKind::pooling);
  config.max_input_tokens = 5;  // the mock has no /tokenize: the estimate counts
  auto scored = make_scorer(config)->score(mock.pool.problems[0].problem, texts(mock, 0, {0}), {});
  EXPECT_NE(scored[0].failure.find("--scorer-max-input-tokens 5"), std::string::npos) << scored[0].failure;
}

// SGLang's /v1/classify softmaxes a one-logit head into [1.0]: refused, not
// scored 1.0; its native /classify at the root gives the logit.
TEST(ClassifyScorer, AOneLogitHeadIsReadFromTheRawLogit) {
  mock::MockOptions service;
  mock::apply_mock_personality("sglang", service);
  RunningMock mock(service);
  auto softmaxed = make_scorer(config_for(mock.v1(), ScorerKind::classify));
  try {
    softmaxed->score(mock.pool.problems[2].problem, texts(mock, 2, {4, 6}), {});
    FAIL() << "expected a BackendError";
  } catch (const BackendError& e) {
    EXPECT_EQ(e.kind, FailureKind::unsupported);
    EXPECT_NE(std::string(e.what()).find("server root"), std::string::npos) << e.what();
  }
  auto raw = make_scorer(config_for(mock.root(), ScorerKind::classify));
  auto scored = raw->score(mock.pool.problems[2].problem, texts(mock, 2, {4, 6}), {});
  EXPECT_NEAR(scored[0].score, mock.pool.problems[2].samples[4].score, 1e-12);
  EXPECT_NEAR(scored[1].score, mock.pool.problems[2].samples[6].score, 1e-12);
  auto one = raw->score(mock.pool.problems[2].problem, texts(mock, 2, {3}), {});  // a bare object
  EXPECT_NEAR(one[0].score, mock.pool.problems[2].samples[3].score, 1e-12);
}

// vLLM's /classify over a one-logit head answers the logit's sigmoid as the
// one probability (num_classes 1): that is the score, not a refusal.
TEST(ClassifyScorer, AVllmOneLogitHeadIsReadAsItsSigmoid) {
  mock::MockOptions service;
  mock::apply_mock_personality("vllm", service);
  service.classify_sigmoid = true;
  RunningMock mock(service);
  auto scorer = make_scorer(config_for(mock.root(), ScorerKind::classify));  // vLLM: /classify at the root
  // The answer has vLLM's one-logit shape: one probability, one class.
  httplib::Client raw("127.0.0.1", mock.port);
  auto answer = raw.Post("/classify", scorer->request_body(mock.pool.problems[2].problem, texts(mock, 2, {4})),
                         "application/json");
  ASSERT_TRUE(answer);
  const auto row = nlohmann::json::parse(answer->body)["data"][0];
  EXPECT_EQ(row["num_classes"], 1);
  ASSERT_EQ(row["probs"].size(), 1u);
  EXPECT_NE(row["probs"][0], 1.0);
  auto scored = scorer->score(mock.pool.problems[2].problem, texts(mock, 2, {4, 6}), {});
  ASSERT_EQ(scored.size(), 2u);
  EXPECT_EQ(scored[0].failure, "");
  EXPECT_NEAR(scored[0].score, mock.pool.problems[2].samples[4].score, 1e-12);
  EXPECT_NEAR(scored[1].score, mock.pool.problems[2].samples[6].score, 1e-12);
}

TEST(ClassifyScorer, WarnsWhenEveryScoreOfABatchIsIdentical) {
  pool::Pool pool = testing::small_pool();
  for (auto& sample : pool.problems[1].samples) sample.score = 0.5;
  RunningMock mock({}, {}, pool);
  std::vector<std::string> notices;
  auto scorer = make_scorer(config_for(mock.root(), ScorerKind::classify),
                            [&](const std::string& line) { notices.push_back(line); });
  scorer->score(mock.pool.problems[1].problem, texts(mock, 1, {0, 1, 2}), {});
  scorer->score(mock.pool.problems[1].problem, texts(mock, 1, {3, 4}), {});
  ASSERT_EQ(notices.size(), 1u);  // once
  EXPECT_NE(notices[0].find("every score of a batch of 3 inputs"), std::string::npos) << notices[0];
}

TEST(JudgeScorer, AnUnreadableReplyFailsOrTakesTheChosenFallback) {
  mock::MockOptions service;
  service.judge_thinks = true;
  RunningMock mock(service);
  auto config = config_for(mock.v1(), ScorerKind::judge);
  auto scored = make_scorer(config)->score(mock.pool.problems[0].problem, texts(mock, 0, {2}), {});
  EXPECT_TRUE(scored[0].unreadable);
  EXPECT_NE(scored[0].failure.find("unreadable judge reply"), std::string::npos) << scored[0].failure;
  config.judge.unreadable_score = 0.25;
  scored = make_scorer(config)->score(mock.pool.problems[0].problem, texts(mock, 0, {2}), {});
  EXPECT_TRUE(scored[0].unreadable);
  EXPECT_TRUE(scored[0].failure.empty());
  EXPECT_EQ(scored[0].score, 0.25);
}

TEST(Scorer, ConfigurationIsChecked) {
  EXPECT_THROW(parse_scorer_kind("reward"), Error);
  auto config = config_for("http://x", ScorerKind::pooling);
  config.model = "";
  EXPECT_THROW(make_scorer(config), Error);
}

}  // namespace
}  // namespace optscale::backend
