// The problems a live run works through: JSON Lines with `id`, `problem` and
// optionally `gold` (the reference answer) and `prior` ([mu, sigma] from a
// predictor, for optscalet). A pool file is a valid problem file (its other
// fields, such as `samples`, are ignored), so a run can be checked against a
// replay of the same pool.
#pragma once
#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace optscale::engine {

struct Problem {
  std::string id;
  std::string text;
  std::optional<std::string> gold;
  std::optional<std::array<double, 2>> prior;
  std::optional<std::array<double, 2>> prior_std;  // the predictor's uncertainty of mu and sigma
  std::string prior_source;  // policy::PriorSource::key() the prior came from; empty: the file's own
};

// Throws optscale::Error naming the file, line and field: malformed JSON, a
// missing or empty id or problem, a duplicate id, a gold that is neither
// string nor number, a prior that is not two finite numbers with sigma > 0.
// `id` may be a string or an integer; `gold` a string or a number.
std::vector<Problem> read_problems(const std::filesystem::path& path);

}  // namespace optscale::engine
