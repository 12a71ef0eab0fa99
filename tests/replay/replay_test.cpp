// The replay engine driven by small strategies written here, so that what is
// tested is the engine (orders, grading, figures, caching, threads), not the
// policies (tested in tests/policy).
#include "optscale/replay/replay.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>

#include "optscale/policy/run.hpp"
#include "optscale/policy/spec.hpp"
#include "optscale/pool/simulate.hpp"
#include "optscale/replay/memo_fit_provider.hpp"
#include "optscale/replay/report.hpp"
#include "optscale/replay/seeded_order.hpp"
#include "optscale/replay/stream.hpp"
#include "optscale/stats/estimators.hpp"
#include "optscale/util/error.hpp"
#include "optscale/util/invariant.hpp"

namespace optscale::replay {
namespace {

using policy::Observation;
using policy::Step;

// Draws its whole budget at once and selects the best score (first on ties).
class BestOfN final : public policy::Strategy {
 public:
  explicit BestOfN(int n) : n_(n) {}
  std::unique_ptr<policy::ProblemPolicy> start(const policy::ProblemInfo&) const override {
    struct P final : policy::ProblemPolicy {
      int n;
      explicit P(int budget) : n(budget) {}
      Step next(std::span<const Observation> seen) override {
        return seen.empty() ? Step::more(n) : Step::stop("budget");
      }
      int select(std::span<const Observation> seen) const override {
        int best = 0;
        for (int i = 1; i < static_cast<int>(seen.size()); ++i)
          if (seen[static_cast<std::size_t>(i)].score > seen[static_cast<std::size_t>(best)].score) best = i;
        return best;
      }
    };
    return std::make_unique<P>(n_);
  }
  std::string spec() const override { return "testbon:n=" + std::to_string(n_); }
  int budget() const override { return n_; }

 private:
  int n_;
};

// Draws one sample at a time; stops at `n` or once two answers agree, and
// selects the first sample of the most frequent class (none: -1).
class FirstAgreement final : public policy::Strategy {
 public:
  explicit FirstAgreement(int n) : n_(n) {}
  std::unique_ptr<policy::ProblemPolicy> start(const policy::ProblemInfo&) const override {
    struct P final : policy::ProblemPolicy {
      int n;
      explicit P(int budget) : n(budget) {}
      Step next(std::span<const Observation> seen) override {
        std::vector<int> count(seen.size() + 1, 0);
        for (const Observation& o : seen)
          if (o.answer_class >= 0 && ++count[static_cast<std::size_t>(o.answer_class)] >= 2)
            return Step::stop("consistent");
        return static_cast<int>(seen.size()) < n ? Step::more(1) : Step::stop("budget");
      }
      int select(std::span<const Observation> seen) const override {
        std::vector<int> count(seen.size() + 1, 0);
        int best = -1;
        for (int i = 0; i < static_cast<int>(seen.size()); ++i) {
          const int c = seen[static_cast<std::size_t>(i)].answer_class;
          if (c < 0) continue;
          ++count[static_cast<std::size_t>(c)];
          if (best < 0 || count[static_cast<std::size_t>(c)] >
                              count[static_cast<std::size_t>(seen[static_cast<std::size_t>(best)].answer_class)])
            best = i;
        }
        if (best < 0) return -1;
        // the first sample of the winning class
        for (int i = 0; i < static_cast<int>(seen.size()); ++i)
          if (seen[static_cast<std::size_t>(i)].answer_class == seen[static_cast<std::size_t>(best)].answer_class)
            return i;
        return best;
      }
    };
    return std::make_unique<P>(n_);
  }
  std::string spec() const override { return "agree:n=" + std::to_string(n_); }
  int budget() const override { return n_; }

