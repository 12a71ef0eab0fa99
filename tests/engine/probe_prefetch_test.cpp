// The probes of cross-problem plans on their own (src/engine/probe_prefetch.hpp),
// against an in-process mock server: what a probe hands back and stores, a
// probe read back from the store without drawing, the look-ahead of an
// in-order prober finished before the plan is used, and the two ways a probe
// stops the run (an interrupt that cancels its last task, a sample that cannot
// be scored). The controller tests cover the probes inside whole runs.
#include "../../src/engine/probe_prefetch.hpp"

#include <gtest/gtest.h>

#include <atomic>

#include "../backend/mock_fixture.hpp"
#include "optscale/util/error.hpp"
#include "test_support.hpp"

namespace optscale::engine {
namespace {

using testing::RunningMock;

// The mock's scores, or each request refused as cancelled after tripping an
// interrupt (as a cancelled request ends), or every sample unscorable.
class TestScorer final : public backend::Scorer {
 public:
  enum class Mode { score, interrupt, fail };
  TestScorer(std::unique_ptr<backend::Scorer> inner, Mode mode, std::atomic<bool>& interrupt)
      : inner_(std::move(inner)), mode_(mode), interrupt_(interrupt) {}
  int batch_size() const override { return inner_->batch_size(); }
  std::vector<backend::ScoredSample> score(std::string_view problem, std::span<const std::string> responses,
                                           const backend::RequestContext& context) override {
    if (mode_ == Mode::interrupt) {
      interrupt_.store(true);
      throw backend::RequestCancelled();
    }
    if (mode_ == Mode::fail) {
      std::vector<backend::ScoredSample> out(responses.size());
      for (auto& s : out) s.failure = "input refused";
      return out;
    }
    return inner_->score(problem, responses, context);
  }
  std::string request_body(std::string_view problem, std::span<const std::string> responses) const override {
    return inner_->request_body(problem, responses);
  }

 private:
  std::unique_ptr<backend::Scorer> inner_;
  Mode mode_;
  std::atomic<bool>& interrupt_;
};

// A session reduced to what the probes need of it: stopping.
class TestHost final : public ProbeHost {
 public:
  bool interrupted() const override { return interrupt.load(); }
  void abort(const std::string& message) override {
    if (stop.empty()) stop = message;
    if (probes) probes->cancel();
  }
  bool aborted() const override { return !stop.empty(); }
  void throw_if_aborted() const override {
    if (aborted()) throw Error(stop);
  }
  std::atomic<bool> interrupt{false};
  std::string stop;
  ProbePrefetch* probes = nullptr;
};

pool::Pool pool_of(int problems) {
  pool::Pool pool;
  for (int p = 0; p < problems; ++p) {
    auto base = testing::small_pool().problems[static_cast<std::size_t>(p % 3)];
    base.id = "p" + std::to_string(p);
    base.problem = "Problem " + std::to_string(p) + "? " + base.problem;
    pool.problems.push_back(base);
  }
  return pool;
}

// The probes with everything they talk to: draw tasks on `lookahead` workers.
struct Rig {
  explicit Rig(int problems = 3, TestScorer::Mode mode = TestScorer::Mode::score, int lookahead = 2)
      : mock({}, {}, pool_of(problems)), dir(optscale::testing::make_temp_dir("optscale-probe")),
        workers(lookahead) {
    backend::GeneratorConfig g;
    g.endpoints = {mock.v1()};
    g.model = "m";
    g.retry.base_delay_s = 0.001;
    g.retry.max_attempts = 3;
    backend::ScorerConfig s;
    s.endpoints = {mock.root()};
    s.model = "prm";
    s.retry = g.retry;
    generator = std::make_unique<backend::Generator>(g);
    scorer = std::make_unique<TestScorer>(backend::make_scorer(s), mode, host.interrupt);
    for (const auto& p : mock.pool.problems) problems_.push_back(Problem{p.id, p.problem, p.gold, p.prior, std::nullopt, {}});
    std::vector<std::string> ids;
    for (const auto& p : problems_) ids.push_back(p.id);
    store = std::make_unique<store::RunStore>(dir / "run.db");
    store->begin_run({{"strategy", "test"}}, ids);
    tasks = std::make_unique<DrawTasks>(*generator, *scorer, 0, workers, events, slots);
    records = std::make_unique<RunRecords>(*store, summary, problems_, nullptr);
    probes = std::make_unique<ProbePrefetch>(problems_, *store, *tasks, events, *records, lookahead,
                                             answers::AnswerGrouping::equivalent, host);
    host.probes = probes.get();
  }
  ~Rig() {
    workers.shutdown();
    std::filesystem::remove_all(dir);
  }

