// The controller against a real in-process mock server, with a small
// test-local strategy that checks the policy contract as it goes (it is fed
// exactly the samples it asked for, in draw order): results in problem order
// equal to the pool, resume after an interruption, faults, budgets, failures.
#include "optscale/engine/controller.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <optional>
#include <sstream>
#include <atomic>

#include "../backend/mock_fixture.hpp"
#include "optscale/answers/answers.hpp"
#include "optscale/policy/run.hpp"
#include "optscale/policy/spec.hpp"
#include "optscale/util/error.hpp"
#include "test_support.hpp"

namespace optscale::engine {
namespace {

using nlohmann::json;
using testing::RunningMock;

// Draws `rounds` batches of `batch` samples, then selects the best score.
class RoundsStrategy final : public policy::Strategy {
 public:
  RoundsStrategy(int batch, int rounds) : batch_(batch), rounds_(rounds) {}
  std::unique_ptr<policy::ProblemPolicy> start(const policy::ProblemInfo&) const override {
    return std::make_unique<Policy>(batch_, rounds_);
  }
  std::string spec() const override { return "rounds"; }
  int budget() const override { return batch_ * rounds_; }

 private:
  class Policy final : public policy::ProblemPolicy {
   public:
    Policy(int batch, int rounds) : batch_(batch), rounds_(rounds) {}
    policy::Step next(std::span<const policy::Observation> observed) override {
      EXPECT_EQ(observed.size(), static_cast<std::size_t>(asked_)) << "fed other than what was asked";
      if (asked_ >= batch_ * rounds_) return policy::Step::stop("budget");
      asked_ += batch_;
      return policy::Step::more(batch_);
    }
    int select(std::span<const policy::Observation> observed) const override {
      int best = -1;
      for (std::size_t i = 0; i < observed.size(); ++i)
        if (best < 0 || observed[i].score > observed[static_cast<std::size_t>(best)].score) best = static_cast<int>(i);
      return best;
    }

   private:
    int batch_, rounds_, asked_ = 0;
  };
  int batch_, rounds_;
};

std::vector<Problem> problems_of(const pool::Pool& pool) {
  std::vector<Problem> problems;
  for (const auto& p : pool.problems) problems.push_back(Problem{p.id, p.problem, p.gold, p.prior, std::nullopt, {}});
  return problems;
}

pool::Pool bigger_pool(int problems) {
  pool::Pool pool;
  for (int p = 0; p < problems; ++p) {
    auto base = testing::small_pool().problems[static_cast<std::size_t>(p % 3)];
    base.id = std::string("p") += std::to_string(p);
    base.problem = (std::string("Problem ") += std::to_string(p)) += "? " + base.problem;
    base.gold = std::to_string(p % 3 + 1);
    base.prior = std::array<double, 2>{0.5 + 0.03 * (p % 7), 0.1 + 0.01 * (p % 5)};
    for (auto& s : base.samples) s.score = std::fmod(s.score + 0.137 * p, 1.0);
    pool.problems.push_back(base);
  }
  return pool;
}

// The test's seam for interrupting a run at a deterministic point: a scorer
// that, after `allowed` scoring requests, trips the run's cancellation token
// and refuses every later request as cancelled (as a cancelled request ends).
class InterruptingScorer final : public backend::Scorer {
 public:
  InterruptingScorer(std::unique_ptr<backend::Scorer> inner, int allowed, std::atomic<bool>& cancel)
      : inner_(std::move(inner)), allowed_(allowed), cancel_(cancel) {}
  int batch_size() const override { return inner_->batch_size(); }
  std::vector<backend::ScoredSample> score(std::string_view problem, std::span<const std::string> responses,
                                           const backend::RequestContext& context) override {
    if (calls_.fetch_add(1) >= allowed_) {
      cancel_.store(true);
      throw backend::RequestCancelled();
    }
    return inner_->score(problem, responses, context);
  }
  std::string request_body(std::string_view problem, std::span<const std::string> responses) const override {
    return inner_->request_body(problem, responses);
  }

