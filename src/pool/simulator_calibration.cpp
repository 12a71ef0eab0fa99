#include "optscale/pool/simulator_calibration.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <numeric>
#include <sstream>

#include "optscale/pool/pool_stats.hpp"
#include "optscale/util/error.hpp"
#include "optscale/util/json_limits.hpp"

namespace optscale::pool {
namespace {

constexpr double kQuantileLevels[] = {0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95};
constexpr int kCurveLength = 64;

nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw Error(path.string() + ": cannot open (is --shared-data right?)");
  try {
    return util::parse_json(std::string(std::istreambuf_iterator<char>(in), {}), path.string());
  } catch (const util::JsonInputError& e) {
    if (e.kind() != util::JsonInputError::Kind::syntax) throw;
    throw Error(path.string() + ": invalid JSON: " + e.reason());
  }
}

// A published curve: a list of objects with the accuracy under `key`.
std::vector<double> read_curve(const std::filesystem::path& path, const char* key,
                               const char* tokens_key, std::vector<double>* tokens_per_sample) {
  const auto json = read_json(path);
  if (!json.is_array() || json.size() < kCurveLength) {
    throw Error(path.string() + ": expected a list of at least 64 results");
  }
  std::vector<double> curve;
  for (std::size_t i = 0; i < kCurveLength; ++i) {
    const auto& row = json[i];
    if (!row.is_object() || !row.contains(key) || !row[key].is_number()) {
      throw Error(path.string() + ": [" + std::to_string(i) + "]." + key + ": missing number");
    }
    curve.push_back(row[key].get<double>());
    if (tokens_per_sample) {
      if (!row.contains(tokens_key) || !row[tokens_key].is_number()) {
        throw Error(path.string() + ": [" + std::to_string(i) + "]." + tokens_key +
                    ": missing number");
      }
      tokens_per_sample->push_back(row[tokens_key].get<double>() / static_cast<double>(i + 1));
    }
  }
  return curve;
}

std::vector<double> ranks(const std::vector<double>& values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  std::vector<double> r(values.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]]) ++j;
    const double average = 0.5 * static_cast<double>(i + j) + 1.0;
    for (std::size_t k = i; k <= j; ++k) r[order[k]] = average;
    i = j + 1;
  }
  return r;
}

PriorError prior_error(const std::vector<double>& predicted, const std::vector<double>& actual) {
  PriorError e;
  for (std::size_t i = 0; i < predicted.size(); ++i) e.mae += std::fabs(predicted[i] - actual[i]);
  e.mae /= static_cast<double>(predicted.size());
  e.spearman = spearman(predicted, actual);
  return e;
}

// Majority vote over the first n raw answers (no answer is a candidate too),
// ties to the answer seen first, as the reference's SC; correct when the first
// sample carrying the winning answer is.
bool majority_correct(const Problem& problem, int n) {
  const int count = std::min<int>(n, static_cast<int>(problem.samples.size()));
  std::map<std::optional<std::string>, std::pair<int, int>> votes;  // answer -> (count, first index)
  for (int i = 0; i < count; ++i) {
    auto [it, inserted] = votes.try_emplace(sample_answer(problem.samples[i]), 0, i);
    ++it->second.first;
  }
  int best_count = 0, best_first = 0;
  for (const auto& [answer, tally] : votes) {
    if (tally.first > best_count || (tally.first == best_count && tally.second < best_first)) {
      best_count = tally.first;
      best_first = tally.second;
    }
  }
  return sample_correctness(problem, problem.samples[best_first]).value_or(false);
}

double max_abs_difference(const std::vector<CurveComparison>& rows) {
  double worst = 0.0;
  for (const auto& r : rows) worst = std::max(worst, std::fabs(r.simulated - r.reference));
  return worst;
}

double max_abs_difference(const std::vector<QuantileComparison>& rows) {
  double worst = 0.0;
  for (const auto& r : rows) worst = std::max(worst, std::fabs(r.simulated - r.reference));
  return worst;
}

std::string fixed(double x, int digits) {
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(digits);
  out << x;
  return out.str();
}

}  // namespace

double quantile(std::vector<double> values, double level) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  const double h = level * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (h - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  const std::vector<double> rx = ranks(x), ry = ranks(y);
  const double n = static_cast<double>(x.size());
  const double mean = (n + 1.0) / 2.0;
  double sxy = 0.0, sxx = 0.0, syy = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (rx[i] - mean) * (ry[i] - mean);
    sxx += (rx[i] - mean) * (rx[i] - mean);
    syy += (ry[i] - mean) * (ry[i] - mean);
  }
  if (sxx == 0.0 || syy == 0.0) return std::numeric_limits<double>::quiet_NaN();
  return sxy / std::sqrt(sxx * syy);
}