  RunningMock mock;
  std::filesystem::path dir;
  std::vector<Problem> problems_;
  TestHost host;
  std::unique_ptr<backend::Generator> generator;
  std::unique_ptr<backend::Scorer> scorer;
  std::unique_ptr<store::RunStore> store;
  EventQueue<Event> events;
  WorkerPool workers;
  Slots slots{0};
  std::unique_ptr<DrawTasks> tasks;
  RunSummary summary;
  std::unique_ptr<RunRecords> records;
  std::unique_ptr<ProbePrefetch> probes;
};

TEST(ProbePrefetch, AProbeIsDrawnScoredStoredAndNumberedInDrawOrder) {
  Rig rig;
  const auto observations = rig.probes->probe(1, 4);
  ASSERT_EQ(observations.size(), 4u);
  const auto& samples = rig.mock.pool.problems[1].samples;
  // small_pool's answers: every third sample (k % 3 == 2) differs from the rest.
  const std::vector<int> classes{0, 0, 1, 0};
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_EQ(observations[k].score, samples[k].score) << k;
    EXPECT_EQ(observations[k].tokens, samples[k].tokens) << k;
    EXPECT_EQ(observations[k].answer_class, classes[k]) << k;
    EXPECT_FALSE(observations[k].empty);
  }
  const auto stored = rig.store->load_samples(1);
  ASSERT_EQ(stored.size(), 4u);
  for (const auto& s : stored) EXPECT_TRUE(s.score.has_value()) << s.draw;
  EXPECT_TRUE(rig.store->load_samples(0).empty());  // one probe alone: nothing drawn ahead
  EXPECT_EQ(rig.summary.drawn, 4);
  EXPECT_EQ(rig.summary.scored, 4);
  EXPECT_GE(rig.summary.attempts, 2);
  EXPECT_EQ(rig.records->tokens_spent(), samples[0].tokens + samples[1].tokens + samples[2].tokens + samples[3].tokens);
}

TEST(ProbePrefetch, AStoredProbeIsReadBackAndOnlyItsUnscoredSamplesScored) {
  Rig rig;
  const auto& samples = rig.mock.pool.problems[0].samples;
  // Stored by an earlier run: the pool's texts, with scores and token counts
  // of the store's own (so that what comes back shows where it came from).
  rig.store->begin();
  for (int draw = 0; draw < 3; ++draw)
    rig.store->record_sample(0, store::StoredSample{draw, *samples[static_cast<std::size_t>(draw)].text, 11 + draw,
                                                    "stop", {}, {}});
  rig.store->record_score(0, 0, 0.25, {});
  rig.store->record_score(0, 2, 0.75, {});  // draw 1 not scored yet
  rig.store->commit();
  const auto observations = rig.probes->probe(0, 3);
  ASSERT_EQ(observations.size(), 3u);
  EXPECT_EQ(observations[0].score, 0.25);
  EXPECT_EQ(observations[1].score, samples[1].score);  // scored now, by the mock
  EXPECT_EQ(observations[2].score, 0.75);
  for (int draw = 0; draw < 3; ++draw) EXPECT_EQ(observations[static_cast<std::size_t>(draw)].tokens, 11 + draw);
  EXPECT_EQ((std::vector<int>{observations[0].answer_class, observations[1].answer_class, observations[2].answer_class}),
            (std::vector<int>{0, 0, 1}));
  EXPECT_EQ(rig.summary.drawn, 0);
  EXPECT_EQ(rig.summary.scored, 1);
  EXPECT_EQ(rig.store->load_samples(0).size(), 3u);
}

TEST(ProbePrefetch, AnInOrderProberGetsTheNextProbesDrawnAheadAndFinishedBeforeThePlanIsUsed) {
  Rig rig(8, TestScorer::Mode::score, /*lookahead=*/2);
  for (std::size_t p = 0; p < 3; ++p) ASSERT_EQ(rig.probes->probe(p, 2).size(), 2u);
  // The third probe in a row also drew problems 3 and 4 (the look-ahead).
  rig.probes->finish();
  for (int p = 0; p < 5; ++p) {
    const auto stored = rig.store->load_samples(p);
    ASSERT_EQ(stored.size(), 2u) << p;
    for (const auto& s : stored) EXPECT_TRUE(s.score.has_value()) << p << ":" << s.draw;
  }
  for (int p = 5; p < 8; ++p) EXPECT_TRUE(rig.store->load_samples(p).empty()) << p;
  EXPECT_EQ(rig.summary.drawn, 10);
  // A later probe of a problem drawn ahead draws nothing for it.
  const long long drawn = rig.summary.drawn;
  rig.probes->probe(7, 2);  // not in order: no look-ahead
  EXPECT_EQ(rig.summary.drawn, drawn + 2);
  EXPECT_EQ(rig.probes->probe(4, 2).front().score, rig.mock.pool.problems[4].samples[0].score);
  EXPECT_EQ(rig.summary.drawn, drawn + 2);
}

TEST(ProbePrefetch, AnInterruptThatCancelsTheProbesLastTaskStopsAsInterrupted) {
  Rig rig(3, TestScorer::Mode::interrupt);
  try {
    rig.probes->probe(0, 2);
    FAIL() << "an interrupted probe came back";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "interrupted");
  }
  // What was drawn and reported is stored, unscored, for a resume to score.
  const auto stored = rig.store->load_samples(0);
  EXPECT_EQ(static_cast<long long>(stored.size()), rig.summary.drawn);
  for (const auto& s : stored) EXPECT_FALSE(s.score.has_value()) << s.draw;
  EXPECT_EQ(rig.summary.scored, 0);
}

TEST(ProbePrefetch, AProbeSampleThatCannotBeScoredStopsTheRunNamingIt) {
  Rig rig(3, TestScorer::Mode::fail);
  try {
    rig.probes->probe(2, 1);
    FAIL() << "an unscored probe came back";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "problem p2: probe sample 0 could not be scored (input refused); the strategy plans across problems "
              "from its probes, so the run stops");
  }
  const auto issues = rig.store->load_issues(2);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].kind, "failed");
  EXPECT_EQ(issues[0].reason, "input refused");
}

}  // namespace
}  // namespace optscale::engine