 private:
  std::unique_ptr<backend::Scorer> inner_;
  int allowed_;
  std::atomic<bool>& cancel_;
  std::atomic<int> calls_{0};
};

struct Harness {
  explicit Harness(mock::MockServerOptions server_options = {}, int problems = 12)
      : mock({}, server_options, bigger_pool(problems)), dir(optscale::testing::make_temp_dir("optscale-ctl")) {
    generator_config.endpoints = {mock.v1()};
    generator_config.model = "m";
    generator_config.retry.base_delay_s = 0.001;
    generator_config.retry.max_delay_s = 0.005;
    generator_config.retry.max_attempts = 40;
    scorer_config.endpoints = {mock.root()};
    scorer_config.model = "prm";
    scorer_config.retry = generator_config.retry;
  }
  ~Harness() { std::filesystem::remove_all(dir); }

  // interrupt_after >= 0: the run is interrupted once that many scoring
  // requests have been answered (InterruptingScorer).
  std::vector<json> run(const policy::Strategy& strategy, RunOptions options = {}, RunSummary* summary = nullptr,
                        int interrupt_after = -1) {
    backend::Generator generator(generator_config);
    std::unique_ptr<backend::Scorer> scorer = backend::make_scorer(scorer_config);
    std::atomic<bool> cancel{false};
    if (interrupt_after >= 0) {
      scorer = std::make_unique<InterruptingScorer>(std::move(scorer), interrupt_after, cancel);
      options.cancel = &cancel;
    }
    store::RunStore store(dir / "run.db");
    auto problems = problems_of(mock.pool);
    if (same_prior)
      for (Problem& p : problems) p.prior = same_prior;
    std::vector<std::string> ids;
    for (const auto& p : problems) ids.push_back(p.id);
    store.begin_run({{"strategy", strategy.spec()}}, ids);
    Controller controller(strategy, generator, *scorer, store, options);
    std::ostringstream out;
    RunSummary s = controller.run(problems, out, nullptr);
    if (summary) *summary = s;
    std::vector<json> lines;
    std::istringstream in(out.str());
    for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
    return lines;
  }