 private:
  int n_;
};

// Fits after every sample (MLE) and stops once mu reaches `level`: exercises
// the fit provider the way sequential OptScale does.
class FitUntil final : public policy::Strategy {
 public:
  FitUntil(int n, double level) : n_(n), level_(level) {}
  std::unique_ptr<policy::ProblemPolicy> start(const policy::ProblemInfo& info) const override {
    struct P final : policy::ProblemPolicy {
      int n;
      double level;
      policy::FitProvider* fits;
      P(int budget, double l, policy::FitProvider* f) : n(budget), level(l), fits(f) {}
      Step next(std::span<const Observation> seen) override {
        if (seen.size() >= 2 && fits->fit(seen, static_cast<int>(seen.size()), std::nullopt, {}).mu >= level)
          return Step::stop("bound");
        return static_cast<int>(seen.size()) < n ? Step::more(1) : Step::stop("budget");
      }
      int select(std::span<const Observation> seen) const override {
        return static_cast<int>(std::max_element(seen.begin(), seen.end(),
                                                 [](const Observation& a, const Observation& b) {
                                                   return a.score < b.score;
                                                 }) -
                                seen.begin());
      }
    };
    return std::make_unique<P>(n_, level_, info.fits);
  }
  std::string spec() const override { return "fituntil:n=" + std::to_string(n_); }
  int budget() const override { return n_; }

 private:
  int n_;
  double level_;
};

// Breaks the contract on purpose.
class Greedy final : public policy::Strategy {
 public:
  explicit Greedy(bool bad_select) : bad_select_(bad_select) {}
  std::unique_ptr<policy::ProblemPolicy> start(const policy::ProblemInfo&) const override {
    struct P final : policy::ProblemPolicy {
      bool bad_select;
      explicit P(bool b) : bad_select(b) {}
      Step next(std::span<const Observation> seen) override {
        if (bad_select) return seen.empty() ? Step::more(2) : Step::stop("budget");
        return Step::more(3);
      }
      int select(std::span<const Observation> seen) const override { return static_cast<int>(seen.size()); }
    };
    return std::make_unique<P>(bad_select_);
  }
  std::string spec() const override { return "greedy"; }
  int budget() const override { return 4; }

