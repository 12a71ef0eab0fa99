// Labels made from a pool's scores: the paper's moments or a truncated-normal fit.
#include <cmath>

#include "optscale/pool/pool_labels.hpp"
#include "optscale/stats/estimators.hpp"
#include "optscale/util/error.hpp"

namespace optscale::pool {

LabelMethod parse_label_method(const std::string& name) {
  if (name == "moments") return LabelMethod::moments;
  if (name == "mle") return LabelMethod::mle;
  throw Error("--label: unknown label method '" + name + "' (expected moments or mle)");
}

std::vector<predict::LabeledProblem> labels_from_pool(const Pool& pool, LabelMethod method, PoolLabelSkips* skips) {
  std::vector<predict::LabeledProblem> labels;
  PoolLabelSkips skipped;
  for (const auto& problem : pool.problems) {
    if (problem.synthetic) {
      ++skipped.synthetic;
      continue;
    }
    if (problem.problem.empty()) {
      ++skipped.without_text;
      continue;
    }
    const std::string where = "pool problem '" + problem.id + "'";
    require(!problem.samples.empty(), where, "no samples to label from");
    std::vector<double> scores;
    scores.reserve(problem.samples.size());
    for (const auto& s : problem.samples) scores.push_back(s.score);
    predict::LabeledProblem label{problem.id, problem.problem, 0.0, 0.0};
    if (method == LabelMethod::moments) {
      double sum = 0.0;
      for (double s : scores) sum += s;
      label.mu = sum / static_cast<double>(scores.size());
      double sq = 0.0;
      for (double s : scores) sq += (s - label.mu) * (s - label.mu);
      label.sigma = std::sqrt(sq / static_cast<double>(scores.size()));
    } else {
      const auto fit = stats::fit_truncated_normal(scores);
      label.mu = fit.mu;
      label.sigma = fit.sigma;
      if (!fit.converged) ++skipped.not_converged;
    }
    labels.push_back(std::move(label));
  }
  if (skips) *skips = skipped;
  return labels;
}

}  // namespace optscale::pool
