// Training and evaluation labels for the predictor: per problem, the text and
// the (mu, sigma) of its score law. Read from label files, or made from a
// pool by pool::labels_from_pool (pool/pool_labels.hpp).
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

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

}  // namespace optscale::predict
