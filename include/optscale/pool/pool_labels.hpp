// Predictor labels made from a pool's scores: per real problem with text, the
// (mu, sigma) of its score law, by the paper's moments or a truncated-normal
// fit. Here, in the pool layer, since the predictor's layer sits below pools.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "optscale/pool/pool.hpp"
#include "optscale/predict/labels.hpp"

namespace optscale::pool {

// How a pool problem's scores become a label.
enum class LabelMethod {
  moments,  // sample mean and population std, as the paper's predictor was trained
  mle,      // truncated-normal maximum likelihood on all the problem's scores
};
LabelMethod parse_label_method(const std::string& name);  // "moments" | "mle"

struct PoolLabelSkips {
  std::size_t without_text = 0;  // nothing to learn from
  std::size_t synthetic = 0;     // simulated problems: their text is only a label
  std::size_t not_converged = 0; // mle fits that stopped short (still used, at their best point)
};

// One label per real pool problem with text; the others are skipped and
// counted in `skips` when given. MLE labels use the estimators' default box
// (mu in [-1, 2], sigma >= 0.005), so mu may exceed 1.
std::vector<predict::LabeledProblem> labels_from_pool(const Pool& pool, LabelMethod method,
                                                      PoolLabelSkips* skips = nullptr);

}  // namespace optscale::pool
