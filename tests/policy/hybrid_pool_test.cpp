// hybrid on simulated pools of a strong reasoning model (profile
// strong-reasoner, docs/simulator.md) at the two ends of verifier strength:
// with an uninformative verifier (AUROC 0.5) verified votes are noise and
// verified_votes=1 is asc; with a strong one (AUROC 0.95) hybrid spends far
// fewer tokens than asc at its accuracy, as optscale-seq does.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "optscale/answers/answer_classes.hpp"
#include "optscale/pool/pool_stats.hpp"
#include "optscale/pool/simulate.hpp"
#include "optscale/policy/run.hpp"
#include "policy_test_util.hpp"

namespace optscale::policy {
namespace {

struct Outcome {
  double accuracy = 0.0, tokens = 0.0;
  std::vector<RunResult> runs;
};

struct SimulatedProblems {
  std::vector<std::vector<Observation>> observations;
  std::vector<std::vector<bool>> correct;
};

SimulatedProblems observe(double auroc) {
  const auto pool =
      pool::simulate_pool(pool::simulator_profile("strong-reasoner", auroc), 400, 32, 21).pool;
  SimulatedProblems out;
  for (const auto& problem : pool.problems) {
    answers::AnswerClasses classes;
    std::vector<Observation> o;
    std::vector<bool> ok;
    for (const auto& s : problem.samples) {
      classes.add(pool::sample_answer(s));
      o.push_back(Observation{s.score, s.tokens, -1, false});
      ok.push_back(s.correct.value_or(false));
    }
    const auto c = classes.classes();
    for (std::size_t i = 0; i < o.size(); ++i) o[i].answer_class = c[i];
    out.observations.push_back(std::move(o));
    out.correct.push_back(std::move(ok));
  }
  return out;
}

Outcome run(const SimulatedProblems& problems, const std::string& spec) {
  const auto strategy = testing::strategy(spec);
  Outcome out;
  for (std::size_t i = 0; i < problems.observations.size(); ++i) {
    DirectFitProvider fits;
    const auto r = run_policy(*strategy, testing::problem("p" + std::to_string(i), &fits),
                              problems.observations[i]);
    out.accuracy += r.selected >= 0 && problems.correct[i][static_cast<std::size_t>(r.selected)];
    out.tokens += static_cast<double>(r.tokens);
    out.runs.push_back(r);
  }
  out.accuracy /= static_cast<double>(problems.observations.size());
  out.tokens /= static_cast<double>(problems.observations.size());
  std::printf("  %-70s accuracy %.4f tokens %.0f\n", spec.c_str(), out.accuracy, out.tokens);
  return out;
}

TEST(HybridOnSimulatedPools, UninformativeVerifierLeavesAgreement) {
  const auto problems = observe(0.5);
  const Outcome asc = run(problems, "asc:n=32");
  const Outcome as_asc = run(problems, "hybrid:n=32,verified_votes=1,futility=0");
  for (std::size_t i = 0; i < asc.runs.size(); ++i) {
    EXPECT_EQ(as_asc.runs[i].consumed, asc.runs[i].consumed) << i;
    EXPECT_EQ(as_asc.runs[i].selected, asc.runs[i].selected) << i;
  }
  // Trusting noise costs accuracy: that is why verified_votes is tuned.
  const Outcome trusting = run(problems, "hybrid:n=32,verified_votes=16");
  EXPECT_LT(trusting.accuracy, asc.accuracy);
  // Futility on top of asc never costs more tokens than asc.
  const Outcome with_futility = run(problems, "hybrid:n=32,verified_votes=1");
  EXPECT_LE(with_futility.tokens, asc.tokens);
  EXPECT_GE(with_futility.accuracy, asc.accuracy - 0.005);
}

TEST(HybridOnSimulatedPools, StrongVerifierStopsLikeOptScaleSeq) {
  const auto problems = observe(0.95);
  const Outcome asc = run(problems, "asc:n=32");
  const Outcome seq = run(problems, "optscale-seq:n=32");
  const Outcome hybrid = run(problems, "hybrid:n=32,verified_votes=16");
  // Far fewer tokens than asc, as accurate within two problems of 400.
  EXPECT_LT(hybrid.tokens, 0.8 * asc.tokens);
  EXPECT_GE(hybrid.accuracy, asc.accuracy - 0.005);
  // No more tokens than optscale-seq (within a quarter), as accurate.
  EXPECT_LT(hybrid.tokens, 1.25 * seq.tokens);
  EXPECT_GE(hybrid.accuracy, seq.accuracy - 0.005);
}

}  // namespace
}  // namespace optscale::policy
