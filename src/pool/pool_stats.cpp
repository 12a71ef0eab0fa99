#include "optscale/pool/pool_stats.hpp"

#include <algorithm>
#include <cmath>

#include "optscale/answers/answers.hpp"

namespace optscale::pool {

std::optional<std::string> sample_answer(const Sample& sample) {
  if (sample.answer) return sample.answer;
  if (sample.text) return answers::extract_answer(*sample.text);
  if (sample.dropped) return sample.dropped->answer;
  return std::nullopt;
}

std::optional<bool> sample_correctness(const Problem& problem, const Sample& sample) {
  if (sample.correct) return sample.correct;
  if (!problem.gold) return std::nullopt;
  const auto answer = sample_answer(sample);
  return answer && answers::answers_equivalent(*answer, *problem.gold);
}

int best_of_n_pick(const Problem& problem, int n) {
  const int count = std::min<int>(n, static_cast<int>(problem.samples.size()));
  if (count <= 0) return -1;
  std::vector<double> scores(count);
  for (int i = 0; i < count; ++i) scores[i] = problem.samples[i].score;
  for (;;) {
    const int best = static_cast<int>(std::max_element(scores.begin(), scores.end()) - scores.begin());
    if (!empty_completion(problem.samples[best])) return best;
    scores[best] = 0.0;
    if (*std::max_element(scores.begin(), scores.end()) == 0.0) return -1;
  }
}

std::optional<std::vector<double>> best_of_n_curve(const Pool& pool, int max_n) {
  std::vector<double> curve(std::max(0, max_n), 0.0);
  if (pool.problems.empty()) return std::nullopt;
  for (const Problem& problem : pool.problems) {
    for (int n = 1; n <= max_n; ++n) {
      const int pick = best_of_n_pick(problem, n);
      if (pick < 0) continue;
      const auto correct = sample_correctness(problem, problem.samples[pick]);
      if (!correct) return std::nullopt;
      if (*correct) curve[n - 1] += 1.0;
    }
  }
  for (double& c : curve) c /= static_cast<double>(pool.problems.size());
  return curve;
}

PoolStats compute_pool_stats(const Pool& pool) {
  PoolStatsBuilder builder;
  for (const Problem& problem : pool.problems) builder.add(problem);
  return builder.stats();
}

void PoolStatsBuilder::add(const Problem& problem) {
  const std::size_t m = problem.samples.size();
  s_.min_samples = s_.problems == 0 ? m : std::min(s_.min_samples, m);
  ++s_.problems;
  s_.synthetic = s_.synthetic || problem.synthetic;
  s_.samples += m;
  s_.max_samples = std::max(s_.max_samples, m);
  if (problem.gold) ++s_.problems_with_gold;
  if (problem.prior) {
    ++s_.problems_with_prior;
    if ((*problem.prior)[1] <= 0.0) ++s_.priors_with_nonpositive_sigma;
  }
  // Two-pass per-problem moments: exact for the near-1 scores PRMs produce.
  double mean = 0.0;
  for (const Sample& sample : problem.samples) mean += sample.score;
  mean /= static_cast<double>(m);
  double sq = 0.0;
  bool any_correct = false;
  for (std::size_t i = 0; i < m; ++i) {
    const Sample& sample = problem.samples[i];
    sq += (sample.score - mean) * (sample.score - mean);
    tokens_ += static_cast<double>(sample.tokens);
    score_sum_ += sample.score;
    score_sq_ += sample.score * sample.score;
    if (has_text(sample)) {
      ++s_.samples_with_text;
      if (empty_completion(sample)) ++s_.empty_completions;
    }
    if (sample.answer) ++s_.samples_with_answer;
    if (sample.correct) ++s_.samples_with_correct;
    const auto correct = sample_correctness(problem, sample);
    if (!correct) {
      samples_known_ = false;
      if (i == 0) first_known_ = false;
      continue;
    }
    any_correct = any_correct || *correct;
    if (*correct) ++correct_samples_;
    if (i == 0 && *correct) ++first_correct_;
  }
  if (any_correct) ++oracle_;
  problem_mean_sum_ += mean;
  problem_std_sum_ += std::sqrt(sq / static_cast<double>(m));
  const int pick = best_of_n_pick(problem, static_cast<int>(m));
  if (pick >= 0) {
    const auto correct = sample_correctness(problem, problem.samples[pick]);
    if (!correct) best_known_ = false;
    else if (*correct) ++best_correct_;
  }
}

PoolStats PoolStatsBuilder::stats() const {
  PoolStats s = s_;
  if (s.problems == 0) return s;
  const double n = static_cast<double>(s.samples), p = static_cast<double>(s.problems);
  s.mean_tokens_per_sample = tokens_ / n;
  s.mean_tokens_per_problem = tokens_ / p;
  s.score_mean = score_sum_ / n;
  s.score_std = std::sqrt(std::max(0.0, score_sq_ / n - s.score_mean * s.score_mean));
  s.mean_problem_score_mean = problem_mean_sum_ / p;
  s.mean_problem_score_std = problem_std_sum_ / p;
  if (samples_known_) {
    s.sample_accuracy = static_cast<double>(correct_samples_) / n;
    s.oracle_accuracy = static_cast<double>(oracle_) / p;
  }
  if (first_known_) s.first_sample_accuracy = static_cast<double>(first_correct_) / p;
  if (best_known_) s.best_of_n_accuracy = static_cast<double>(best_correct_) / p;
  return s;
}

}  // namespace optscale::pool
