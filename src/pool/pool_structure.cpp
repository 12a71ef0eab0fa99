// Answer and length structure of a pool (pool_structure.hpp), figure by figure
// as docs/real-pools.md defines them.
#include "optscale/pool/pool_structure.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>

#include "optscale/answers/answer_classes.hpp"
#include "optscale/pool/pool_stats.hpp"
#include "optscale/pool/simulator_calibration.hpp"
#include "optscale/util/error.hpp"
#include "optscale/util/input_file.hpp"
#include "optscale/util/json_limits.hpp"

namespace optscale::pool {
namespace {

double mean_of(const std::vector<double>& v) {
  return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double sd_of(const std::vector<double>& v) {
  if (v.size() < 2) return 0.0;
  const double m = mean_of(v);
  double s = 0.0;
  for (double x : v) s += (x - m) * (x - m);
  return std::sqrt(s / static_cast<double>(v.size()));
}

// P(a < b) + P(a = b) / 2 over all pairs: how often `lower` is below `higher`.
double pair_auroc(const std::vector<double>& lower, const std::vector<double>& higher) {
  double wins = 0.0;
  for (double a : lower)
    for (double b : higher) wins += a < b ? 1.0 : (a == b ? 0.5 : 0.0);
  return wins / static_cast<double>(lower.size() * higher.size());
}

// Whether the majority vote of the first n samples is correct: the class with
// most votes, ties to the class seen first; samples without an answer do not vote.
bool majority_correct(const std::vector<int>& classes, const std::vector<bool>& correct, int n) {
  std::vector<int> order, counts;
  std::vector<bool> class_correct;
  for (int i = 0; i < n; ++i) {
    if (classes[i] < 0) continue;
    const auto it = std::find(order.begin(), order.end(), classes[i]);
    if (it == order.end()) {
      order.push_back(classes[i]);
      counts.push_back(1);
      class_correct.push_back(correct[i]);
    } else {
      ++counts[it - order.begin()];
    }
  }
  if (counts.empty()) return false;
  return class_correct[std::max_element(counts.begin(), counts.end()) - counts.begin()];
}

}  // namespace

StructureFigures compute_structure_figures(const Pool& pool, double token_cap, int max_samples) {
  require(!pool.problems.empty(), "structure figures", "the pool is empty");
  StructureFigures f;
  std::vector<double> accuracy, distinct16, majority16, wrong_classes, length_ratio, length_auroc,
      score_auroc, within_sd, median_log, all_tokens;
  double unanimous = 0.0, ge5 = 0.0, vote64 = 0.0;
  long long samples = 0, at_cap = 0, no_answer = 0, no_answer_at_cap = 0;
  for (const Problem& problem : pool.problems) {
    const int n = std::min<int>(max_samples, static_cast<int>(problem.samples.size()));
    require(n >= 16, "structure figures",
            [&] { return "problem " + problem.id + " has " + std::to_string(n) + " samples; at least 16 needed"; });
    answers::AnswerClasses grouping;
    std::vector<bool> correct(n);
    std::vector<double> log_tokens(n), correct_tokens, wrong_tokens, correct_scores, wrong_scores;
    for (int i = 0; i < n; ++i) {
      const Sample& s = problem.samples[i];
      const auto ok = sample_correctness(problem, s);
      require(ok.has_value(), "structure figures",
              [&] { return "problem " + problem.id + " sample " + std::to_string(i) + ": correctness unknown"; });
      correct[i] = *ok;
      const auto answer = sample_answer(s);
      grouping.add(answer);
      const double tokens = static_cast<double>(s.tokens);
      log_tokens[i] = std::log(std::max(1.0, tokens));
      all_tokens.push_back(tokens);
      (correct[i] ? correct_tokens : wrong_tokens).push_back(tokens);
      (correct[i] ? correct_scores : wrong_scores).push_back(s.score);
      ++samples;
      const bool capped = tokens >= token_cap;
      at_cap += capped;
      if (!answer) {
        ++no_answer;
        no_answer_at_cap += capped;
      }
    }
    const std::vector<int> classes = grouping.classes();
    const double acc = static_cast<double>(correct_tokens.size()) / n;
    accuracy.push_back(acc);
    f.all_correct_share += acc == 1.0;
    f.none_correct_share += acc == 0.0;
    const bool mixed = acc >= 0.5 && acc < 1.0;
    f.mixed_share += mixed;

    std::vector<int> first16(classes.begin(), classes.begin() + 16), seen;
    for (int c : first16)
      if (c >= 0 && std::find(seen.begin(), seen.end(), c) == seen.end()) seen.push_back(c);
    distinct16.push_back(static_cast<double>(seen.size()));
    ge5 += seen.size() >= 5;
    unanimous += seen.size() == 1 && std::count(first16.begin(), first16.end(), -1) == 0;
    int top = 0;
    for (int c : seen) top = std::max<int>(top, static_cast<int>(std::count(first16.begin(), first16.end(), c)));
    majority16.push_back(top / 16.0);

    // Per mixed problem: here any with both correct and wrong samples.
    if (acc > 0.0 && acc < 1.0) {
      std::vector<int> wrong_seen;
      for (int i = 0; i < n; ++i) {
        if (!correct[i] && classes[i] >= 0 &&
            std::find(wrong_seen.begin(), wrong_seen.end(), classes[i]) == wrong_seen.end())
          wrong_seen.push_back(classes[i]);
      }
      wrong_classes.push_back(static_cast<double>(wrong_seen.size()));
      length_ratio.push_back(quantile(wrong_tokens, 0.5) / quantile(correct_tokens, 0.5));
    }
    if (!correct_tokens.empty() && !wrong_tokens.empty()) {
      length_auroc.push_back(pair_auroc(correct_tokens, wrong_tokens));
      score_auroc.push_back(pair_auroc(wrong_scores, correct_scores));
    }
    vote64 += majority_correct(classes, correct, n);
    within_sd.push_back(sd_of(log_tokens));
    median_log.push_back(quantile(log_tokens, 0.5));
  }
  const double problems = static_cast<double>(pool.problems.size());
  f.mean_accuracy = mean_of(accuracy);
  f.all_correct_share /= problems;
  f.none_correct_share /= problems;
  f.mixed_share /= problems;
  f.distinct_first16_mean = mean_of(distinct16);
  f.distinct_first16_ge5_share = ge5 / problems;
  f.unanimous_first16_share = unanimous / problems;
  f.majority_share_first16 = mean_of(majority16);
  f.wrong_classes_per_mixed = mean_of(wrong_classes);
  // n = 1: the expected accuracy of one sample (not the first one's, which
  // carries one order's noise).
  f.majority_gain_1_to_64 = vote64 / problems - f.mean_accuracy;
  f.tokens_median = quantile(all_tokens, 0.5);
  f.tokens_q99_over_median = quantile(all_tokens, 0.99) / f.tokens_median;
  f.cap_share = static_cast<double>(at_cap) / static_cast<double>(samples);
  f.within_problem_log_tokens_sd = quantile(within_sd, 0.5);
  f.across_problem_median_log_tokens_sd = sd_of(median_log);
  f.wrong_over_correct_median_length = length_ratio.empty() ? 0.0 : quantile(length_ratio, 0.5);
  f.shorter_is_correct_auroc = mean_of(length_auroc);
  f.no_answer_share = static_cast<double>(no_answer) / static_cast<double>(samples);
  f.no_answer_at_cap_share =
      no_answer == 0 ? 0.0 : static_cast<double>(no_answer_at_cap) / static_cast<double>(no_answer);
  f.verifier_auroc = mean_of(score_auroc);
  return f;
}

std::vector<std::pair<std::string, double>> structure_figure_values(const StructureFigures& f) {
  return {{"mean_accuracy", f.mean_accuracy},
          {"all_correct_share", f.all_correct_share},
          {"none_correct_share", f.none_correct_share},
          {"mixed_share", f.mixed_share},
          {"distinct_first16_mean", f.distinct_first16_mean},
          {"distinct_first16_ge5_share", f.distinct_first16_ge5_share},
          {"unanimous_first16_share", f.unanimous_first16_share},
          {"majority_share_first16", f.majority_share_first16},
          {"wrong_classes_per_mixed", f.wrong_classes_per_mixed},
          {"majority_gain_1_to_64", f.majority_gain_1_to_64},
          {"tokens_median", f.tokens_median},
          {"tokens_q99_over_median", f.tokens_q99_over_median},
          {"cap_share", f.cap_share},
          {"within_problem_log_tokens_sd", f.within_problem_log_tokens_sd},
          {"across_problem_median_log_tokens_sd", f.across_problem_median_log_tokens_sd},
          {"wrong_over_correct_median_length", f.wrong_over_correct_median_length},
          {"shorter_is_correct_auroc", f.shorter_is_correct_auroc},
          {"no_answer_share", f.no_answer_share},
          {"no_answer_at_cap_share", f.no_answer_at_cap_share},
          {"verifier_auroc", f.verifier_auroc}};
}

std::vector<StructureTarget> load_structure_targets(const std::filesystem::path& file) {
  std::ifstream in = open_for_reading(file, "structure targets file");
  const nlohmann::json json = util::parse_json(std::string(std::istreambuf_iterator<char>(in), {}), file.string());
  std::vector<StructureTarget> out;
  try {
    for (const auto& item : json.at("figures")) {
      StructureTarget t;
      t.figure = item.at("figure").get<std::string>();
      t.low = item.at("low").get<double>();
      t.high = item.at("high").get<double>();
      if (item.contains("named")) t.named = item.at("named").get<std::map<std::string, double>>();
      out.push_back(std::move(t));
    }
  } catch (const nlohmann::json::exception& e) {
    throw Error(file.string() + ": figures: " + e.what());
  }
  return out;
}

std::vector<std::string> structure_misses(const StructureFigures& figures,
                                          const std::vector<StructureTarget>& targets,
                                          const std::string& profile) {
  const auto values = structure_figure_values(figures);
  std::vector<std::string> misses;
  for (const StructureTarget& t : targets) {
    const auto it = std::find_if(values.begin(), values.end(),
                                 [&](const auto& v) { return v.first == t.figure; });
    if (it == values.end()) {
      misses.push_back(t.figure + ": not a structure figure");
      continue;
    }
    const double v = it->second;
    const auto named = t.named.find(profile);
    if (named != t.named.end()) {
      if (std::abs(v - named->second) > 0.1 * std::abs(named->second))
        misses.push_back(t.figure + " = " + std::to_string(v) + ": more than 10% from " + profile +
                         "'s " + std::to_string(named->second));
    } else if (v < t.low || v > t.high) {
      misses.push_back(t.figure + " = " + std::to_string(v) + ": outside the real range [" +
                       std::to_string(t.low) + ", " + std::to_string(t.high) + "]");
    }
  }
  return misses;
}

}  // namespace optscale::pool
