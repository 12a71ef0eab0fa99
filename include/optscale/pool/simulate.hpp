// Simulated scored pools (docs/simulator.md): a generative model of what a
// generator + PRM produce per problem, deliberately NOT a truncated normal, so
// that policies built on the truncated-normal assumption are tested against a
// law they do not assume. Constants are calibrated per profile against the real
// labels and the published Best-of-N curve (simulator_calibration.hpp).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "optscale/pool/pool.hpp"

namespace optscale::pool {

// Every constant of the model; the meaning of each is in docs/simulator.md and
// in the table of simulator_parameters().
struct SimulatorProfile {
  std::string name;

  // Solve rate p: a mixture of three Beta components (easy / mixed / hard).
  double weight_mixed = 0.0, weight_hard = 0.0;  // easy weight = 1 - both
  double easy_a = 0.0, easy_b = 0.0;
  double mixed_a = 0.0, mixed_b = 0.0;
  double hard_a = 0.0, hard_b = 0.0;

  // Scores of correct samples: Beta with mean 1 - d and second shape b_c, where
  // the deficit d is log-normal per problem and grows with difficulty (1 - p).
  double correct_deficit_median = 0.0, correct_deficit_log_sd = 0.0;
  double correct_deficit_difficulty_slope = 0.0;  // log d += slope * (1 - p)
  double correct_shape_b_median = 0.0, correct_shape_b_log_sd = 0.0;
  double correct_deficit_max = 0.0;

  // Scores of wrong samples: Beta with a per-problem mean and concentration
  // `wrong_concentration`. Usually the verifier discriminates: the mean is
  // logistic(N(wrong_mean_logit, wrong_mean_logit_sd)), whatever correct
  // samples score. With probability `fooled_weight` it is fooled on this
  // problem: the mean is logistic(logit(correct mean) - gap) with the gap
  // ~ N(fooled_gap_mean, fooled_gap_sd), usually <= 0 (wrong samples score like
  // correct ones or higher).
  double wrong_mean_logit = 0.0, wrong_mean_logit_sd = 0.0;
  double fooled_weight = 0.0, fooled_gap_mean = 0.0, fooled_gap_sd = 0.0;
  double wrong_concentration = 0.0;

  // Completion tokens: log-normal around a per-problem length that grows with
  // difficulty; wrong samples are longer and more spread; capped like the
  // generator's max_new_tokens (a wrong sample at the cap has no answer).
  double tokens_median = 0.0, tokens_problem_log_sd = 0.0;
  double tokens_difficulty_slope = 0.0;  // log length += slope * (1 - p)
  double tokens_correct_log_sd = 0.0;
  double tokens_wrong_log_shift = 0.0, tokens_wrong_log_sd = 0.0;
  double tokens_cap = 0.0;

  // Wrong answers: 1 + Poisson(mean) distinct values per problem (at most
  // `wrong_answers_max`), drawn with weights ratio^k, ratio ~ U(lo, hi).
  double wrong_answers_extra_mean = 0.0, wrong_answers_max = 0.0;
  double wrong_answer_ratio_lo = 0.0, wrong_answer_ratio_hi = 0.0;

  // The prior a realistic predictor would give: for x in {mu, sigma},
  // prior = centre + shrink * (true - centre) + noise_sd * N(0, 1),
  // then mu clipped to [0, 1] and sigma to >= prior_sigma_floor.
  double prior_mu_centre = 0.0, prior_mu_shrink = 0.0, prior_mu_noise_sd = 0.0;
  double prior_sigma_centre = 0.0, prior_sigma_shrink = 0.0, prior_sigma_noise_sd = 0.0;
  double prior_sigma_floor = 0.0;

  // Structure of real reasoning models (profiles strong-reasoner and
  // mixed-reasoner, docs/simulator.md "Profiles fitted to real pools"). Every
  // one is 0 in math500, which keeps its PRM mixture and its exact draws.
  //
  // Scores: 0 selects math500's Beta mixture above. A value in [0.5, 0.95]
  // selects a logit-normal verifier whose within-problem AUROC (a correct
  // sample outscores a wrong one of the same problem) is exactly that value:
  // logit(score) ~ N(c, score_logit_sd) for correct samples and
  // N(c - sqrt(2) * score_logit_sd * Phi^-1(auroc), score_logit_sd) for wrong
  // ones, with a per-problem centre c ~ N(score_logit_mean, score_logit_problem_sd).
  double verifier_auroc = 0.0;
  double score_logit_mean = 0.0, score_logit_problem_sd = 0.0, score_logit_sd = 0.0;
  // Wrong answers as a Chinese restaurant process per problem (a long tail of
  // classes): the k-th answered wrong sample states a new answer with chance
  // alpha / (k + alpha), else repeats one in proportion to its count; alpha is
  // log-normal per problem. 0 keeps the fixed set of wrong_answers_*.
  // Harder problems scatter more: log alpha += slope * (1 - p).
  double wrong_answers_crp_median = 0.0, wrong_answers_crp_log_sd = 0.0;
  double wrong_answers_crp_difficulty_slope = 0.0;
  // Chance that a wrong sample below the cap states no answer.
  double wrong_no_answer_prob = 0.0;
  // Heavy tails of lengths: Student-t degrees of freedom of the per-problem
  // log length and of each sample's log-length noise (0: normal).
  double tokens_problem_t_df = 0.0, tokens_sample_t_df = 0.0;
};

// The calibrated profile of that name; throws optscale::Error for an unknown one.
// strong-reasoner and mixed-reasoner take a verifier strength (the within-problem
// AUROC of the score, 0.5..0.95); math500 has its own PRM and takes none.
SimulatorProfile simulator_profile(std::string_view name);
inline constexpr double kDefaultVerifierAuroc = 0.75;
SimulatorProfile simulator_profile(std::string_view name, double verifier_auroc);
std::vector<std::string> simulator_profile_names();

// Throws optscale::Error naming the first constant outside its valid range
// (weights in [0, 1] summing to at most 1, shapes and scales > 0, ...).
void validate_simulator_profile(const SimulatorProfile& profile);

// (name, value) of every constant, in declaration order, and setting one by
// name (for calibration experiments: `optscale simulate --param key=value`).
std::vector<std::pair<std::string, double>> simulator_parameters(const SimulatorProfile& profile);
void set_simulator_parameter(SimulatorProfile& profile, std::string_view name, double value);

// What the model knows of each problem and a predictor would estimate.
struct ProblemTruth {
  double solve_rate = 0.0;   // P(a sample is correct)
  double score_mean = 0.0;   // mean of the problem's score law (mixture)
  double score_std = 0.0;    // its standard deviation
};

struct SimulatedPool {
  Pool pool;
  std::vector<ProblemTruth> truth;  // one per problem, same order
};

// Draws `problems` problems of `samples` samples each. Problem i depends only on
// (profile, seed, i), and its first k samples do not depend on `samples`, so a
// smaller pool is a prefix of a larger one. Same arguments, same pool.
SimulatedPool simulate_pool(const SimulatorProfile& profile, int problems, int samples,
                            std::uint64_t seed);

}  // namespace optscale::pool
