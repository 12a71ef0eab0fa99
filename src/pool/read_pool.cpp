// Reading and validating JSON Lines pools. The whole file is read at once and
// split on newlines; each line is parsed with nlohmann::json and checked by
// the format's rules, and every message names file, line and field.
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <string_view>
#include <unordered_map>

#include "optscale/pool/pool.hpp"
#include "optscale/util/error.hpp"
#include "optscale/util/input_file.hpp"
#include "pool_json.hpp"
#include "optscale/util/json_limits.hpp"

namespace optscale::pool {
namespace {

std::string read_whole_file(const std::filesystem::path& path) {
  std::ifstream in = open_for_reading(path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw Error(path.string() + ": read failed");
  return std::move(buffer).str();
}

// The line's JSON (with the depth and number limits of util::parse_json), or
// nullopt and the message without file and line.
std::optional<nlohmann::json> parse_line(std::string_view line, std::string& error) {
  using Kind = util::JsonInputError::Kind;
  try {
    return util::parse_json(line, "");
  } catch (const util::JsonInputError& original) {
    if (original.kind() != Kind::syntax) {
      error = original.reason();
      return std::nullopt;
    }
    try {
      const std::string substituted = detail::substitute_non_finite_literals(line);
      if (substituted.size() != line.size()) return util::parse_json(substituted, "");
    } catch (const util::JsonInputError& again) {
      if (again.kind() != Kind::syntax) {
        error = again.reason();
        return std::nullopt;
      }
    }
    error = "invalid JSON: " + original.reason();
    return std::nullopt;
  }
}

// Walks the file's non-blank lines; hands each valid problem to `accept` and
// each error message to `report`, which returns whether to carry on.
void scan_pool(const std::filesystem::path& path, const std::function<void(Problem&&)>& accept,
               const std::function<bool(std::string)>& report) {
  const std::string content = read_whole_file(path);
  const std::string file = path.string();
  std::unordered_map<std::string, std::size_t> first_line_of_id;
  std::size_t line_number = 0, nonblank_lines = 0;
  std::size_t start = 0;
  while (start < content.size()) {
    std::size_t end = content.find('\n', start);
    if (end == std::string::npos) end = content.size();
    std::string_view line(content.data() + start, end - start);
    start = end + 1;
    ++line_number;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    ++nonblank_lines;

    const std::string where = file + ":" + std::to_string(line_number) + ": ";
    std::string parse_error;
    auto json = parse_line(line, parse_error);
    if (!json) {
      if (!report(where + parse_error)) return;
      continue;
    }
    Problem problem;
    try {
      problem = detail::problem_from_json(std::move(*json));
    } catch (const detail::FieldError& e) {
      if (!report(where + e.field() + ": " + e.what())) return;
      continue;
    }
    bool valid = true;
    for (std::string& violation : problem_violations(problem)) {
      valid = false;
      if (!report(where + violation)) return;
    }
    if (!problem.id.empty()) {
      auto [it, inserted] = first_line_of_id.emplace(problem.id, line_number);
      if (!inserted) {
        valid = false;
        if (!report(where + "id: duplicate id \"" + problem.id + "\" (first on line " +
                    std::to_string(it->second) + ")")) {
          return;
        }
      }
    }
    if (valid) accept(std::move(problem));
  }
  if (nonblank_lines == 0) report(file + ": holds no problems (expected one JSON object per line)");
}

}  // namespace

Pool read_pool(const std::filesystem::path& path) {
  Pool pool;
  scan_pool(
      path, [&](Problem&& p) { pool.problems.push_back(std::move(p)); },
      [](std::string message) -> bool { throw Error(std::move(message)); });
  return pool;
}

std::vector<std::string> validate_pool_file(const std::filesystem::path& path,
                                            std::size_t max_errors) {
  std::vector<std::string> errors;
  scan_pool(
      path, [](Problem&&) {},
      [&](std::string message) {
        errors.push_back(std::move(message));
        return max_errors == 0 || errors.size() < max_errors;
      });
  return errors;
}

}  // namespace optscale::pool
