// The answer and length structure of a pool, as docs/real-pools.md measures it
// on real reasoning models (the figures the fitted simulator profiles are held
// to: data/real-pools-math500.json). Answers are grouped with optscale's own
// equivalence; correctness is pool_stats' sample_correctness.
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "optscale/pool/pool.hpp"

namespace optscale::pool {

struct StructureFigures {
  double mean_accuracy = 0.0;          // mean per-problem accuracy of one sample
  double all_correct_share = 0.0;      // problems with every sample correct
  double none_correct_share = 0.0;     // problems with no sample correct
  double mixed_share = 0.0;            // problems with 0.5 <= accuracy < 1
  double distinct_first16_mean = 0.0;  // distinct answers among the first 16 samples
  double distinct_first16_ge5_share = 0.0;
  double unanimous_first16_share = 0.0;   // the first 16 all state one answer
  double majority_share_first16 = 0.0;    // top class's share of the first 16
  double wrong_classes_per_mixed = 0.0;   // distinct wrong answers, problems with 0 < accuracy < 1
  double majority_gain_1_to_64 = 0.0;     // majority-vote accuracy at n = 64 minus mean_accuracy
  double tokens_median = 0.0;             // over every sample
  double tokens_q99_over_median = 0.0;
  double cap_share = 0.0;                 // samples at the token cap
  double within_problem_log_tokens_sd = 0.0;   // median over problems
  double across_problem_median_log_tokens_sd = 0.0;
  double wrong_over_correct_median_length = 0.0;  // median over problems with 0 < accuracy < 1
  double shorter_is_correct_auroc = 0.0;          // mean over problems with both
  double no_answer_share = 0.0;                    // samples without an answer
  double no_answer_at_cap_share = 0.0;             // of those, the share at the cap
  double verifier_auroc = 0.0;  // a correct sample outscores a wrong one (mean over problems)
};

// Figures of the first `max_samples` samples of every problem; `token_cap` is
// the generator's cap (samples with tokens >= it are "at the cap"). Throws
// optscale::Error when a sample's correctness is unknown or a problem has
// fewer than 16 samples.
StructureFigures compute_structure_figures(const Pool& pool, double token_cap, int max_samples = 64);

// (name, value) in declaration order: the names used by the targets file.
std::vector<std::pair<std::string, double>> structure_figure_values(const StructureFigures& figures);

// The real-pool targets: per figure, the range over the seven models and,
// where one model lies outside it, that model's value under its profile name.
struct StructureTarget {
  std::string figure;
  double low = 0.0, high = 0.0;
  std::map<std::string, double> named;  // profile -> that model's value
};
std::vector<StructureTarget> load_structure_targets(const std::filesystem::path& file);

// Every figure of `figures` that misses its target for `profile` (outside the
// range, or more than 10% from the named model's value), one line each.
std::vector<std::string> structure_misses(const StructureFigures& figures,
                                          const std::vector<StructureTarget>& targets,
                                          const std::string& profile);

}  // namespace optscale::pool
