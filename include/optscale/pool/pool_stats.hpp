// Summaries of a pool: sizes, tokens, scores and, where correctness is known,
// first-sample and Best-of-N accuracy (`optscale pool stats`, the simulator's
// calibration report).
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "optscale/pool/pool.hpp"

namespace optscale::pool {

// The sample's final answer: its `answer` field, else the answer extracted from
// its `text` (answers::extract_answer), or the one extracted when its text was
// dropped at reading; nullopt when it has neither.
std::optional<std::string> sample_answer(const Sample& sample);

// Whether the sample is correct: its `correct` field when present; else, when
// the problem has a gold answer, whether the sample's answer is equivalent to
// it (no answer = wrong); nullopt when neither is known.
std::optional<bool> sample_correctness(const Problem& problem, const Sample& sample);

// The reference implementation's Best-of-N pick among the first `n` samples
// (paper-spec §4): the first highest score; an empty completion (text "") is
// passed over by zeroing its score, and when nothing above 0 is left there is no
// pick (-1, which counts as wrong).
int best_of_n_pick(const Problem& problem, int n);

// Best-of-N accuracy for N = 1..max_n with samples in pool order (a problem
// with fewer than N samples uses all it has); nullopt when the correctness of
// some pick is unknown.
std::optional<std::vector<double>> best_of_n_curve(const Pool& pool, int max_n);

struct PoolStats {
  std::size_t problems = 0, samples = 0;
  std::size_t min_samples = 0, max_samples = 0;   // per problem
  double mean_tokens_per_sample = 0.0;
  double mean_tokens_per_problem = 0.0;           // all of a problem's samples
  double score_mean = 0.0, score_std = 0.0;       // over every sample
  double mean_problem_score_mean = 0.0;           // across problems, of per-problem mean
  double mean_problem_score_std = 0.0;            // across problems, of per-problem population std
  std::size_t problems_with_gold = 0, problems_with_prior = 0;
  std::size_t priors_with_nonpositive_sigma = 0;
  std::size_t samples_with_text = 0, samples_with_answer = 0, samples_with_correct = 0;
  std::size_t empty_completions = 0;
  bool synthetic = false;
  // Present when correctness is known for every sample / every pick involved.
  std::optional<double> sample_accuracy;          // fraction of samples that are correct
  std::optional<double> first_sample_accuracy;    // sample 0 of each problem
  std::optional<double> best_of_n_accuracy;       // best_of_n_pick over all samples
  std::optional<double> oracle_accuracy;          // some sample is correct (pass@all)
};

PoolStats compute_pool_stats(const Pool& pool);

// The same one problem at a time (pool::for_each_problem), so that
// `optscale pool stats` keeps no problem in memory: add() each, then stats().
class PoolStatsBuilder {
 public:
  void add(const Problem& problem);
  PoolStats stats() const;

 private:
  PoolStats s_;
  double tokens_ = 0.0, score_sum_ = 0.0, score_sq_ = 0.0;
  double problem_mean_sum_ = 0.0, problem_std_sum_ = 0.0;
  std::size_t correct_samples_ = 0, first_correct_ = 0, best_correct_ = 0, oracle_ = 0;
  bool samples_known_ = true, first_known_ = true, best_known_ = true;
};

}  // namespace optscale::pool
