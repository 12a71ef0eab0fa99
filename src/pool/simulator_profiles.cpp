// The simulator's calibrated profiles and the name table of its constants.
// How each number was obtained: docs/simulator.md ("Calibration").
#include <algorithm>
#include <cmath>
#include <string>

#include "optscale/pool/simulate.hpp"
#include "optscale/util/error.hpp"

namespace optscale::pool {
namespace {

struct ParameterEntry {
  const char* name;
  double SimulatorProfile::*member;
};

constexpr ParameterEntry kParameters[] = {
    {"weight_mixed", &SimulatorProfile::weight_mixed},
    {"weight_hard", &SimulatorProfile::weight_hard},
    {"easy_a", &SimulatorProfile::easy_a},
    {"easy_b", &SimulatorProfile::easy_b},
    {"mixed_a", &SimulatorProfile::mixed_a},
    {"mixed_b", &SimulatorProfile::mixed_b},
    {"hard_a", &SimulatorProfile::hard_a},
    {"hard_b", &SimulatorProfile::hard_b},
    {"correct_deficit_median", &SimulatorProfile::correct_deficit_median},
    {"correct_deficit_log_sd", &SimulatorProfile::correct_deficit_log_sd},
    {"correct_deficit_difficulty_slope", &SimulatorProfile::correct_deficit_difficulty_slope},
    {"correct_shape_b_median", &SimulatorProfile::correct_shape_b_median},
    {"correct_shape_b_log_sd", &SimulatorProfile::correct_shape_b_log_sd},
    {"correct_deficit_max", &SimulatorProfile::correct_deficit_max},
    {"wrong_mean_logit", &SimulatorProfile::wrong_mean_logit},
    {"wrong_mean_logit_sd", &SimulatorProfile::wrong_mean_logit_sd},
    {"fooled_weight", &SimulatorProfile::fooled_weight},
    {"fooled_gap_mean", &SimulatorProfile::fooled_gap_mean},
    {"fooled_gap_sd", &SimulatorProfile::fooled_gap_sd},
    {"wrong_concentration", &SimulatorProfile::wrong_concentration},
    {"tokens_median", &SimulatorProfile::tokens_median},
    {"tokens_problem_log_sd", &SimulatorProfile::tokens_problem_log_sd},
    {"tokens_difficulty_slope", &SimulatorProfile::tokens_difficulty_slope},
    {"tokens_correct_log_sd", &SimulatorProfile::tokens_correct_log_sd},
    {"tokens_wrong_log_shift", &SimulatorProfile::tokens_wrong_log_shift},
    {"tokens_wrong_log_sd", &SimulatorProfile::tokens_wrong_log_sd},
    {"tokens_cap", &SimulatorProfile::tokens_cap},
    {"wrong_answers_extra_mean", &SimulatorProfile::wrong_answers_extra_mean},
    {"wrong_answers_max", &SimulatorProfile::wrong_answers_max},
    {"wrong_answer_ratio_lo", &SimulatorProfile::wrong_answer_ratio_lo},
    {"wrong_answer_ratio_hi", &SimulatorProfile::wrong_answer_ratio_hi},
    {"prior_mu_centre", &SimulatorProfile::prior_mu_centre},
    {"prior_mu_shrink", &SimulatorProfile::prior_mu_shrink},
    {"prior_mu_noise_sd", &SimulatorProfile::prior_mu_noise_sd},
    {"prior_sigma_centre", &SimulatorProfile::prior_sigma_centre},
    {"prior_sigma_shrink", &SimulatorProfile::prior_sigma_shrink},
    {"prior_sigma_noise_sd", &SimulatorProfile::prior_sigma_noise_sd},
    {"prior_sigma_floor", &SimulatorProfile::prior_sigma_floor},
};

// MATH500 with DeepSeek-R1-Distill-Qwen-7B and Qwen2.5-Math-PRM-7B, calibrated
// against predictor_training/train_mu_sigma.json and the published MATH500
// Best-of-N and majority curves (docs/simulator.md, "Calibration").
// Fitted by tools/calibration/tune_simulator.py on seeds 101 and 202, 4,000
// problems each: the solve-rate mixture, correct/wrong score laws, fooled
// component and tokens_median (stage "shape"), then the prior_* centres,
// shrinks and noises (stage "prior"). Set by hand, not fitted:
// correct_deficit_max, the other tokens_* constants (R1-style lengths: wrong
// solutions ~2.5x longer, the 10,000-token cap of the reference generation),
// the wrong_answers_* constants and prior_sigma_floor.
SimulatorProfile math500_profile() {
  SimulatorProfile m;
  m.name = "math500";
  m.weight_mixed = 0.1303;
  m.weight_hard = 0.03357;
  m.easy_a = 8.007;
  m.easy_b = 0.1952;
  m.mixed_a = 1.674;
  m.mixed_b = 1.037;
  m.hard_a = 0.2734;
  m.hard_b = 39.21;
  m.correct_deficit_median = 0.04487;
  m.correct_deficit_log_sd = 0.5995;
  m.correct_deficit_difficulty_slope = 0.5097;
  m.correct_shape_b_median = 1.033;
  m.correct_shape_b_log_sd = 0.4909;
  m.correct_deficit_max = 0.4;
  m.wrong_mean_logit = 1.341;
  m.wrong_mean_logit_sd = 0.5116;
  m.fooled_weight = 0.0831;
  m.fooled_gap_mean = -0.6129;
  m.fooled_gap_sd = 0.4743;
  m.wrong_concentration = 11.75;
  m.tokens_median = 1828;
  m.tokens_problem_log_sd = 0.45;
  m.tokens_difficulty_slope = 1.0;
  m.tokens_correct_log_sd = 0.3;
  m.tokens_wrong_log_shift = 0.9;
  m.tokens_wrong_log_sd = 0.5;
  m.tokens_cap = 10000.0;
  m.wrong_answers_extra_mean = 1.2;
  m.wrong_answers_max = 6.0;
  m.wrong_answer_ratio_lo = 0.2;
  m.wrong_answer_ratio_hi = 0.8;
  m.prior_mu_centre = 0.9339;
  m.prior_mu_shrink = 0.4086;
  m.prior_mu_noise_sd = 0.02865;
  m.prior_sigma_centre = 0.06088;
  m.prior_sigma_shrink = 0.238;
  m.prior_sigma_noise_sd = 0.01657;
  m.prior_sigma_floor = 0.001;
  return m;
}

}  // namespace

SimulatorProfile simulator_profile(std::string_view name) {
  if (name == "math500") return math500_profile();
  std::string known;
  for (const auto& n : simulator_profile_names()) known += (known.empty() ? "" : ", ") + n;
  throw Error("simulator profile \"" + std::string(name) + "\": unknown (known: " + known + ")");
}

void validate_simulator_profile(const SimulatorProfile& m) {
  auto check = [&](bool ok, const char* name, double value, const char* rule) {
    if (!ok) {
      throw Error("simulator profile \"" + m.name + "\": " + name + " = " + std::to_string(value) +
                  ": " + rule);
    }
  };
  auto positive = [&](const char* name, double value) {
    check(value > 0.0 && std::isfinite(value), name, value, "must be > 0");
  };
  auto non_negative = [&](const char* name, double value) {
    check(value >= 0.0 && std::isfinite(value), name, value, "must be >= 0");
  };
  auto finite = [&](const char* name, double value) {
    check(std::isfinite(value), name, value, "must be finite");
  };
  for (const auto& entry : kParameters) finite(entry.name, m.*entry.member);
  non_negative("weight_mixed", m.weight_mixed);
  non_negative("weight_hard", m.weight_hard);
  check(m.weight_mixed + m.weight_hard <= 1.0, "weight_mixed + weight_hard",
        m.weight_mixed + m.weight_hard, "must be <= 1");
  for (const char* name : {"easy_a", "easy_b", "mixed_a", "mixed_b", "hard_a", "hard_b",
                           "correct_deficit_median", "correct_shape_b_median",
                           "wrong_concentration", "tokens_median", "wrong_answer_ratio_lo"}) {
    for (const auto& entry : kParameters) {
      if (std::string_view(entry.name) == name) positive(name, m.*entry.member);
    }
  }
  check(m.fooled_weight >= 0.0 && m.fooled_weight <= 1.0, "fooled_weight", m.fooled_weight,
        "must be in [0, 1]");
  for (const char* name : {"correct_deficit_log_sd", "correct_shape_b_log_sd", "wrong_mean_logit_sd",
                           "fooled_gap_sd",
                           "tokens_problem_log_sd", "tokens_correct_log_sd", "tokens_wrong_log_sd",
                           "wrong_answers_extra_mean", "prior_mu_noise_sd", "prior_sigma_noise_sd",
                           "prior_sigma_floor"}) {
    for (const auto& entry : kParameters) {
      if (std::string_view(entry.name) == name) non_negative(name, m.*entry.member);
    }
  }
  check(m.correct_deficit_max > 0.0 && m.correct_deficit_max < 1.0, "correct_deficit_max",
        m.correct_deficit_max, "must be in (0, 1)");
  check(m.tokens_cap >= 1.0, "tokens_cap", m.tokens_cap, "must be >= 1");
  check(m.wrong_answers_max >= 1.0 && m.wrong_answers_max <= 100.0, "wrong_answers_max",
        m.wrong_answers_max, "must be in [1, 100]");
  check(m.wrong_answers_extra_mean <= 50.0, "wrong_answers_extra_mean", m.wrong_answers_extra_mean,
        "must be <= 50");
  check(m.wrong_answer_ratio_hi >= m.wrong_answer_ratio_lo && m.wrong_answer_ratio_hi <= 1.0,
        "wrong_answer_ratio_hi", m.wrong_answer_ratio_hi, "must be in [wrong_answer_ratio_lo, 1]");
}

std::vector<std::string> simulator_profile_names() { return {"math500"}; }

std::vector<std::pair<std::string, double>> simulator_parameters(const SimulatorProfile& profile) {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& entry : kParameters) out.emplace_back(entry.name, profile.*entry.member);
  return out;
}

void set_simulator_parameter(SimulatorProfile& profile, std::string_view name, double value) {
  for (const auto& entry : kParameters) {
    if (name == entry.name) {
      profile.*entry.member = value;
      return;
    }
  }
  std::string known;
  for (const auto& entry : kParameters) known += std::string(known.empty() ? "" : ", ") + entry.name;
  throw Error("simulator parameter \"" + std::string(name) + "\": unknown; the parameters are " + known +
              " (`optscale simulate --show-params` prints them with their values)");
}

}  // namespace optscale::pool