CalibrationReference load_calibration_reference(const std::filesystem::path& shared_data,
                                                const std::string& profile) {
  if (profile != "math500") {
    throw Error("calibration reference: no published figures for profile \"" + profile + "\"");
  }
  const auto root = shared_data / "optscale-reference";
  CalibrationReference ref;
  const auto labels_path = root / "predictor_training" / "train_mu_sigma.json";
  const auto labels = read_json(labels_path);
  if (!labels.is_array() || labels.empty()) throw Error(labels_path.string() + ": expected a list");
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const auto& row = labels[i];
    if (!row.is_array() || row.size() != 2 || !row[0].is_number() || !row[1].is_number()) {
      throw Error(labels_path.string() + ": [" + std::to_string(i) + "]: expected [mean, std]");
    }
    ref.label_means.push_back(row[0].get<double>());
    ref.label_stds.push_back(row[1].get<double>());
  }
  ref.bon_accuracy = read_curve(root / "published_results" / "bon" / "MATH500_BoN_results.json",
                                "accuracy", "token_count", &ref.bon_tokens_per_sample);
  ref.majority_accuracy = read_curve(
      root / "published_results" / "self_consistency" / "MATH500_maj_vote_results.json",
      "accuracy", nullptr, nullptr);
  return ref;
}

CalibrationReport compare_with_reference(const SimulatedPool& simulated,
                                         const CalibrationReference& reference,
                                         std::uint64_t seed) {
  const Pool& pool = simulated.pool;
  require(!pool.problems.empty(), "calibration", "the simulated pool is empty");
  CalibrationReport r;
  r.problems = static_cast<int>(pool.problems.size());
  r.samples = static_cast<int>(pool.problems.front().samples.size());
  r.seed = seed;
  if (auto g = pool.problems.front().generator; g && g->starts_with("simulator:")) {
    r.profile = g->substr(10);
  }

  std::vector<double> means, stds, prior_mu, prior_sigma, true_mu, true_sigma;
  double tokens = 0.0, samples = 0.0, solve = 0.0;
  for (std::size_t i = 0; i < pool.problems.size(); ++i) {
    const Problem& problem = pool.problems[i];
    double mean = 0.0;
    for (const Sample& s : problem.samples) {
      mean += s.score;
      tokens += static_cast<double>(s.tokens);
    }
    samples += static_cast<double>(problem.samples.size());
    mean /= static_cast<double>(problem.samples.size());
    double sq = 0.0;
    for (const Sample& s : problem.samples) sq += (s.score - mean) * (s.score - mean);
    means.push_back(mean);
    stds.push_back(std::sqrt(sq / static_cast<double>(problem.samples.size())));
    require(problem.prior.has_value(), "calibration", [&] { return "problem " + problem.id + " has no prior"; });
    prior_mu.push_back((*problem.prior)[0]);
    prior_sigma.push_back((*problem.prior)[1]);
    true_mu.push_back(simulated.truth.at(i).score_mean);
    true_sigma.push_back(simulated.truth.at(i).score_std);
    solve += simulated.truth.at(i).solve_rate;
  }
  for (double level : kQuantileLevels) {
    r.mean_quantiles.push_back({level, quantile(means, level), quantile(reference.label_means, level)});
    r.std_quantiles.push_back({level, quantile(stds, level), quantile(reference.label_stds, level)});
  }
  r.mean_quantiles_max_abs_difference = max_abs_difference(r.mean_quantiles);
  r.std_quantiles_max_abs_difference = max_abs_difference(r.std_quantiles);

  const int length = std::min<int>({kCurveLength, r.samples,
                                    static_cast<int>(reference.bon_accuracy.size())});
  const auto bon = best_of_n_curve(pool, length);
  require(bon.has_value(), "calibration", "correctness of a Best-of-N pick is unknown");
  for (int n = 1; n <= length; ++n) {
    r.best_of_n.push_back({n, (*bon)[n - 1], reference.bon_accuracy[n - 1]});
    double votes = 0.0;
    for (const Problem& problem : pool.problems) votes += majority_correct(problem, n) ? 1.0 : 0.0;
    r.majority.push_back({n, votes / r.problems, reference.majority_accuracy.at(n - 1)});
  }
  r.best_of_n_max_abs_difference = max_abs_difference(r.best_of_n);
  r.majority_max_abs_difference = max_abs_difference(r.majority);

  r.tokens_per_sample_simulated = tokens / samples;
  r.tokens_per_sample_reference =
      std::accumulate(reference.bon_tokens_per_sample.begin(), reference.bon_tokens_per_sample.end(),
                      0.0) /
      static_cast<double>(reference.bon_tokens_per_sample.size());
  r.solve_rate_mean = solve / r.problems;
  r.prior_mu_vs_truth = prior_error(prior_mu, true_mu);
  r.prior_sigma_vs_truth = prior_error(prior_sigma, true_sigma);
  r.prior_mu_vs_sample = prior_error(prior_mu, means);
  r.prior_sigma_vs_sample = prior_error(prior_sigma, stds);
  return r;
}

