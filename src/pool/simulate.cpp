// The simulator's generative model (docs/simulator.md). Per problem: a solve
// rate, a verifier that scores correct and wrong samples from two different
// Beta laws, token counts that differ between correct and wrong samples, a few
// recurring wrong answers, and a noisy prior. Everything a problem needs is
// drawn before its samples, from a stream seeded by (seed, index).
#include <algorithm>
#include <cmath>
#include <tuple>
#include <utility>

#include "optscale/pool/simulate.hpp"
#include "optscale/stats/normal.hpp"
#include "optscale/util/error.hpp"
#include "sim_random.hpp"

namespace optscale::pool {
namespace {

double logit(double p) { return std::log(p / (1.0 - p)); }
double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Scores and counts are written with 6 decimals: finer than a float PRM
// output, and it keeps the bundled pool small.
double round6(double x) { return std::round(x * 1e6) / 1e6; }

// Score law of one class of samples: Beta (math500) or logit-normal.
struct LogitNormalLaw {
  double centre = 0.0, sd = 1.0;
};

struct BetaLaw {
  double a = 1.0, b = 1.0;
  double mean() const { return a / (a + b); }
  double variance() const { return a * b / ((a + b) * (a + b) * (a + b + 1.0)); }
};

// The per-problem constants, drawn before any sample.
struct ProblemModel {
  double solve_rate = 0.0;
  BetaLaw correct_scores, wrong_scores;
  bool logit_scores = false;  // verifier_auroc > 0: the two laws below instead
  LogitNormalLaw correct_logits, wrong_logits;
  double log_length = 0.0;
  int gold = 0;
  std::vector<int> wrong_answers;
  std::vector<double> wrong_answer_cdf;
  double crp_alpha = 0.0;  // > 0: wrong answers by a Chinese restaurant process
};

// The wrong answers a problem has stated so far (Chinese restaurant process).
struct WrongAnswerTable {
  std::vector<int> answers;
  std::vector<int> counts;
  int total = 0;
};

// Student-t with `df` degrees of freedom (normal when df is 0).
double draw_t(double df, sim::Random& rng) {
  const double z = rng.normal();
  if (df <= 0.0) return z;
  return z / std::sqrt(2.0 * rng.gamma(df / 2.0) / df);
}

// Mean and variance of logistic(N(centre, sd)) by the trapezoid rule on +-8 sd.
std::pair<double, double> logit_normal_moments(const LogitNormalLaw& law) {
  constexpr int kSteps = 400;
  double m1 = 0.0, m2 = 0.0, mass = 0.0;
  for (int k = 0; k <= kSteps; ++k) {
    const double z = -8.0 + 16.0 * k / kSteps;
    const double w = (k == 0 || k == kSteps ? 0.5 : 1.0) * std::exp(-0.5 * z * z);
    const double v = logistic(law.centre + law.sd * z);
    m1 += w * v;
    m2 += w * v * v;
    mass += w;
  }
  m1 /= mass;
  return {m1, std::max(0.0, m2 / mass - m1 * m1)};
}

// A wrong answer the problem has not used yet (nor its gold answer).
int fresh_answer(const ProblemModel& model, const std::vector<int>& used, sim::Random& rng) {
  for (;;) {
    const int candidate = static_cast<int>(rng.below(1000));
    if (candidate != model.gold && std::find(used.begin(), used.end(), candidate) == used.end())
      return candidate;
  }
}

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

void draw_answer_set(const SimulatorProfile& m, ProblemModel& model, sim::Random& rng);

// Profiles fitted to real pools (verifier_auroc > 0): a logit-normal verifier
// of known AUROC, heavy-tailed lengths, a Chinese-restaurant tail of wrong answers.
ProblemModel draw_structured_problem(const SimulatorProfile& m, ProblemModel& model,
                                     sim::Random& rng) {
  const double difficulty = 1.0 - model.solve_rate;
  const double centre = m.score_logit_mean + m.score_logit_problem_sd * rng.normal();
  const double shift = std::sqrt(2.0) * m.score_logit_sd *
                       stats::normal_quantile_from_log(std::log(m.verifier_auroc));
  model.logit_scores = true;
  model.correct_logits = {centre, m.score_logit_sd};
  model.wrong_logits = {centre - shift, m.score_logit_sd};
  model.log_length = std::log(m.tokens_median) + m.tokens_difficulty_slope * difficulty +
                     m.tokens_problem_log_sd * draw_t(m.tokens_problem_t_df, rng);
  model.gold = 1 + static_cast<int>(rng.below(999));
  if (m.wrong_answers_crp_median > 0.0) {
    model.crp_alpha = rng.lognormal(std::log(m.wrong_answers_crp_median) +
                                        m.wrong_answers_crp_difficulty_slope * difficulty,
                                    m.wrong_answers_crp_log_sd);
  } else {
    draw_answer_set(m, model, rng);
  }
  return model;
}

ProblemModel draw_problem(const SimulatorProfile& m, sim::Random& rng) {
  ProblemModel model;
  // Keep p away from exactly 0 and 1 only so that logs stay finite; a Beta
  // draw of 1 - 1e-12 still means "always solved" in a 64-sample pool.
  model.solve_rate = std::clamp(draw_solve_rate(m, rng), 0.0, 1.0);
  const double difficulty = 1.0 - model.solve_rate;

  if (m.verifier_auroc > 0.0) return draw_structured_problem(m, model, rng);

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
  draw_answer_set(m, model, rng);
  return model;
}

void draw_answer_set(const SimulatorProfile& m, ProblemModel& model, sim::Random& rng) {
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
}

ProblemTruth truth_of(const ProblemModel& model) {
  const double p = model.solve_rate;
  double mc = model.correct_scores.mean(), mw = model.wrong_scores.mean();
  double vc = model.correct_scores.variance(), vw = model.wrong_scores.variance();
  if (model.logit_scores) {
    std::tie(mc, vc) = logit_normal_moments(model.correct_logits);
    std::tie(mw, vw) = logit_normal_moments(model.wrong_logits);
  }
  const double mean = p * mc + (1.0 - p) * mw;
  const double second = p * (vc + mc * mc) + (1.0 - p) * (vw + mw * mw);
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

// One of the problem's fixed wrong answers, drawn by their frequencies.
int pick_wrong_answer(const ProblemModel& model, sim::Random& rng) {
  const double u = rng.uniform();
  const auto it = std::lower_bound(model.wrong_answer_cdf.begin(), model.wrong_answer_cdf.end(), u);
  const auto k = std::min<std::size_t>(it - model.wrong_answer_cdf.begin(), model.wrong_answers.size() - 1);
  return model.wrong_answers[k];
}

// A sample of a structured problem; `table` carries the wrong answers stated so far.
Sample draw_structured_sample(const SimulatorProfile& m, const ProblemModel& model,
                              WrongAnswerTable& table, sim::Random& rng) {
  Sample sample;
  const bool correct = rng.uniform() < model.solve_rate;
  const LogitNormalLaw& law = correct ? model.correct_logits : model.wrong_logits;
  sample.score = std::clamp(round6(logistic(law.centre + law.sd * rng.normal())), 0.0, 1.0);
  const double noise = draw_t(m.tokens_sample_t_df, rng);
  const double log_tokens =
      correct ? model.log_length + m.tokens_correct_log_sd * noise
              : model.log_length + m.tokens_wrong_log_shift + m.tokens_wrong_log_sd * noise;
  const double tokens = std::clamp(std::round(std::exp(log_tokens)), 1.0, m.tokens_cap);
  sample.tokens = static_cast<long long>(tokens);
  sample.correct = correct;
  if (correct) {
    sample.answer = std::to_string(model.gold);
    return sample;
  }
  if (tokens >= m.tokens_cap || rng.uniform() < m.wrong_no_answer_prob) return sample;
  if (model.crp_alpha <= 0.0) {
    sample.answer = std::to_string(pick_wrong_answer(model, rng));
    return sample;
  }
  // Chinese restaurant: a new answer with chance alpha / (total + alpha).
  const double u = rng.uniform() * (table.total + model.crp_alpha);
  std::size_t k = 0;
  for (double acc = 0.0; k < table.counts.size(); ++k) {
    acc += table.counts[k];
    if (u < acc) break;
  }
  if (k == table.counts.size()) {
    table.answers.push_back(fresh_answer(model, table.answers, rng));
    table.counts.push_back(0);
  }
  ++table.counts[k];
  ++table.total;
  sample.answer = std::to_string(table.answers[k]);
  return sample;
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
    sample.answer = std::to_string(pick_wrong_answer(model, rng));
  }
  return sample;
}

}  // namespace

SimulatedPool simulate_pool(const SimulatorProfile& profile, int problems, int samples,
                            std::uint64_t seed) {
  require(problems >= 1, "simulate", [&] { return "--problems must be at least 1, got " + std::to_string(problems); });
  require(samples >= 1, "simulate", [&] { return "--samples must be at least 1, got " + std::to_string(samples); });
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
    WrongAnswerTable table;
    for (int j = 0; j < samples; ++j) {
      problem.samples.push_back(model.logit_scores ? draw_structured_sample(profile, model, table, rng)
                                                   : draw_sample(profile, model, rng));
    }
    out.pool.problems.push_back(std::move(problem));
    out.truth.push_back(truth);
  }
  return out;
}

}  // namespace optscale::pool
