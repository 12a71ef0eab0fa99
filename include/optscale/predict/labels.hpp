// Training and evaluation labels for the predictor: per problem, the text and
// the (mu, sigma) of its score law. Read from label files or made from a pool.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "optscale/pool/pool.hpp"

namespace optscale::predict {

struct LabeledProblem {
  std::string id;       // may be empty
  std::string problem;  // the problem text the predictor reads
  double mu = 0.0;
  double sigma = 0.0;   // >= 0
};

// A problem to predict for: its text and, where known, its id.
struct ProblemText {
  std::string id;
  std::string problem;
};

// Problems from a JSON list (strings, or objects with "problem" or GSM8K's
// "question", and optional "id"/"unique_id") or from JSONL (one such object
// per line). Throws optscale::Error naming file and item/line.
std::vector<ProblemText> read_problems(const std::filesystem::path& path);

// Labels from either
//  * the predictor_training format: `labels` a JSON list of [mean, std] and
//    `problems` the parallel list of problems (see read_problems), or
//  * JSONL with one {"problem": ..., "mu": ..., "sigma": ..., "id"?: ...} per
//    line (then `problems` must be empty).
// mu and sigma must be finite, sigma >= 0, and problems non-empty.
std::vector<LabeledProblem> read_labels(const std::filesystem::path& labels,
                                        const std::optional<std::filesystem::path>& problems = {});

// Writes the JSONL form (the inverse of read_labels without `problems`).
void write_labels_jsonl(const std::vector<LabeledProblem>& labels,
                        const std::filesystem::path& path);

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
std::vector<LabeledProblem> labels_from_pool(const pool::Pool& pool, LabelMethod method,
                                             PoolLabelSkips* skips = nullptr);

}  // namespace optscale::predict
