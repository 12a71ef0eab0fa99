// A pool: pre-generated, verifier-scored samples for a set of problems, the
// offline stand-in for the generator and scorer backends (docs/pool-format.md).
#pragma once
#include <array>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace optscale::pool {

// What a reader that drops texts (Texts::drop) keeps of a sample's completion.
struct DroppedText {
  std::size_t bytes = 0;                // its length in bytes (0: an empty completion)
  std::optional<std::string> answer;    // answers::extract_answer of it, when the sample has no `answer`
  bool operator==(const DroppedText&) const = default;
};

struct Sample {
  std::optional<std::string> text;      // the completion (may be absent; absent too when dropped)
  std::optional<std::string> answer;    // extracted final answer (absent: extract from text)
  double score = 0.0;                   // verifier score in [0, 1]
  std::vector<double> step_scores;      // optional per-step rewards
  long long tokens = 0;                 // completion tokens, >= 0
  std::optional<bool> correct;          // ground truth when the pool carries it
  std::optional<DroppedText> dropped;   // set instead of `text` by a reader that drops texts
};

// Whether the sample has a completion (kept or dropped), and whether it is an
// empty one (text ""): what replay and stats ask of a text.
bool has_text(const Sample& sample);
bool empty_completion(const Sample& sample);

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

// Whether readers keep the samples' completion texts. Replay, stats and
// validation need only each text's answer and length: read with `drop`, a pool
// takes memory by its samples, not its texts (about 100 bytes a sample).
enum class Texts { keep, drop };

struct ReadOptions {
  Texts texts = Texts::keep;
  // Threads that parse lines (lines are independent; problems come out in
  // file order all the same); 0 = one per core.
  int threads = 0;
};

// Reads a JSONL pool, streaming: one block of the file in memory at a time
// (util::LineReader), lines parsed by util::FastJson and, when it refuses a
// line, by util::parse_json, which names the error. Throws optscale::Error naming file, line and field for
// malformed JSON, missing or wrongly typed fields, unknown fields, NaN/inf/
// out-of-range scores, negative or non-integer tokens, empty sample lists and
// duplicate ids (e.g. "pool.jsonl:12: samples[3].score: must be in [0,1], got NaN").
Pool read_pool(const std::filesystem::path& path, const ReadOptions& options = {});

// The same, handing each problem to `visit` in file order instead of keeping
// them: memory is one block of the file, whatever its size.
void for_each_problem(const std::filesystem::path& path, const ReadOptions& options,
                      const std::function<void(Problem&&)>& visit);

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
// `valid`, when given, receives each valid problem (read as `options` says).
std::vector<std::string> validate_pool_file(const std::filesystem::path& path,
                                            std::size_t max_errors = 0, const ReadOptions& options = {},
                                            const std::function<void(Problem&&)>& valid = {});

// The value rules of the format applied to one in-memory problem (everything
// but JSON syntax and field types): each violation is "<field>: <what>",
// e.g. "samples[3].score: must be in [0,1], got NaN". Empty when valid.
std::vector<std::string> problem_violations(const Problem& problem);

}  // namespace optscale::pool
