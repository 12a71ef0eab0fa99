// Importer for the published OptScale pool format (../shared/data/README.md):
// a JSON list, one object per problem in the problems file's order, each with
// score.completions[0], score.scores[0], score.last_scores[0],
// score.completion_tokens[0] and score.problem[0].
#pragma once
#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "optscale/pool/pool.hpp"

namespace optscale::pool {

enum class GoldFormat {
  kAuto,   // GSM8K style when the answer contains "####", plain otherwise
  kPlain,  // the `answer` field as it is (trimmed)
  kGsm8k,  // the number after "####" (answers::extract_gsm8k_gold)
};

struct OptscaleRefImport {
  std::filesystem::path scored;                 // the scored pool (JSON list)
  std::filesystem::path problems;               // test_prompts/<dataset>.json
  std::optional<std::filesystem::path> priors;  // predictor_priors/<DS>_priors.json
  std::string dataset;                          // id prefix; empty: the problems file's stem
  GoldFormat gold_format = GoldFormat::kAuto;
  std::string generator = "DeepSeek-R1-Distill-Qwen-7B";
  std::string verifier = "Qwen2.5-Math-PRM-7B";
  // The scored file's score.problem[0] must equal the problems file's text
  // (after trimming white space) unless this is set.
  bool allow_text_mismatch = false;
};

// Builds the pool: ids are the problem's `unique_id` when present, else
// "<dataset>-<index>"; text from `problem` (or `question`); gold from `answer`.
// Throws optscale::Error naming the file, the problem index and the field on a
// count mismatch, a missing or mistyped field, lists of different lengths, or a
// value the pool format rejects.
Pool import_optscale_ref(const OptscaleRefImport& options);

// A priors file: a JSON list of [mu, sigma], one per problem. Values are kept
// as they are (the reference predictor emits some sigma <= 0); non-finite ones
// are rejected.
std::vector<std::array<double, 2>> read_priors_file(const std::filesystem::path& path);

}  // namespace optscale::pool
