// How close a simulated pool is to the real thing: the across-problem
// distribution of per-problem score mean and std against the real labels
// (predictor_training/train_mu_sigma.json), the Best-of-N and majority-vote
// curves and tokens per sample against the published MATH500 results, and the
// simulated prior's error against the figures a real predictor reaches.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "optscale/pool/simulate.hpp"

namespace optscale::pool {

// What a predictor is required to reach on real labels; the simulated prior
// is calibrated to err like that.
inline constexpr double kTargetPriorMuMae = 0.032;
inline constexpr double kTargetPriorMuSpearman = 0.5;
inline constexpr double kTargetPriorSigmaMae = 0.023;
inline constexpr double kTargetPriorSigmaSpearman = 0.45;

struct CalibrationReference {
  std::vector<double> label_means, label_stds;      // one per real training problem
  std::vector<double> bon_accuracy;                 // N = 1..64
  std::vector<double> bon_tokens_per_sample;        // published token_count / N
  std::vector<double> majority_accuracy;            // N = 1..64
};

// Reads the reference files for the profile's dataset under `shared_data`
// (the folder holding optscale-reference/); throws optscale::Error naming the
// file when one is missing or malformed.
CalibrationReference load_calibration_reference(const std::filesystem::path& shared_data,
                                                const std::string& profile);

struct QuantileComparison {
  double level = 0.0, simulated = 0.0, reference = 0.0;
};

struct CurveComparison {
  int n = 0;
  double simulated = 0.0, reference = 0.0;
};

struct PriorError {
  double mae = 0.0, spearman = 0.0;
};

struct CalibrationReport {
  std::string profile;
  int problems = 0, samples = 0;
  std::uint64_t seed = 0;
  std::vector<QuantileComparison> mean_quantiles, std_quantiles;
  std::vector<CurveComparison> best_of_n, majority;
  double best_of_n_max_abs_difference = 0.0;   // over N = 1..min(64, samples)
  double majority_max_abs_difference = 0.0;
  double mean_quantiles_max_abs_difference = 0.0, std_quantiles_max_abs_difference = 0.0;
  double tokens_per_sample_simulated = 0.0, tokens_per_sample_reference = 0.0;
  double solve_rate_mean = 0.0;
  // Of the simulated prior, against the problem's true score moments and
  // against the sample moments of its pool (the analogue of real labels).
  PriorError prior_mu_vs_truth, prior_sigma_vs_truth, prior_mu_vs_sample, prior_sigma_vs_sample;
};

// Compares a simulated pool (with its truths) to the reference figures.
CalibrationReport compare_with_reference(const SimulatedPool& simulated,
                                         const CalibrationReference& reference,
                                         std::uint64_t seed);

// Human-readable tables (the report says SIMULATED), and the same as JSON.
std::string format_calibration_report(const CalibrationReport& report);
std::string calibration_report_json(const CalibrationReport& report);

// Linear-interpolation quantile (type 7) of unsorted values; `level` in [0, 1].
double quantile(std::vector<double> values, double level);

// Spearman rank correlation (average ranks for ties); NaN when either side is constant.
double spearman(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace optscale::pool