  RunningMock mock;
  std::filesystem::path dir;
  std::optional<std::array<double, 2>> same_prior;  // set: every problem gets this prior
  backend::GeneratorConfig generator_config;
  backend::ScorerConfig scorer_config;
};

// What the strategy must select when fed the pool in order.
void expect_pool_results(const pool::Pool& pool, const std::vector<json>& results, int used) {
  ASSERT_EQ(results.size(), pool.problems.size());
  for (std::size_t p = 0; p < pool.problems.size(); ++p) {
    const auto& problem = pool.problems[p];
    const json& r = results[p];
    EXPECT_EQ(r["id"], problem.id);
    EXPECT_EQ(r["samples_used"], used);
    long long tokens = 0;
    int best = 0;
    for (int k = 0; k < used; ++k) {
      tokens += problem.samples[static_cast<std::size_t>(k)].tokens;
      EXPECT_EQ(r["scores"][static_cast<std::size_t>(k)].get<double>(), problem.samples[static_cast<std::size_t>(k)].score);
      if (problem.samples[static_cast<std::size_t>(k)].score > problem.samples[static_cast<std::size_t>(best)].score) best = k;
    }
    EXPECT_EQ(r["tokens"], tokens);
    EXPECT_EQ(r["selected"], best);
    EXPECT_EQ(r["text"], *problem.samples[static_cast<std::size_t>(best)].text);
    EXPECT_EQ(r["stop_reason"], "budget");
    ASSERT_TRUE(r.contains("correct"));
  }
}

TEST(Controller, ResultsFollowThePoolInProblemOrder) {
  Harness h;
  RoundsStrategy strategy(3, 2);
  RunOptions options;
  options.max_in_flight = 4;
  RunSummary summary;
  auto results = h.run(strategy, options, &summary);
  expect_pool_results(h.mock.pool, results, 6);
  EXPECT_EQ(summary.drawn, 12 * 6);
  EXPECT_EQ(summary.scored, 12 * 6);
  EXPECT_EQ(summary.stop_reasons.at("budget"), 12u);
  EXPECT_EQ(summary.graded, 12u);
}

TEST(Controller, ASecondRunOverAFinishedStoreDrawsNothing) {
  Harness h;
  RoundsStrategy strategy(2, 2);
  auto first = h.run(strategy);
  RunSummary summary;
  auto second = h.run(strategy, {}, &summary);
  EXPECT_EQ(first, second);
  EXPECT_EQ(summary.drawn, 0);
  EXPECT_EQ(summary.attempts, 0);
  EXPECT_EQ(summary.resumed, 12u);
}

TEST(Controller, AnInterruptedRunResumesToTheSameResultsWithoutRedrawing) {
  Harness h({}, 12);
  RoundsStrategy strategy(2, 3);
  RunOptions options;
  options.max_in_flight = 2;
  EXPECT_THROW(h.run(strategy, options, nullptr, /*interrupt_after=*/10), Error);
  long long stored;
  { stored = store::RunStore(h.dir / "run.db").count("samples"); }
  EXPECT_GT(stored, 0);
  EXPECT_LT(stored, 12 * 6);
  RunSummary summary;
  auto results = h.run(strategy, options, &summary);
  expect_pool_results(h.mock.pool, results, 6);
  EXPECT_EQ(summary.drawn + stored, 12 * 6);  // nothing drawn twice
  EXPECT_EQ(store::RunStore(h.dir / "run.db").count("samples"), 12 * 6);
}

TEST(Controller, FaultsLoseNothingAndDuplicateNothing) {
  mock::MockServerOptions faulty;
  faulty.faults.seed = 9;
  faulty.faults.error_rate = 0.15;
  faulty.faults.malformed_rate = 0.1;
  faulty.faults.drop_rate = 0.1;
  faulty.faults.burst_rate = 0.02;
  faulty.faults.burst_length = 3;
  faulty.faults.retry_after_s = 0.01;
  Harness h(faulty);
  RoundsStrategy strategy(2, 2);
  RunSummary summary;
  auto results = h.run(strategy, {}, &summary);
  expect_pool_results(h.mock.pool, results, 4);
  EXPECT_GT(summary.failed_attempts, 0);
  store::RunStore store(h.dir / "run.db");
  EXPECT_EQ(store.count("samples"), 12 * 4);
  EXPECT_EQ(store.count("scores"), 12 * 4);
  EXPECT_EQ(store.count("requests"), summary.attempts);
}

TEST(Controller, TheTokenBudgetStopsDrawing) {
  Harness h;
  RoundsStrategy strategy(2, 3);
  RunOptions options;
  options.max_in_flight = 1;
  options.token_budget = 1;
  RunSummary summary;
  auto results = h.run(strategy, options, &summary);
  ASSERT_EQ(results.size(), 12u);
  EXPECT_EQ(results.back()["stop_reason"], "token-budget");
  EXPECT_EQ(results.back()["samples_used"], 0);
  EXPECT_TRUE(results.back()["answer"].is_null());
  EXPECT_LT(summary.drawn, 12 * 6);
}

TEST(Controller, ABackendThatKeepsFailingStopsTheRunNamingIt) {
  mock::MockServerOptions broken;
  broken.faults.error_rate = 1.0;
  Harness h(broken, 3);
  h.generator_config.retry.max_attempts = 2;
  RoundsStrategy strategy(1, 1);
  try {
    h.run(strategy);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    std::string message = e.what();
    EXPECT_NE(message.find(h.mock.v1()), std::string::npos) << message;
    EXPECT_NE(message.find("--resume"), std::string::npos) << message;
  }
  EXPECT_GE(store::RunStore(h.dir / "run.db").count("requests"), 2);
}

// What `spec` does over each problem's samples in pool order, with the
// policy layer's own offline driver (dsc plans with probes from the lists).
// Classes are numbered per prefix, as a live run that has drawn only that
// prefix numbers them (not once over the whole pool: a later sample can merge
// two earlier classes, and a prefix must not see that merge).
std::vector<policy::RunResult> offline(const pool::Pool& pool, const policy::Strategy& strategy) {
  policy::DirectFitProvider fits;
  std::vector<policy::ProblemInfo> infos;
  std::vector<answers::AnswerTable> tables(pool.problems.size());
  std::vector<policy::NumberedStream> streams;
  for (std::size_t p = 0; p < pool.problems.size(); ++p) {
    const auto& problem = pool.problems[p];
    infos.push_back(policy::ProblemInfo{problem.id, problem.problem, problem.prior, std::nullopt, &fits, {}});
    std::vector<policy::Observation> list;
    std::vector<int> answer_ids;
    for (const auto& s : problem.samples) {
      answer_ids.push_back(tables[p].intern(answers::extract_answer(*s.text)));
      list.push_back(policy::Observation{s.score, s.tokens, -1, s.text->empty()});
    }
    streams.push_back(policy::NumberedStream::number(std::move(list), answer_ids, tables[p]));
  }
  return policy::run_strategy_on_streams(strategy, infos, streams);
}

TEST(Controller, EveryStrategyDoesLiveWhatItDoesOffline) {
  for (const std::string spec : {"bon:n=8", "sc:n=8", "wsc:n=8", "esc:n=8,window=3", "asc:n=8", "dsc:n=8,window=3",
                                 "optscale0:n=8,peek=3,target=0.9", "optscalet:n=8,peek=3,target=0.9",
                                 "optscale-seq:n=8,peek=3,target=0.97,batch=2"}) {
    SCOPED_TRACE(spec);
    Harness h;
    auto strategies = policy::make_strategies(spec);
    RunOptions options;
    options.max_in_flight = 6;
    auto results = h.run(*strategies.front(), options);
    auto expected = offline(h.mock.pool, *strategies.front());
    ASSERT_EQ(results.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      SCOPED_TRACE(h.mock.pool.problems[i].id);
      EXPECT_EQ(results[i]["samples_used"], expected[i].consumed);
      EXPECT_EQ(results[i]["selected"], expected[i].selected);
      EXPECT_EQ(results[i]["tokens"], expected[i].tokens);
      EXPECT_EQ(results[i]["stop_reason"], expected[i].reason);
    }
  }
}

TEST(Controller, ACrossProblemStrategyResumesWithItsProbesFromTheStore) {
  Harness h({}, 12);
  auto strategies = policy::make_strategies("dsc:n=8,window=3");
  RunOptions options;
  options.max_in_flight = 2;
  // Interrupted while probing (dsc probes before any problem runs).
  EXPECT_THROW(h.run(*strategies.front(), options, nullptr, /*interrupt_after=*/8), Error);
  EXPECT_GT(store::RunStore(h.dir / "run.db").count("samples"), 0);
  RunSummary summary;
  auto results = h.run(*strategies.front(), options, &summary);
  auto expected = offline(h.mock.pool, *strategies.front());
  long long used = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(results[i]["samples_used"], expected[i].consumed);
    EXPECT_EQ(results[i]["selected"], expected[i].selected);
    used += expected[i].consumed;
  }
  EXPECT_EQ(store::RunStore(h.dir / "run.db").count("samples"), used);  // probes drawn once
}

// The plan's warnings reach the live run's notices, as eval/tune print them.
TEST(Controller, PlanWarningsAreNoticedLikeOfflineOnes) {
  Harness h({}, 6);
  h.same_prior = std::array<double, 2>{0.7, 0.1};
  auto strategies = policy::make_strategies("dsc:n=8,window=3,difficulty=prior");
  std::vector<std::string> notices;
  std::mutex mutex;
  RunOptions options;
  options.notice = [&](const std::string& line) {
    std::lock_guard lock(mutex);
    notices.push_back(line);
  };
  h.run(*strategies.front(), options);
  const std::string expected = strategies.front()->spec() +
                               ": all 6 problems tie on difficulty (prior mu), so the ranking is the input order "
                               "and its easy prefix means nothing";
  EXPECT_EQ(std::count(notices.begin(), notices.end(), expected), 1) << ::testing::PrintToString(notices);
  // Distinct priors: no warning.
  notices.clear();
  Harness distinct({}, 6);
  distinct.run(*strategies.front(), options);
  EXPECT_EQ(std::count_if(notices.begin(), notices.end(),
                          [](const std::string& n) { return n.find("tie on difficulty") != std::string::npos; }),
            0);
}

}  // namespace
}  // namespace optscale::engine