std::string format_calibration_report(const CalibrationReport& r) {
  std::ostringstream out;
  out << "SIMULATED pool calibration: profile " << r.profile << ", " << r.problems
      << " problems x " << r.samples << " samples, seed " << r.seed << "\n\n";
  out << "Per-problem score mean and population std, quantiles across problems\n"
         "(reference: predictor_training/train_mu_sigma.json, the real labels)\n";
  out << "  level   mean sim   mean ref    std sim    std ref\n";
  for (std::size_t i = 0; i < r.mean_quantiles.size(); ++i) {
    out << "  " << fixed(r.mean_quantiles[i].level, 2) << "    " << fixed(r.mean_quantiles[i].simulated, 4)
        << "     " << fixed(r.mean_quantiles[i].reference, 4) << "     "
        << fixed(r.std_quantiles[i].simulated, 4) << "     " << fixed(r.std_quantiles[i].reference, 4)
        << "\n";
  }
  out << "  max |difference|: mean " << fixed(r.mean_quantiles_max_abs_difference, 4) << ", std "
      << fixed(r.std_quantiles_max_abs_difference, 4) << "\n\n";
  out << "Accuracy in pool order (reference: published MATH500 BoN and majority-vote curves)\n";
  out << "     N    BoN sim    BoN ref    maj sim    maj ref\n";
  for (std::size_t i = 0; i < r.best_of_n.size(); ++i) {
    const int n = r.best_of_n[i].n;
    if (!(n <= 10 || n % 8 == 0)) continue;
    out << "  " << (n < 10 ? "   " : "  ") << n << "     " << fixed(r.best_of_n[i].simulated, 3)
        << "      " << fixed(r.best_of_n[i].reference, 3) << "      "
        << fixed(r.majority[i].simulated, 3) << "      " << fixed(r.majority[i].reference, 3) << "\n";
  }
  out << "  max |difference| over N = 1.." << r.best_of_n.size() << ": BoN "
      << fixed(r.best_of_n_max_abs_difference, 3) << ", majority "
      << fixed(r.majority_max_abs_difference, 3) << "\n\n";
  out << "Tokens per sample: simulated " << fixed(r.tokens_per_sample_simulated, 0)
      << ", published (mean of tokens at N / N) " << fixed(r.tokens_per_sample_reference, 0) << "\n";
  out << "Mean solve rate: " << fixed(r.solve_rate_mean, 4) << "\n\n";
  out << "Prior error (target: MAE mu " << kTargetPriorMuMae << ", Spearman mu "
      << kTargetPriorMuSpearman << "; MAE sigma " << kTargetPriorSigmaMae << ", Spearman sigma "
      << kTargetPriorSigmaSpearman << ")\n";
  out << "  against true moments:   MAE mu " << fixed(r.prior_mu_vs_truth.mae, 4) << ", Spearman mu "
      << fixed(r.prior_mu_vs_truth.spearman, 3) << "; MAE sigma "
      << fixed(r.prior_sigma_vs_truth.mae, 4) << ", Spearman sigma "
      << fixed(r.prior_sigma_vs_truth.spearman, 3) << "\n";
  out << "  against sample moments: MAE mu " << fixed(r.prior_mu_vs_sample.mae, 4) << ", Spearman mu "
      << fixed(r.prior_mu_vs_sample.spearman, 3) << "; MAE sigma "
      << fixed(r.prior_sigma_vs_sample.mae, 4) << ", Spearman sigma "
      << fixed(r.prior_sigma_vs_sample.spearman, 3) << "\n";
  return out.str();
}

std::string calibration_report_json(const CalibrationReport& r) {
  nlohmann::ordered_json j;
  j["simulated"] = true;
  j["profile"] = r.profile;
  j["problems"] = r.problems;
  j["samples"] = r.samples;
  j["seed"] = r.seed;
  auto quantiles = [](const std::vector<QuantileComparison>& rows) {
    auto a = nlohmann::ordered_json::array();
    for (const auto& q : rows) a.push_back({{"level", q.level}, {"simulated", q.simulated}, {"reference", q.reference}});
    return a;
  };
  auto curve = [](const std::vector<CurveComparison>& rows) {
    auto a = nlohmann::ordered_json::array();
    for (const auto& c : rows) a.push_back({{"n", c.n}, {"simulated", c.simulated}, {"reference", c.reference}});
    return a;
  };
  auto prior = [](const PriorError& e) { return nlohmann::ordered_json{{"mae", e.mae}, {"spearman", e.spearman}}; };
  j["score_mean_quantiles"] = quantiles(r.mean_quantiles);
  j["score_std_quantiles"] = quantiles(r.std_quantiles);
  j["best_of_n"] = curve(r.best_of_n);
  j["majority"] = curve(r.majority);
  j["best_of_n_max_abs_difference"] = r.best_of_n_max_abs_difference;
  j["majority_max_abs_difference"] = r.majority_max_abs_difference;
  j["tokens_per_sample"] = {{"simulated", r.tokens_per_sample_simulated},
                            {"reference", r.tokens_per_sample_reference}};
  j["solve_rate_mean"] = r.solve_rate_mean;
  j["prior_vs_truth"] = {{"mu", prior(r.prior_mu_vs_truth)}, {"sigma", prior(r.prior_sigma_vs_truth)}};
  j["prior_vs_sample_moments"] = {{"mu", prior(r.prior_mu_vs_sample)},
                                  {"sigma", prior(r.prior_sigma_vs_sample)}};
  return j.dump(2) + "\n";
}

}  // namespace optscale::pool
