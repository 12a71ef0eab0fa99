// The simulator's generative model (docs/simulator.md). Per problem: a solve
// rate, a verifier that scores correct and wrong samples from two different
// Beta laws, token counts that differ between correct and wrong samples, a few
// recurring wrong answers, and a noisy prior. Everything a problem needs is
// drawn before its samples, from a stream seeded by (seed, index).
#include <algorithm>
#include <cmath>

#include "optscale/pool/simulate.hpp"
#include "optscale/util/error.hpp"
#include "sim_random.hpp"

namespace optscale::pool {
namespace {

double logit(double p) { return std::log(p / (1.0 - p)); }
double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Scores and counts are written with 6 decimals: finer than a float PRM
// output, and it keeps the bundled pool small.
double round6(double x) { return std::round(x * 1e6) / 1e6; }

struct BetaLaw {
  double a = 1.0, b = 1.0;
  double mean() const { return a / (a + b); }
  double variance() const { return a * b / ((a + b) * (a + b) * (a + b + 1.0)); }
};

// The per-problem constants, drawn before any sample.
struct ProblemModel {
  double solve_rate = 0.0;
  BetaLaw correct_scores, wrong_scores;
  double log_length = 0.0;
  int gold = 0;
  std::vector<int> wrong_answers;
  std::vector<double> wrong_answer_cdf;
};

double draw_solve_rate(const SimulatorProfile& m, sim::Random& rng) {
  const double u = rng.uniform();
  if (u < m.weight_hard) return rng.beta(m.hard_a, m.hard_b);
  if (u < m.weight_hard + m.weight_mixed) return rng.beta(m.mixed_a, m.mixed_b);
  return rng.beta(m.easy_a, m.easy_b);
}

// Knuth's product method; the means used here are small (a few).
int draw_poisson(double mean, sim::Random& rng) {
  const double limit = std::exp(-mean);
  int k = 0;
  for (double product = rng.uniform(); product > limit; product *= rng.uniform()) ++k;
  return k;
}

ProblemModel draw_problem(const SimulatorProfile& m, sim::Random& rng) {
  ProblemModel model;
  // Keep p away from exactly 0 and 1 only so that logs stay finite; a Beta
  // draw of 1 - 1e-12 still means "always solved" in a 64-sample pool.
  model.solve_rate = std::clamp(draw_solve_rate(m, rng), 0.0, 1.0);
  const double difficulty = 1.0 - model.solve_rate;

  const double deficit = std::min(
      m.correct_deficit_max,
      rng.lognormal(std::log(m.correct_deficit_median) +
                        m.correct_deficit_difficulty_slope * difficulty,
                    m.correct_deficit_log_sd));
  const double correct_mean = 1.0 - deficit;
  const double shape_b = rng.lognormal(std::log(m.correct_shape_b_median), m.correct_shape_b_log_sd);
  model.correct_scores = {shape_b * correct_mean / deficit, shape_b};

  const bool fooled = rng.uniform() < m.fooled_weight;
  const double wrong_logit =
      fooled ? logit(correct_mean) - (m.fooled_gap_mean + m.fooled_gap_sd * rng.normal())
             : m.wrong_mean_logit + m.wrong_mean_logit_sd * rng.normal();
  const double wrong_mean = std::clamp(logistic(wrong_logit), 1e-3, 1.0 - 1e-3);
  model.wrong_scores = {m.wrong_concentration * wrong_mean,
                        m.wrong_concentration * (1.0 - wrong_mean)};

  model.log_length = std::log(m.tokens_median) + m.tokens_difficulty_slope * difficulty +
                     m.tokens_problem_log_sd * rng.normal();

  // Answers are integers 0..999; the gold one and distinct wrong ones.
  model.gold = 1 + static_cast<int>(rng.below(999));
  const int wrong_count = std::min(static_cast<int>(m.wrong_answers_max),
                                   1 + draw_poisson(m.wrong_answers_extra_mean, rng));
  const double ratio =
      m.wrong_answer_ratio_lo + (m.wrong_answer_ratio_hi - m.wrong_answer_ratio_lo) * rng.uniform();
  double total = 0.0, weight = 1.0;
  while (static_cast<int>(model.wrong_answers.size()) < wrong_count) {
    const int candidate = static_cast<int>(rng.below(1000));
    if (candidate == model.gold ||
        std::find(model.wrong_answers.begin(), model.wrong_answers.end(), candidate) !=
            model.wrong_answers.end()) {
      continue;
    }
    model.wrong_answers.push_back(candidate);
    total += weight;
    model.wrong_answer_cdf.push_back(total);
    weight *= ratio;
  }
  for (double& c : model.wrong_answer_cdf) c /= total;
  return model;
}

ProblemTruth truth_of(const ProblemModel& model) {
  const double p = model.solve_rate;
  const double mc = model.correct_scores.mean(), mw = model.wrong_scores.mean();
  const double mean = p * mc + (1.0 - p) * mw;
  const double second = p * (model.correct_scores.variance() + mc * mc) +
                        (1.0 - p) * (model.wrong_scores.variance() + mw * mw);
  return {p, mean, std::sqrt(std::max(0.0, second - mean * mean))};
}

std::array<double, 2> draw_prior(const SimulatorProfile& m, const ProblemTruth& truth,
                                 sim::Random& rng) {
  const double mu = m.prior_mu_centre + m.prior_mu_shrink * (truth.score_mean - m.prior_mu_centre) +
                    m.prior_mu_noise_sd * rng.normal();
  const double sigma = m.prior_sigma_centre +
                       m.prior_sigma_shrink * (truth.score_std - m.prior_sigma_centre) +
                       m.prior_sigma_noise_sd * rng.normal();
  return {round6(std::clamp(mu, 0.0, 1.0)), round6(std::max(m.prior_sigma_floor, sigma))};
}

Sample draw_sample(const SimulatorProfile& m, const ProblemModel& model, sim::Random& rng) {
  Sample sample;
  const bool correct = rng.uniform() < model.solve_rate;
  const BetaLaw& law = correct ? model.correct_scores : model.wrong_scores;
  sample.score = std::clamp(round6(rng.beta(law.a, law.b)), 0.0, 1.0);
  const double log_tokens =
      correct ? model.log_length + m.tokens_correct_log_sd * rng.normal()
              : model.log_length + m.tokens_wrong_log_shift + m.tokens_wrong_log_sd * rng.normal();
  const double tokens = std::clamp(std::round(std::exp(log_tokens)), 1.0, m.tokens_cap);
  sample.tokens = static_cast<long long>(tokens);
  sample.correct = correct;
  if (correct) {
    sample.answer = std::to_string(model.gold);
  } else if (tokens < m.tokens_cap) {  // a wrong sample cut at the cap never states an answer
    const double u = rng.uniform();
    const auto it = std::lower_bound(model.wrong_answer_cdf.begin(), model.wrong_answer_cdf.end(), u);
    const auto k = std::min<std::size_t>(it - model.wrong_answer_cdf.begin(),
                                         model.wrong_answers.size() - 1);
    sample.answer = std::to_string(model.wrong_answers[k]);
  }
  return sample;
}

}  // namespace

SimulatedPool simulate_pool(const SimulatorProfile& profile, int problems, int samples,
                            std::uint64_t seed) {
  require(problems >= 1, "simulate", "--problems must be at least 1, got " + std::to_string(problems));
  require(samples >= 1, "simulate", "--samples must be at least 1, got " + std::to_string(samples));
  validate_simulator_profile(profile);
  SimulatedPool out;
  out.pool.problems.reserve(problems);
  out.truth.reserve(problems);
  const std::string generator = "simulator:" + profile.name;
  for (int i = 0; i < problems; ++i) {
    sim::Random rng(sim::mix64(sim::mix64(seed) ^ static_cast<std::uint64_t>(i)));
    const ProblemModel model = draw_problem(profile, rng);
    const ProblemTruth truth = truth_of(model);
    Problem problem;
    problem.id = "sim-" + std::to_string(i);
    problem.problem = "Simulated problem " + std::to_string(i) + " (" + generator + ", seed " +
                      std::to_string(seed) + ")";
    problem.gold = std::to_string(model.gold);
    problem.prior = draw_prior(profile, truth, rng);
    problem.generator = generator;
    problem.verifier = generator;
    problem.synthetic = true;
    problem.samples.reserve(samples);
    for (int j = 0; j < samples; ++j) problem.samples.push_back(draw_sample(profile, model, rng));
    out.pool.problems.push_back(std::move(problem));
    out.truth.push_back(truth);
  }
  return out;
}

}  // namespace optscale::pool