 private:
  bool bad_select_;
};

// A cross-problem strategy: its plan probes the first two samples of every
// problem; each problem's policy then checks that its stream starts with
// exactly what was probed, draws those two and selects the first.
class ProbeTwo final : public policy::Strategy {
 public:
  mutable std::atomic<int> plans{0};
  std::unique_ptr<policy::ProblemPolicy> start(const policy::ProblemInfo&) const override {
    throw Error("probetwo: runs through plan()");
  }
  std::string spec() const override { return "probetwo:n=2"; }
  int budget() const override { return 2; }
  bool cross_problem() const override { return true; }
  std::unique_ptr<policy::DatasetPlan> plan(std::span<const policy::ProblemInfo> problems,
                                            const policy::ProbeFn& probe) const override {
    ++plans;
    struct Plan final : policy::DatasetPlan {
      std::vector<std::vector<Observation>> probed;
      std::unique_ptr<policy::ProblemPolicy> start(std::size_t index) const override {
        struct P final : policy::ProblemPolicy {
          std::vector<Observation> expected;
          explicit P(std::vector<Observation> e) : expected(std::move(e)) {}
          Step next(std::span<const Observation> seen) override {
            if (seen.empty()) return Step::more(2);
            for (std::size_t i = 0; i < expected.size(); ++i)
              if (seen[i].score != expected[i].score || seen[i].tokens != expected[i].tokens)
                throw Error("probetwo: the problem's samples are not the probed ones");
            return Step::stop("easy");
          }
          int select(std::span<const Observation>) const override { return 0; }
        };
        return std::make_unique<P>(probed[index]);
      }
    };
    auto plan = std::make_unique<Plan>();
    for (std::size_t i = 0; i < problems.size(); ++i) plan->probed.push_back(probe(i, 2));
    return plan;
  }
};

pool::Sample sample(double score, long long tokens, bool correct, const std::string& answer = "") {
  pool::Sample s;
  s.score = score;
  s.tokens = tokens;
  s.correct = correct;
  if (!answer.empty()) s.answer = answer;
  return s;
}

// Three problems of four samples each (the same pool as tests/data/replay-3.jsonl).
pool::Pool three_problems() {
  pool::Pool pool;
  pool::Problem a;
  a.id = "p1";
  a.samples = {sample(0.5, 100, false), sample(0.9, 200, true), sample(0.7, 300, false), sample(0.2, 400, true)};
  pool::Problem b;
  b.id = "p2";
  b.samples = {sample(0.95, 50, true), sample(0.6, 60, false), sample(0.99, 70, false), sample(0.3, 80, true)};
  pool::Problem c;
  c.id = "p3";
  c.samples = {sample(0.4, 1000, false), sample(0.8, 1000, false), sample(0.1, 1000, true), sample(0.85, 1000, true)};
  pool.problems = {a, b, c};
  return pool;
}

std::vector<const policy::Strategy*> pointers(const std::vector<std::unique_ptr<policy::Strategy>>& owned) {
  std::vector<const policy::Strategy*> out;
  for (const auto& s : owned) out.push_back(s.get());
  return out;
}

TEST(Replay, BestOfNFiguresComputedByHand) {
  std::vector<std::unique_ptr<policy::Strategy>> owned;
  owned.push_back(std::make_unique<BestOfN>(1));
  owned.push_back(std::make_unique<BestOfN>(2));
  owned.push_back(std::make_unique<BestOfN>(4));
  const auto strategies = pointers(owned);
  const ReplayResult result = replay(three_problems(), strategies, ReplayOptions{});
  ASSERT_EQ(result.strategies.size(), 3u);
  // n=1: first samples: wrong, right, wrong -> 1/3; tokens (100 + 50 + 1000) / 3.
  EXPECT_DOUBLE_EQ(result.strategies[0].accuracy.mean, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(result.strategies[0].tokens.mean, 1150.0 / 3.0);
  EXPECT_DOUBLE_EQ(result.strategies[0].samples.mean, 1.0);
  // n=2: best of first two: 0.9 (right), 0.95 (right), 0.8 (wrong) -> 2/3; (300 + 110 + 2000) / 3.
  EXPECT_DOUBLE_EQ(result.strategies[1].accuracy.mean, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(result.strategies[1].tokens.mean, 2410.0 / 3.0);
  // n=4: 0.9 (right), 0.99 (wrong), 0.85 (right) -> 2/3; (1000 + 260 + 4000) / 3.
  EXPECT_DOUBLE_EQ(result.strategies[2].accuracy.mean, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(result.strategies[2].tokens.mean, 5260.0 / 3.0);
  EXPECT_EQ(result.strategies[2].stop_reasons.at("budget"), 3);
  EXPECT_EQ(result.strategies[2].family, "testbon");
  EXPECT_EQ(result.strategies[2].budget, 4);
  // Per-problem means feed tuning.
  EXPECT_EQ(result.strategies[2].problem_accuracy, (std::vector<double>{1, 0, 1}));
  // Interval: t(0.975, 2) * s / sqrt(3), s of {1, 0, 1} = sqrt(1/3).
  const double half = 4.3026527297494639 * std::sqrt(1.0 / 3.0) / std::sqrt(3.0);
  EXPECT_NEAR(*result.strategies[2].accuracy.ci_lo, std::max(0.0, 2.0 / 3.0 - half), 1e-12);
  EXPECT_NEAR(*result.strategies[2].accuracy.ci_hi, std::min(1.0, 2.0 / 3.0 + half), 1e-12);
  EXPECT_DOUBLE_EQ(result.strategies[2].accuracy.order_sd, 0.0);
  EXPECT_FALSE(result.synthetic);
}

TEST(Replay, OneOrderIsThePoolOrderAndManyOrdersArePermutations) {
  std::vector<std::unique_ptr<policy::Strategy>> owned;
  owned.push_back(std::make_unique<BestOfN>(1));
  const auto strategies = pointers(owned);
  const pool::Pool pool = three_problems();
  ReplayOptions options;
  options.orders = 7;
  options.seed = 99;
  const ReplayResult result = replay(pool, strategies, options);
  // BoN-1 takes the first drawn sample: recompute from the seeded orders.
  for (std::size_t p = 0; p < 3; ++p) {
    double correct = 0, tokens = 0;
    for (int r = 0; r < 7; ++r) {
      const auto order = sample_order(4, 7, 99, p, static_cast<std::uint64_t>(r));
      const pool::Sample& first = pool.problems[p].samples[static_cast<std::size_t>(order[0])];
      correct += *first.correct ? 1 : 0;
      tokens += static_cast<double>(first.tokens);
    }
    EXPECT_DOUBLE_EQ(result.strategies[0].problem_accuracy[p], correct / 7.0) << p;
    EXPECT_DOUBLE_EQ(result.strategies[0].problem_tokens[p], tokens / 7.0) << p;
  }
  EXPECT_GT(result.strategies[0].accuracy.order_sd, 0.0);
  EXPECT_EQ(result.strategies[0].stop_reasons.at("budget"), 21);
}

TEST(Replay, SameFiguresWhateverTheThreadCount) {
  pool::Pool pool;
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int p = 0; p < 40; ++p) {
    pool::Problem problem;
    problem.id = "q";
    problem.id += std::to_string(p);  // (not "q" + ...: GCC 12 misfires -Wrestrict)
    for (int i = 0; i < 16; ++i)
      problem.samples.push_back(sample(u(rng), 10 + i, u(rng) < 0.6, std::to_string(i % 3)));
    pool.problems.push_back(problem);
  }
  std::vector<std::unique_ptr<policy::Strategy>> owned;
  for (int n : {1, 4, 16}) owned.push_back(std::make_unique<BestOfN>(n));
  owned.push_back(std::make_unique<FirstAgreement>(8));
  owned.push_back(std::make_unique<FitUntil>(12, 0.6));
  const auto strategies = pointers(owned);
  ReplayOptions options;
  options.orders = 5;
  options.seed = 3;
  options.threads = 1;
  const std::string one = to_json(replay(pool, strategies, options), {}).dump();
  for (int threads : {2, 3, 8}) {
    options.threads = threads;
    EXPECT_EQ(to_json(replay(pool, strategies, options), {}).dump(), one) << "threads=" << threads;
  }
}

TEST(Replay, AnswerClassesFollowTheGroupingOption) {
  pool::Pool pool;
  pool::Problem problem;
  problem.id = "fractions";
  problem.gold = "1/2";
  // "0.5" and "\frac{1}{2}" are equivalent but different strings; two "7"s agree.
  problem.samples = {sample(0.1, 1, false, "0.5"), sample(0.2, 1, false, "\\frac{1}{2}"),
                     sample(0.3, 1, false, "7"), sample(0.4, 1, false, "7")};
  for (auto& s : problem.samples) s.correct.reset();  // graded against gold
  pool.problems = {problem};
  std::vector<std::unique_ptr<policy::Strategy>> owned;
  owned.push_back(std::make_unique<FirstAgreement>(4));
  const auto strategies = pointers(owned);
  ReplayOptions options;
  options.grouping = answers::AnswerGrouping::equivalent;
  ReplayResult result = replay(pool, strategies, options);
  // Equivalent: the first two samples agree -> stop at 2, answer 1/2: correct.
  EXPECT_DOUBLE_EQ(result.strategies[0].samples.mean, 2.0);
  EXPECT_DOUBLE_EQ(result.strategies[0].accuracy.mean, 1.0);
  options.grouping = answers::AnswerGrouping::raw;
  result = replay(pool, strategies, options);
  // Raw strings: agreement only at the two "7"s -> 4 samples, answer 7: wrong.
  EXPECT_DOUBLE_EQ(result.strategies[0].samples.mean, 4.0);
  EXPECT_DOUBLE_EQ(result.strategies[0].accuracy.mean, 0.0);
}

TEST(GradeProblem, ClassesCorrectnessEmptinessAndLabels) {
  pool::Problem problem;
  problem.id = "g";
  problem.gold = "12";
  pool::Sample boxed;
  boxed.text = "so the answer is \\boxed{12}";
  pool::Sample none;
  none.text = "I could not finish";
  pool::Sample empty;
  empty.text = "";
  pool::Sample labelled;
  labelled.answer = "13";
  labelled.correct = true;  // the pool's own label wins over the gold check
  pool::Sample none_again;
  none_again.text = "no box here";
  problem.samples = {boxed, none, empty, labelled, none_again};
  const GradedProblem eq = grade_problem(problem, answers::AnswerGrouping::equivalent);
  // "12" and "13" are answers 0 and 1 with keys of their own; the others have none.
  EXPECT_EQ(eq.answer_id, (std::vector<int>{0, -1, -1, 1, -1}));
  EXPECT_EQ(eq.answers.key(0), 0);
  EXPECT_EQ(eq.answers.key(1), 1);
  EXPECT_EQ(eq.answers.text(1), "13");
  EXPECT_EQ(eq.correct, (std::vector<char>{1, 0, 0, 1, 0}));
  EXPECT_EQ(eq.empty, (std::vector<char>{0, 0, 1, 0, 0}));
  // Raw: the same here (no answer stays -1; "12" and "13" are distinct strings).
  const GradedProblem raw = grade_problem(problem, answers::AnswerGrouping::raw);
  EXPECT_EQ(raw.answer_id, (std::vector<int>{0, -1, -1, 1, -1}));
  EXPECT_EQ(raw.answers.key_count(), 2);
  EXPECT_EQ(raw.correct, eq.correct);
  // Without gold or labels a sample cannot be graded.
  problem.gold.reset();
  EXPECT_THROW(grade_problem(problem, answers::AnswerGrouping::equivalent), Error);
}

TEST(Stream, RenumbersClassesByFirstAppearanceInDrawOrder) {
  pool::Problem problem;
  problem.id = "s";
  problem.samples = {sample(0.1, 1, true, "a"), sample(0.2, 2, true, "b"), sample(0.3, 3, true, "a")};
  GradedProblem graded = grade_problem(problem, answers::AnswerGrouping::equivalent);
  const std::vector<int> order = {1, 2, 0};
  const Stream stream = make_stream(problem, graded, order);
  const auto observations = stream.numbered.prefix(3);
  EXPECT_EQ(stream.pool_index, order);
  EXPECT_EQ(observations[0].answer_class, 0);  // "b" seen first
  EXPECT_EQ(observations[1].answer_class, 1);
  EXPECT_EQ(observations[2].answer_class, 1);
  EXPECT_EQ(stream.scores, (std::vector<double>{0.2, 0.3, 0.1}));
  EXPECT_EQ(observations[0].tokens, 2);
}

// The example: 1.414213 and 1.414214 are not equivalent, \sqrt{2}
// is equivalent to both. The prefix of two must not see the merge the third
// sample makes, or esc stops "consistent" after 2 where a live run goes on.
TEST(Stream, APrefixNeverSeesAMergeItHasNotDrawn) {
  pool::Problem problem;
  problem.id = "root2";
  problem.gold = "\\sqrt{2}";
  for (const char* answer : {"1.414213", "1.414214", "\\sqrt{2}", "7"}) {
    pool::Sample s;
    s.answer = answer;
    s.score = 0.5;
    s.tokens = 1;
    problem.samples.push_back(s);
  }
  GradedProblem graded = grade_problem(problem, answers::AnswerGrouping::equivalent);
  const std::vector<int> order = {0, 1, 2, 3};
  const Stream stream = make_stream(problem, graded, order);
  const auto classes = [&](std::size_t k) {
    std::vector<int> out;
    for (const Observation& o : stream.numbered.prefix(k)) out.push_back(o.answer_class);
    return out;
  };
  EXPECT_EQ(classes(2), (std::vector<int>{0, 1}));
  EXPECT_EQ(classes(3), (std::vector<int>{0, 0, 0}));
  EXPECT_EQ(classes(4), (std::vector<int>{0, 0, 0, 1}));
  EXPECT_EQ(stream.numbered.epochs(), 2u);

  pool::Pool pool;
  pool.problems = {problem};
  auto owned = policy::make_strategies("esc:n=4,window=2");
  const ReplayResult result = replay(pool, pointers(owned), ReplayOptions{});
  EXPECT_EQ(result.strategies[0].samples.mean, 4.0);
  EXPECT_EQ(result.strategies[0].stop_reasons.at("budget"), 1);
}

TEST(MemoFitProvider, CachedFitsEqualDirectFits) {
  const std::vector<double> scores = {0.91, 0.97, 0.55, 0.99, 0.88, 0.93, 0.72, 0.96};
  std::vector<Observation> observed;
  for (double s : scores) observed.push_back(Observation{s, 1, -1, false});
  MemoFitProvider memo(scores);
  const stats::FitPrior prior{0.6, 0.1, 0.1, 0.1};
  const stats::FitBounds parity = stats::FitBounds::reference_parity();
  for (int round = 0; round < 2; ++round) {
    for (int count = 1; count <= 8; ++count) {
      const std::span<const double> prefix(scores.data(), static_cast<std::size_t>(count));
      for (const auto& p : {std::optional<stats::FitPrior>{}, std::optional<stats::FitPrior>{prior}}) {
        for (const stats::FitBounds& bounds : {stats::FitBounds{}, parity}) {
          const stats::FitResult direct = stats::fit_truncated_normal(prefix, p, bounds);
          const stats::FitResult cached = memo.fit(observed, count, p, bounds);
          EXPECT_EQ(cached.mu, direct.mu) << count;
          EXPECT_EQ(cached.sigma, direct.sigma) << count;
          EXPECT_EQ(cached.objective, direct.objective) << count;
        }
      }
    }
  }
  EXPECT_EQ(memo.fits_computed(), 8u * 4u);
  EXPECT_EQ(memo.fits_reused(), 8u * 4u);
}

TEST(MemoFitProvider, ObservationsFromElsewhereAreFittedNotLookedUp) {
  const std::vector<double> scores = {0.9, 0.8, 0.7};
  MemoFitProvider memo(scores);
  const std::vector<Observation> same = {{0.9, 1, -1, false}, {0.8, 1, -1, false}};
  const std::vector<Observation> other = {{0.9, 1, -1, false}, {0.2, 1, -1, false}};
  const stats::FitResult a = memo.fit(same, 2, std::nullopt, {});
  const stats::FitResult b = memo.fit(other, 2, std::nullopt, {});
  const std::vector<double> other_scores = {0.9, 0.2};
  EXPECT_EQ(b.mu, stats::fit_truncated_normal(other_scores, std::nullopt, {}).mu);
  EXPECT_NE(a.mu, b.mu);
  EXPECT_EQ(memo.fits_reused(), 0u);
  EXPECT_THROW(memo.fit(same, 3, std::nullopt, {}), InvariantError);  // policies fit what they observed
}

TEST(Replay, FitsAreSharedAcrossStrategiesOfTheSameStream) {
  std::vector<std::unique_ptr<policy::Strategy>> owned;
  owned.push_back(std::make_unique<FitUntil>(4, 0.99));
  owned.push_back(std::make_unique<FitUntil>(4, 0.999));
  const auto strategies = pointers(owned);
  const ReplayResult result = replay(three_problems(), strategies, ReplayOptions{});
  // Each strategy fits prefixes 2, 3 (and 4 when it did not stop): the second
  // strategy's fits are all reuses.
  EXPECT_GT(result.fits_computed, 0u);
  EXPECT_EQ(result.fits_reused, result.fits_computed);
}

TEST(Replay, OrdersOneFeedsSamplesInPoolOrderWhateverTheSeed) {
  std::vector<std::unique_ptr<policy::Strategy>> owned;
  owned.push_back(std::make_unique<BestOfN>(1));
  const pool::Pool pool = three_problems();
  for (std::uint64_t seed : {0u, 1u, 12345u}) {
    ReplayOptions options;
    options.seed = seed;
    const ReplayResult result = replay(pool, pointers(owned), options);
    for (std::size_t p = 0; p < pool.problems.size(); ++p) {
      EXPECT_EQ(result.strategies[0].problem_accuracy[p], *pool.problems[p].samples[0].correct ? 1.0 : 0.0);
      EXPECT_EQ(result.strategies[0].problem_tokens[p], static_cast<double>(pool.problems[p].samples[0].tokens));
    }
  }
}

TEST(Replay, CrossProblemStrategiesArePlannedOncePerOrderOnTheSameStreams) {
  auto probe_two = std::make_unique<ProbeTwo>();
  const ProbeTwo* strategy = probe_two.get();
  std::vector<std::unique_ptr<policy::Strategy>> owned;
  owned.push_back(std::move(probe_two));
  owned.push_back(std::make_unique<BestOfN>(2));
  ReplayOptions options;
  options.orders = 4;
  options.seed = 8;
  options.threads = 2;
  const ReplayResult result = replay(three_problems(), pointers(owned), options);
  EXPECT_EQ(strategy->plans.load(), 4);
  EXPECT_EQ(result.strategies[0].stop_reasons.at("easy"), 12);
  // Probed samples are paid for once, by their problem: 2 per problem.
  EXPECT_DOUBLE_EQ(result.strategies[0].samples.mean, 2.0);
  EXPECT_EQ(result.strategies[0].tokens.mean, result.strategies[1].tokens.mean);
}

TEST(Replay, CachedFitsGiveTheSameRunsAsDirectFits) {
  // Real OptScale strategies (they fit after peeking, or after every sample)
  // replayed with the memoising provider must decide exactly as when each
  // run fits afresh through policy::DirectFitProvider.
  const pool::Pool pool = pool::simulate_pool(pool::simulator_profile("math500"), 30, 16, 9).pool;
  std::vector<std::unique_ptr<policy::Strategy>> owned;
  for (const char* spec : {"optscale0:n=16,target=0.9|0.97,delta=0.05|0.1", "optscalet:n=16,target=0.95",
                           "optscale-seq:n=16,target=0.95|0.99,batch=1|4"})
    for (auto& strategy : policy::make_strategies(spec)) owned.push_back(std::move(strategy));
  const ReplayResult result = replay(pool, pointers(owned), ReplayOptions{});
  EXPECT_GT(result.fits_reused, 0u);
  policy::DirectFitProvider direct;
  for (std::size_t p = 0; p < pool.problems.size(); ++p) {
    GradedProblem graded = grade_problem(pool.problems[p], answers::AnswerGrouping::equivalent);
    const std::vector<int> order = sample_order(16, 1, 0, p, 0);
    const Stream stream = make_stream(pool.problems[p], graded, order);
    policy::ProblemInfo info;
    info.id = pool.problems[p].id;
    info.prior = pool.problems[p].prior;
    info.fits = &direct;
    for (std::size_t s = 0; s < owned.size(); ++s) {
      const auto observations = stream.numbered.prefix(static_cast<std::size_t>(owned[s]->budget()));
      const policy::RunResult run = policy::run_policy(*owned[s], info, observations);
      EXPECT_EQ(result.strategies[s].problem_samples[p], run.consumed) << owned[s]->spec() << " problem " << p;
      EXPECT_EQ(result.strategies[s].problem_tokens[p], static_cast<double>(run.tokens)) << owned[s]->spec();
      const bool correct = run.selected >= 0 && graded.correct[static_cast<std::size_t>(run.selected)];
      EXPECT_EQ(result.strategies[s].problem_accuracy[p], correct ? 1.0 : 0.0) << owned[s]->spec();
    }
  }
}

TEST(Replay, RejectsBudgetsBeyondThePoolAndBrokenPolicies) {
  std::vector<std::unique_ptr<policy::Strategy>> owned;
  owned.push_back(std::make_unique<BestOfN>(5));
  try {
    replay(three_problems(), pointers(owned), ReplayOptions{});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("problem 'p1'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("testbon:n=5"), std::string::npos) << e.what();
  }
  owned.clear();
  owned.push_back(std::make_unique<Greedy>(false));
  EXPECT_THROW(replay(three_problems(), pointers(owned), ReplayOptions{}), Error);
  owned.clear();
  owned.push_back(std::make_unique<Greedy>(true));
  EXPECT_THROW(replay(three_problems(), pointers(owned), ReplayOptions{}), Error);
  owned.clear();
  owned.push_back(std::make_unique<BestOfN>(1));
  ReplayOptions bad;
  bad.orders = 0;
  EXPECT_THROW(replay(three_problems(), pointers(owned), bad), Error);
  EXPECT_THROW(replay(pool::Pool{}, pointers(owned), ReplayOptions{}), Error);
  EXPECT_THROW(replay(three_problems(), std::vector<const policy::Strategy*>{}, ReplayOptions{}), Error);
}

}  // namespace
}  // namespace optscale::replay
