// A pool: pre-generated, verifier-scored samples for a set of problems, the
// offline stand-in for the generator and scorer backends (docs/pool-format.md).
#pragma once
#include <array>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace optscale::pool {

struct Sample {
  std::optional<std::string> text;      // the completion (may be absent)
  std::optional<std::string> answer;    // extracted final answer (absent: extract from text)
  double score = 0.0;                   // verifier score in [0, 1]
  std::vector<double> step_scores;      // optional per-step rewards
  long long tokens = 0;                 // completion tokens, >= 0
  std::optional<bool> correct;          // ground truth when the pool carries it
};

struct Problem {
  std::string id;
  std::string problem;                  // problem text (may be empty)
  std::optional<std::string> gold;      // gold answer
  std::vector<Sample> samples;          // in generation order
  std::optional<std::array<double, 2>> prior;  // [mu, sigma] from a predictor
  std::optional<std::string> generator;
  std::optional<std::string> verifier;
  bool synthetic = false;
};

struct Pool {
  std::vector<Problem> problems;
  // True when any problem is synthetic: every report made from it says SIMULATED.
  bool synthetic() const;
};

// Reads a JSONL pool. Throws optscale::Error naming file, line and field for
// malformed JSON, missing or wrongly typed fields, unknown fields, NaN/inf/
// out-of-range scores, negative or non-integer tokens, empty sample lists and
// duplicate ids (e.g. "pool.jsonl:12: samples[3].score: must be in [0,1], got NaN").
Pool read_pool(const std::filesystem::path& path);

// The same from problems given one JSON object text each (e.g. a Python
// list of dicts, each serialised by json.dumps: NaN and Infinity as written
// there are reported by name like a file's). Messages name the record as
// "<name>[i]" instead of file:line ("pool[3]: samples[2].score: must be in
// [0,1], got NaN"); an empty list is an error.
Pool read_pool_records(std::span<const std::string> records, const std::string& name);

// Writes one problem per line, in order (written to a temporary file next to
// `path`, then renamed, so a failed write never leaves half a pool). Validates
// every problem first and throws optscale::Error rather than write an invalid
// pool.
void write_pool(const Pool& pool, const std::filesystem::path& path);

// The line write_pool writes for one problem (fields in documented order,
// absent optionals omitted), without the newline. Throws optscale::Error when
// a text is not valid UTF-8.
std::string pool_line(const Problem& problem);

// Every problem found in the file, up to `max_errors` (0 = no limit), each
// formatted as read_pool's message; empty when the file is a valid pool.
std::vector<std::string> validate_pool_file(const std::filesystem::path& path,
                                            std::size_t max_errors = 0);

// The value rules of the format applied to one in-memory problem (everything
// but JSON syntax and field types): each violation is "<field>: <what>",
// e.g. "samples[3].score: must be in [0,1], got NaN". Empty when valid.
std::vector<std::string> problem_violations(const Problem& problem);

}  // namespace optscale::pool
